import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Messages, the attempts to send them, and the idempotency keys they were created with.
struct NotificationRepository: Sendable {
    let database: Database
    /// Says when each new message is given up (its retry limit after it was made).
    let policy: DeliveryPolicy

    private struct Row: Decodable {
        let id: String, template_id: String, template_version: Int, channel: String, recipient: String, reference: String?
        let subject: String?, body: String, html: String?, status: String, created_at: Int64, urgent: Int, provider_id: String?
        let next_attempt_at: Int64
    }

    private struct AttemptRow: Decodable { let at: Int64; let outcome: String; let detail: String? }

    private static let columns = ["id", "template_id", "template_version", "channel", "recipient", "reference", "subject", "body", "html", "status",
                                  "created_at", "urgent", "provider_id", "next_attempt_at"]

    /// Stores messages in one statement; with a `dedupeKey` (event, channel and recipient) a message whose key was
    /// stored before is left out. Returns how many were new.
    @discardableResult
    func insert(_ messages: [(message: NotificationView, dedupeKey: String?)], in db: any SQLDatabase) async throws -> Int {
        guard !messages.isEmpty else { return 0 }
        var insert = db.insert(into: "notifications")
            .columns("id", "template_id", "template_version", "channel", "recipient", "reference", "subject", "body", "html", "status", "created_at",
                     "updated_at", "next_attempt_at", "attempts", "urgent", "give_up_at", "dedupe_key")
        for (message, dedupeKey) in messages {
            let now = message.createdAt.epochMilliseconds
            insert = insert.values(
                SQLBind(message.id), SQLBind(message.templateId), SQLBind(message.templateVersion), SQLBind(message.channel.rawValue),
                SQLBind(message.recipient), SQLBind(message.reference), SQLBind(message.message.subject), SQLBind(message.message.body),
                SQLBind(message.message.html), SQLBind(message.status.rawValue), SQLBind(now), SQLBind(now),
                SQLBind((message.nextAttemptAt ?? message.createdAt).epochMilliseconds), SQLBind(0), SQLBind(message.urgent ? 1 : 0),
                SQLBind(self.policy.giveUp(from: message.createdAt).epochMilliseconds), SQLBind(dedupeKey))
        }
        let ids = messages.map(\.message.id)
        if messages.contains(where: { $0.dedupeKey != nil }) {
            try await insert.ignoringConflicts(with: "dedupe_key").run()
            return try await db.select().from("notifications").where("id", .in, ids).countRows()
        }
        try await insert.run()
        return messages.count
    }

    func find(_ id: String) async throws -> NotificationView? {
        let (row, attempts) = try await self.database.read { db in
            let row = try await db.select().columns(Self.columns).from("notifications").where("id", .equal, id).first(decoding: Row.self)
            let attempts = try await db.select().columns("at", "outcome", "detail").from("notification_attempts")
                .where("notification_id", .equal, id).orderBy("at").all(decoding: AttemptRow.self)
            return (row, attempts)
        }
        return row.flatMap { Self.view($0, attempts: attempts) }
    }

    /// Operators' search, newest first.
    func list(status: NotificationStatus?, channel: MessageTemplate.Channel?, recipient: String?, reference: String?, page: Int, pageSize: Int)
        async throws -> (items: [NotificationView], total: Int) {
        try await self.database.read { db in
            func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = select.from("notifications")
                if let status { select = select.where("status", .equal, status.rawValue) }
                if let channel { select = select.where("channel", .equal, channel.rawValue) }
                if let recipient { select = select.where("recipient", .equal, recipient) }
                if let reference { select = select.where("reference", .equal, reference) }
                return select
            }
            let rows = try await filtered(db.select().columns(Self.columns)).orderBy("created_at", .descending).orderBy("id")
                .limit(pageSize).offset((page - 1) * pageSize).all(decoding: Row.self)
            return (rows.compactMap { Self.view($0, attempts: []) }, try await filtered(db.select()).countRows())
        }
    }

    private static func view(_ row: Row, attempts: [AttemptRow]) -> NotificationView? {
        guard let channel = MessageTemplate.Channel(rawValue: row.channel), let status = NotificationStatus(rawValue: row.status) else { return nil }
        return NotificationView(
            id: row.id, templateId: row.template_id, templateVersion: row.template_version, channel: channel, recipient: row.recipient,
            reference: row.reference, message: RenderedMessage(subject: row.subject, body: row.body, html: row.html), status: status,
            createdAt: Date(epochMilliseconds: row.created_at),
            attempts: attempts.map { NotificationAttempt(at: Date(epochMilliseconds: $0.at), outcome: $0.outcome, detail: $0.detail) },
            urgent: row.urgent != 0, providerId: row.provider_id,
            nextAttemptAt: status == .created ? Date(epochMilliseconds: row.next_attempt_at) : nil
        )
    }

    // MARK: In-app inbox

    func inbox(of account: String, page: Int, pageSize: Int) async throws -> InboxMessages {
        struct InboxRow: Decodable { let id: String; let subject: String?; let body: String; let reference: String?; let created_at: Int64; let read_at: Int64? }
        return try await self.database.read { db in
            func mine(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                select.from("notifications").where("channel", .equal, MessageTemplate.Channel.inApp.rawValue).where("recipient", .equal, account)
            }
            let rows = try await mine(db.select().columns("id", "subject", "body", "reference", "created_at", "read_at"))
                .orderBy("created_at", .descending).orderBy("id").limit(pageSize).offset((page - 1) * pageSize).all(decoding: InboxRow.self)
            let total = try await mine(db.select()).countRows()
            let unread = try await mine(db.select()).where("read_at", .is, SQLLiteral.null).countRows()
            return InboxMessages(items: rows.map {
                InboxMessage(id: $0.id, subject: $0.subject, body: $0.body, reference: $0.reference, at: Date(epochMilliseconds: $0.created_at),
                             read: $0.read_at != nil)
            }, total: total, unread: unread, page: page, pageSize: pageSize)
        }
    }

    /// Marks one of the account's in-app messages read; false when it has no such message.
    func markRead(_ id: String, account: String, at: Date, in db: any SQLDatabase) async throws -> Bool {
        struct Found: Decodable { let id: String }
        let found = try await db.select().column("id").from("notifications").where("id", .equal, id)
            .where("channel", .equal, MessageTemplate.Channel.inApp.rawValue).where("recipient", .equal, account).first(decoding: Found.self)
        guard found != nil else { return false }
        try await db.update("notifications").set("read_at", to: at.epochMilliseconds).where("id", .equal, id).where("read_at", .is, SQLLiteral.null).run()
        return true
    }

    // MARK: Accepting messages from the API

    /// A message the API is about to acknowledge, with the `Idempotency-Key` it came with.
    struct Accepted: Sendable {
        let message: NotificationView
        let caller: String
        let key: String?
        let hash: String?

        /// Two uses of one key never share a batch.
        var claimID: String? { self.key.map { self.caller + "\u{0}" + $0 } }
    }

    enum AcceptOutcome: Sendable {
        case created
        /// The key was used before with the same body: the message then made.
        case replayed(id: String)
    }

    /// Stores a batch of accepted messages (one statement for the messages, one for their keys); a key used before
    /// replays its message, or is refused when the body differs; a new message over the admission's rates is refused.
    func accept(_ batch: [Accepted], admission: MessageAdmission, in db: any SQLDatabase) async throws -> [Result<AcceptOutcome, any Error>] {
        struct Claim: Decodable { let request_hash: String; let notification_id: String }
        var results = [Result<AcceptOutcome, any Error>?](repeating: nil, count: batch.count)
        for (index, item) in batch.enumerated() {
            guard let key = item.key else { continue }
            guard let earlier = try await db.select().columns("request_hash", "notification_id").from("notification_keys")
                .where("caller", .equal, item.caller).where("key", .equal, key).first(decoding: Claim.self)
            else { continue }
            results[index] = earlier.request_hash == item.hash
                ? .success(.replayed(id: earlier.notification_id))
                : .failure(Problem.conflict("This Idempotency-Key was used for a different message; use a new key for a new message."))
        }
        for index in batch.indices where results[index] == nil {
            if let refusal = await admission.refusal(for: batch[index].message) { results[index] = .failure(refusal) }
        }
        let fresh = batch.indices.filter { results[$0] == nil }
        try await self.insert(fresh.map { (batch[$0].message, nil) }, in: db)
        let keyed = fresh.filter { batch[$0].key != nil }
        if !keyed.isEmpty {
            var insert = db.insert(into: "notification_keys").columns("caller", "key", "request_hash", "notification_id", "created_at")
            for index in keyed {
                let item = batch[index]
                insert = insert.values(SQLBind(item.caller), SQLBind(item.key), SQLBind(item.hash), SQLBind(item.message.id),
                                       SQLBind(item.message.createdAt.epochMilliseconds))
            }
            try await insert.run()
        }
        for index in fresh { results[index] = .success(.created) }
        return results.map { $0! }
    }
}
