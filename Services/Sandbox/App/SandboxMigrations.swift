import ServiceKit

/// The sandbox service's own schema, numbered and append-only.
public enum SandboxMigrations {
    public static let all = MigrationSet(scope: "sandbox", [])
}
