import SQLKit

/// The outbox and inbox tables every service has, created by ServiceKit's own migrations.
public enum EventTables {
    public static let migrations = MigrationSet(scope: "servicekit", [
        Migration(1, "outbox and inbox") { db, _ in
            try await db.create(table: "outbox")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("event_id", type: .text, .notNull)
                .column("event_type", type: .text, .notNull)
                .column("subscriber", type: .text, .notNull)
                .column("envelope", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("attempts", type: .bigint, .notNull)
                .column("next_attempt_at", type: .bigint, .notNull)
                .column("claim_token", type: .text)
                .column("claimed_until", type: .bigint)
                .column("last_error", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .column("delivered_at", type: .bigint)
                .run()
            try await db.create(index: "outbox_due").on("outbox").column("status").column("next_attempt_at").run()
            try await db.create(table: "inbox")
                .column("event_id", type: .text, .primaryKey(autoIncrement: false))
                .column("event_type", type: .text, .notNull)
                .column("source", type: .text, .notNull)
                .column("received_at", type: .bigint, .notNull)
                .run()
        },
        Migration(2, "accounts whose tokens stop working: a disabled account's, issued before it was disabled") { db, _ in
            try await db.create(table: "revoked_subjects")
                .column("subject", type: .text, .primaryKey(autoIncrement: false))
                .column("since", type: .bigint, .notNull)
                .run()
        },
    ])
}
