import ServiceKit

/// The payments service's own schema, numbered and append-only.
public enum PaymentsMigrations {
    public static let all = MigrationSet(scope: "payments", [])
}
