import Foundation
import ServiceKit
import SQLKit

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
        Migration(2, "accounts, their one-time codes, browser sessions, refresh tokens and the CSRF secret") { db, _ in
            try await db.create(table: "accounts")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("phone", type: .text, .notNull)
                .column("citizen_id", type: .text)
                .column("full_name", type: .text, .notNull)
                .column("email", type: .text)
                .column("password_hash", type: .text, .notNull)
                .column("roles", type: .text, .notNull)
                .column("agency", type: .text)
                .column("phone_verified_at", type: .bigint)
                .column("failed_sign_ins", type: .bigint, .notNull)
                .column("locked_until", type: .bigint)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "accounts_phone").unique().on("accounts").column("phone").run()
            try await db.create(index: "accounts_citizen_id").unique().on("accounts").column("citizen_id").run()
            try await db.create(index: "accounts_agency").on("accounts").column("agency").run()
            try await db.create(table: "phone_codes")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("account_id", type: .text, .notNull)
                .column("purpose", type: .text, .notNull)
                .column("code_hash", type: .text, .notNull)
                .column("tries", type: .bigint, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("expires_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "phone_codes_account").unique().on("phone_codes").column("account_id").column("purpose").run()
            try await db.create(table: "sessions")
                .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
                .column("account_id", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("expires_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "sessions_account").on("sessions").column("account_id").run()
            try await db.create(table: "refresh_tokens")
                .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
                .column("account_id", type: .text, .notNull)
                .column("family", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("expires_at", type: .bigint, .notNull)
                .column("used_at", type: .bigint)
                .run()
            try await db.create(index: "refresh_tokens_family").on("refresh_tokens").column("family").run()
            try await db.create(index: "refresh_tokens_account").on("refresh_tokens").column("account_id").run()
            // One secret for every replica, made once: the key of the CSRF tokens.
            try await db.create(table: "portal_secrets")
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("value", type: .text, .notNull)
                .run()
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
            try await db.insert(into: "portal_secrets").columns("name", "value").values(SQLBind("csrf"), SQLBind(secret)).run()
        },
        Migration(3, "online submissions by the key their form carries") { db, _ in
            try await db.create(table: "submissions")
                .column("key", type: .text, .primaryKey(autoIncrement: false))
                .column("account_id", type: .text, .notNull)
                .column("attachments", type: .text)
                .column("dossier_id", type: .text)
                .column("dossier_code", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .run()
        },
        Migration(4, "sites (the main portal and its component portals) and their articles") { db, _ in
            try await db.create(table: "sites")
                .column("slug", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("agency_code", type: .text)
                .column("kind", type: .text, .notNull)
                .column("host", type: .text)
                .column("banner", type: .text, .notNull)
                .column("contacts", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "sites_host").unique().on("sites").column("host").run()
            try await db.create(index: "sites_agency").on("sites").column("agency_code").run()
            try await db.create(table: "articles")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("site_slug", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("summary", type: .text, .notNull)
                .column("body", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("author", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .column("published_at", type: .bigint)
                .run()
            try await db.create(index: "articles_published").on("articles").column("status").column("published_at").run()
            try await db.create(index: "articles_site").on("articles").column("site_slug").column("status").column("published_at").run()
        },
        Migration(5, "staff accounts an admin disabled") { db, _ in
            try await db.alter(table: "accounts").column("disabled_at", type: .bigint).run()
        },
        Migration(6, "the audit trail of staff accounts: who changed which account, when, from where; only ever added to") { db, _ in
            try await db.create(table: "audit_log")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("at", type: .bigint, .notNull)
                .column("actor", type: .text, .notNull)
                .column("action", type: .text, .notNull)
                .column("target", type: .text, .notNull)
                .column("detail", type: .text)
                .column("address", type: .text)
                .run()
            try await db.create(index: "audit_log_actor").on("audit_log").column("actor").column("at").run()
            try await db.create(index: "audit_log_target").on("audit_log").column("target").column("at").run()
        },
    ])

    /// A secret made by migration 2.
    static func secret(_ name: String, in database: Database) async throws -> Data {
        struct Row: Decodable { let value: String }
        let row = try await database.read { db in
            try await db.select().column("value").from("portal_secrets").where("name", .equal, name).first(decoding: Row.self)
        }
        guard let hex = row?.value else { throw ConfigurationError.invalid("portal_secrets.\(name)", "missing", "the row migration 2 writes") }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return Data(bytes)
    }
}
