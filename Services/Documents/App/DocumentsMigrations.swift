import ServiceKit

/// The documents service's own schema, numbered and append-only.
public enum DocumentsMigrations {
    public static let all = MigrationSet(scope: "documents", [])
}
