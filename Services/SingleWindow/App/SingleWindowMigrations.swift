import ServiceKit

/// The single-window service's own schema, numbered and append-only.
public enum SingleWindowMigrations {
    public static let all = MigrationSet(scope: "single-window", [
        Migration(1, "agencies") { db, _ in
            try await db.create(table: "agencies")
                .column("code", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("name_key", type: .text, .notNull)
                .column("level", type: .text, .notNull)
                .column("parent_code", type: .text)
                .column("email", type: .text, .notNull)
                .column("address", type: .text, .notNull)
                .column("phone", type: .text)
                .run()
            try await db.create(index: "agencies_parent").on("agencies").column("parent_code").run()
        },
        Migration(2, "procedure catalog") { db, _ in
            try await db.create(table: "procedures")
                .column("code", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("sector", type: .text, .notNull)
                .column("service_level", type: .bigint, .notNull)
                .column("online_scope", type: .text, .notNull)
                .column("processing_days", type: .bigint, .notNull)
                .column("search_key", type: .text, .notNull)
                .column("body", type: .text, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "procedures_sector").on("procedures").column("sector").run()
            try await db.create(index: "procedures_level").on("procedures").column("service_level").run()
            try await db.create(table: "procedure_levels")
                .column("procedure_code", type: .text, .notNull)
                .column("level", type: .text, .notNull)
                .primaryKey(["procedure_code", "level"])
                .run()
            // Agencies named for a procedure; at their level only they carry it out.
            try await db.create(table: "procedure_agencies")
                .column("procedure_code", type: .text, .notNull)
                .column("agency_code", type: .text, .notNull)
                .column("agency_level", type: .text, .notNull)
                .primaryKey(["procedure_code", "agency_code"])
                .run()
            try await db.create(index: "procedure_agencies_agency").on("procedure_agencies").column("agency_code").run()
        },
    ])
}
