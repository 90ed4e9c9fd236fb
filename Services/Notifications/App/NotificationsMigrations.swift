import ServiceKit
import SQLKit

/// The notifications service's own schema, numbered and append-only.
public enum NotificationsMigrations {
    public static let all = MigrationSet(scope: "notifications", [
        Migration(1, "message templates, every version kept") { db, _ in
            try await db.create(table: "templates")
                .column("id", type: .text, .notNull)
                .column("version", type: .bigint, .notNull)
                .column("channel", type: .text, .notNull)
                .column("language", type: .text, .notNull)
                .column("subject", type: .text)
                .column("body", type: .text, .notNull)
                .column("html", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .primaryKey(["id", "version"])
                .run()
        },
        // Once, under the migration lock, so replicas starting together never seed twice.
        Migration(2, "the default templates") { db, _ in
            for template in DefaultTemplates.all { _ = try await TemplateRepository.add(template, in: db) }
        },
        Migration(3, "messages, their attempts, and idempotency keys") { db, _ in
            try await db.create(table: "notifications")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("template_id", type: .text, .notNull)
                .column("template_version", type: .bigint, .notNull)
                .column("channel", type: .text, .notNull)
                .column("recipient", type: .text, .notNull)
                .column("reference", type: .text)
                .column("subject", type: .text)
                .column("body", type: .text, .notNull)
                .column("html", type: .text)
                .column("status", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .column("next_attempt_at", type: .bigint, .notNull)
                .column("attempts", type: .bigint, .notNull)
                .run()
            try await db.create(index: "notifications_due").on("notifications").column("status").column("next_attempt_at").run()
            try await db.create(index: "notifications_recipient").on("notifications").column("recipient").run()
            try await db.create(index: "notifications_reference").on("notifications").column("reference").run()
            try await db.create(table: "notification_attempts")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("notification_id", type: .text, .notNull)
                .column("at", type: .bigint, .notNull)
                .column("outcome", type: .text, .notNull)
                .column("detail", type: .text)
                .run()
            try await db.create(index: "notification_attempts_notification").on("notification_attempts").column("notification_id").column("at").run()
            try await db.create(table: "notification_keys")
                .column("caller", type: .text, .notNull)
                .column("key", type: .text, .notNull)
                .column("request_hash", type: .text, .notNull)
                .column("notification_id", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .primaryKey(["caller", "key"])
                .run()
        },
        Migration(4, "in-app messages are read") { db, _ in
            try await db.alter(table: "notifications").column("read_at", type: .bigint).run()
        },
        Migration(5, "the delivery pipeline: leases, the gateway's id, urgency, the retry limit, one message per event, channel and recipient") { db, _ in
            // One column per statement: SQLite adds columns one at a time.
            try await db.alter(table: "notifications").column("urgent", type: .bigint, .notNull, .default(0)).run()
            try await db.alter(table: "notifications").column("claim_token", type: .text).run()
            try await db.alter(table: "notifications").column("claimed_until", type: .bigint).run()
            try await db.alter(table: "notifications").column("provider_id", type: .text).run()
            try await db.alter(table: "notifications").column("last_error", type: .text).run()
            try await db.alter(table: "notifications").column("give_up_at", type: .bigint).run()
            try await db.alter(table: "notifications").column("dedupe_key", type: .text).run()
            try await db.create(index: "notifications_dedupe").unique().on("notifications").column("dedupe_key").run()
            try await db.create(index: "notifications_claimed").on("notifications").column("status").column("claimed_until").run()
            try await db.create(table: "preferences")
                .column("account", type: .text, .primaryKey(autoIncrement: false))
                .column("channels", type: .text, .notNull)
                .column("language", type: .text, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
        },
        // A message changes status four times; indexes that start with the status were rewritten each time. These
        // hold only the rows a query looks for (SQLite and PostgreSQL both have partial indexes): the waiting ones
        // in due order, the claimed ones by lease, the dead letters newest first.
        Migration(6, "partial indexes for the waiting, the claimed and the dead letters") { db, _ in
            try await db.drop(index: "notifications_due").run()
            try await db.drop(index: "notifications_claimed").run()
            try await db.raw("CREATE INDEX notifications_waiting ON notifications (next_attempt_at) WHERE status = 'created'").run()
            try await db.raw("CREATE INDEX notifications_leased ON notifications (claimed_until) WHERE status = 'sending'").run()
            try await db.raw("CREATE INDEX notifications_dead ON notifications (created_at) WHERE status = 'technical-failure'").run()
        },
        Migration(7, "the template of an official document reaching an agency") { db, _ in
            for template in DefaultTemplates.documents { _ = try await TemplateRepository.add(template, in: db) }
        },
        Migration(8, "the template of a document waiting for a leader's signature") { db, _ in
            for template in DefaultTemplates.signRequests { _ = try await TemplateRepository.add(template, in: db) }
        },
        Migration(9, "the templates of the portal's one-time codes") { db, _ in
            for template in DefaultTemplates.accountCodes { _ = try await TemplateRepository.add(template, in: db) }
        },
    ])
}
