import ServiceKit

/// The single-window service's own schema, numbered and append-only.
public enum SingleWindowMigrations {
    public static let all = MigrationSet(scope: "single-window", [])
}
