import ServiceKit

/// The portal's own schema, numbered and append-only.
public enum PortalMigrations {
    public static let all = MigrationSet(scope: "portal", [
        Migration(1, "service starts seen through events") { db, _ in
            try await db.create(table: "service_starts")
                .column("instance", type: .text, .primaryKey(autoIncrement: false))
                .column("service", type: .text, .notNull)
                .column("started_at", type: .bigint, .notNull)
                .column("received_at", type: .bigint, .notNull)
                .run()
        },
    ])
}
