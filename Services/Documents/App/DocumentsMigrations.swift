import ServiceKit
import SQLKit

/// The documents service's own schema, numbered and append-only.
public enum DocumentsMigrations {
    public static let all = MigrationSet(scope: "documents", [
        Migration(1, "stored files: one row per upload, content kept once by its SHA-256") { db, _ in
            try await db.create(table: "files")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("sha256", type: .text, .notNull)
                .column("size", type: .bigint, .notNull)
                .column("content_type", type: .text, .notNull)
                .column("owner", type: .text, .notNull)
                .column("agency", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "files_sha256").on("files").column("sha256").run()
            try await db.create(index: "files_owner").on("files").column("owner").column("created_at").run()
        },
    ])
}
