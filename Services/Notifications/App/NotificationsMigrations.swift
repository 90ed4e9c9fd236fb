import ServiceKit

/// The notifications service's own schema, numbered and append-only.
public enum NotificationsMigrations {
    public static let all = MigrationSet(scope: "notifications", [])
}
