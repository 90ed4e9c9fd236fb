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
    ])
}
