import Foundation
import ServiceKit
import SQLKit

/// The console's own schema, numbered and append-only: its browser sessions and each person's choices for their
/// screens (the accounts are the portal's, the dossiers single-window's).
public enum ConsoleMigrations {
    public static let all = MigrationSet(scope: "console", [
        Migration(1, "staff sessions: the cookie's hash, the account, and its tokens sealed") { db, _ in
            try await db.create(table: "staff_sessions")
                .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
                .column("account_id", type: .text, .notNull)
                .column("full_name", type: .text, .notNull)
                .column("roles", type: .text, .notNull)
                .column("agency", type: .text)
                .column("sealed_tokens", type: .text, .notNull)
                .column("access_expires_at", type: .bigint, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("expires_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "staff_sessions_account").on("staff_sessions").column("account_id").run()
        },
        Migration(2, "the agency's name beside its code, for the frame") { db, _ in
            try await db.alter(table: "staff_sessions").column("agency_name", type: .text).run()
        },
        Migration(3, "what each person chose for their screens (the queue's columns)") { db, _ in
            try await db.create(table: "staff_preferences")
                .column("account_id", type: .text, .notNull)
                .column("name", type: .text, .notNull)
                .column("value", type: .text, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .primaryKey(["account_id", "name"])
                .run()
        },
        Migration(4, "who renews a session's tokens now (a refresh token is good once)") { db, _ in
            try await db.alter(table: "staff_sessions").column("renewing_until", type: .bigint).run()
        },
    ])
}
