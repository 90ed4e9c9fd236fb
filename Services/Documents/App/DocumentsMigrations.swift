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
        Migration(2, "the provincial CA: its root, the certificates it issued (keys sealed), signatures over stored files") { db, _ in
            try await db.create(table: "pki_root")
                .column("id", type: .bigint, .primaryKey(autoIncrement: false))
                .column("serial", type: .text, .notNull)
                .column("cert_pem", type: .text, .notNull)
                .column("sealed_key", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(table: "pki_certificates")
                .column("serial", type: .text, .primaryKey(autoIncrement: false))
                .column("subject", type: .text, .notNull)
                .column("name", type: .text, .notNull)
                .column("agency", type: .text)
                .column("not_before", type: .bigint, .notNull)
                .column("not_after", type: .bigint, .notNull)
                .column("cert_pem", type: .text, .notNull)
                .column("sealed_key", type: .text, .notNull)
                .column("revoked_at", type: .bigint)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "pki_certificates_subject").on("pki_certificates").column("subject").column("not_before").run()
            try await db.create(table: "signatures")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("file_id", type: .text, .notNull)
                .column("number", type: .bigint, .notNull)
                .column("signer", type: .text, .notNull)
                .column("serial", type: .text, .notNull)
                .column("signed_at", type: .bigint, .notNull)
                .column("code", type: .text, .notNull)
                .column("der", type: .text, .notNull)
                .run()
            try await db.create(index: "signatures_number").unique().on("signatures").column("file_id").column("number").run()
            try await db.create(index: "signatures_code").unique().on("signatures").column("code").run()
        },
    ])
}
