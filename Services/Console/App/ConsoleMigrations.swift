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
        Migration(5, "bulk assignments run in the background: the job, its dossiers and what became of each") { db, _ in
            try await db.create(table: "bulk_jobs")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("account_id", type: .text, .notNull)
                .column("session_hash", type: .text, .notNull)
                .column("client_address", type: .text, .notNull)
                .column("officer", type: .text, .notNull)
                .column("officer_name", type: .text, .notNull)
                .column("queue", type: .text, .notNull)
                .column("list_query", type: .text)
                .column("state", type: .text, .notNull)
                .column("note", type: .text)
                .column("total", type: .int, .notNull)
                .column("assigned", type: .int, .notNull)
                .column("refused", type: .int, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("finished_at", type: .bigint)
                .column("lease_until", type: .bigint, .notNull)
                .run()
            try await db.create(index: "bulk_jobs_account").on("bulk_jobs").column("account_id").column("state").run()
            try await db.create(index: "bulk_jobs_state").on("bulk_jobs").column("state").column("lease_until").run()
            try await db.create(table: "bulk_items")
                .column("job_id", type: .text, .notNull)
                .column("position", type: .int, .notNull)
                .column("dossier_id", type: .text, .notNull)
                .column("code", type: .text, .notNull)
                .column("expected_version", type: .int, .notNull)
                .column("outcome", type: .text)
                .column("detail", type: .text)
                .primaryKey(["job_id", "position"])
                .run()
        },
    ])
}
