import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// The messages waiting to go, as a queue that several sender replicas share: a sender claims due messages under a
/// lease (`sending`, with its token), hands them over, and records each outcome only while its claim still holds.
/// A sender that dies holding a claim loses it when the lease runs out; another takes the messages again, and the
/// gateway's duplicate-RequestId answer keeps the second hand-over from becoming a second SMS.
struct DeliveryQueue: Sendable {
    let database: Database
    let policy: DeliveryPolicy

    /// A message a sender holds.
    struct Claimed: Decodable, Sendable {
        let id: String
        let channel: String
        let recipient: String
        let subject: String?
        let body: String
        let html: String?
        let attempts: Int
        let urgent: Int
        let give_up_at: Int64?
    }

    /// What handing a message over came to.
    enum Outcome: Sendable, Equatable {
        /// The gateway or mail server took it (with the gateway's id for it).
        case accepted(providerID: String?, detail: String)
        /// It will never go to this recipient.
        case refused(detail: String)
        /// Not this time; try again later.
        case failed(detail: String)
    }

    /// Claims up to `limit` due messages on `channels` for `lease` seconds: those waiting and due, and those whose
    /// sender's lease ran out.
    func claim(channels: [MessageTemplate.Channel], limit: Int, lease: Double, now: Date) async throws -> (token: String, messages: [Claimed]) {
        let token = UUID().uuidString.lowercased()
        let nowMillis = now.epochMilliseconds
        let until = nowMillis + Int64(lease * 1000)
        let channelList = SQLGroupExpression(channels.map { SQLBind($0.rawValue) } as [any SQLExpression])
        let due = SQLRaw("((status = 'created' AND next_attempt_at <= \(nowMillis)) OR (status = 'sending' AND claimed_until < \(nowMillis)))")
        // PostgreSQL: a replica skips rows another is claiming rather than waiting for them; SQLite has one writer.
        let skipLocked = self.database.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let messages = try await self.database.transaction { db in
            try await db.raw("""
                UPDATE notifications SET status = 'sending', claim_token = \(bind: token), claimed_until = \(bind: until), updated_at = \(bind: nowMillis)
                WHERE id IN (SELECT id FROM notifications WHERE \(due) AND channel IN \(channelList)
                             ORDER BY next_attempt_at LIMIT \(bind: limit) \(unsafeRaw: skipLocked))
                AND \(due)
                RETURNING id, channel, recipient, subject, body, html, attempts, urgent, give_up_at
                """).all(decoding: Claimed.self)
        }
        return (token, messages)
    }

    /// Records what happened to each claimed message, all in one transaction; a message whose claim was lost (its
    /// lease ran out and another sender took it) or that a delivery report already moved on is left as it is.
    func record(_ outcomes: [(message: Claimed, outcome: Outcome)], token: String, now: Date) async throws {
        guard !outcomes.isEmpty else { return }
        let nowMillis = now.epochMilliseconds
        try await self.database.transaction { db in
            var attempts = db.insert(into: "notification_attempts").columns("id", "notification_id", "at", "outcome", "detail")
            for (message, outcome) in outcomes {
                var update = db.update("notifications")
                    .set("attempts", to: message.attempts + 1).set("updated_at", to: nowMillis)
                    .set("claim_token", to: SQLLiteral.null).set("claimed_until", to: SQLLiteral.null)
                let written: String
                let detail: String
                switch outcome {
                case .accepted(let providerID, let text):
                    update = update.set("status", to: NotificationStatus.sent.rawValue).set("last_error", to: SQLLiteral.null)
                    if let providerID { update = update.set("provider_id", to: providerID) }
                    (written, detail) = ("sent", text)
                case .refused(let text):
                    update = update.set("status", to: NotificationStatus.permanentFailure.rawValue).set("last_error", to: text)
                    (written, detail) = ("refused", text)
                case .failed(let text):
                    let channel = MessageTemplate.Channel(rawValue: message.channel) ?? .sms
                    let giveUpAt = Date(epochMilliseconds: message.give_up_at ?? nowMillis)
                    if let next = self.policy.retry(afterAttempts: message.attempts + 1, now: now, giveUpAt: giveUpAt, channel: channel,
                                                    urgent: message.urgent != 0) {
                        update = update.set("status", to: NotificationStatus.created.rawValue).set("next_attempt_at", to: next.epochMilliseconds)
                        (written, detail) = ("failed", text + "; next try " + VietnamTime.rfc3339(next))
                    } else {
                        update = update.set("status", to: NotificationStatus.technicalFailure.rawValue)
                        (written, detail) = ("gave-up", text + "; retry limit reached")
                    }
                    update = update.set("last_error", to: String(text.prefix(1000)))
                }
                try await update.where("id", .equal, message.id).where("claim_token", .equal, token)
                    .where("status", .equal, NotificationStatus.sending.rawValue).run()
                attempts = attempts.values(SQLBind(UUID().uuidString.lowercased()), SQLBind(message.id), SQLBind(nowMillis), SQLBind(written),
                                           SQLBind(String(detail.prefix(1000))))
            }
            try await attempts.run()
        }
    }

    enum ReportResult: Equatable {
        case unknown
        /// The report moved the message to this status.
        case applied(NotificationStatus)
        /// The message was already as far or further; nothing changed.
        case ignored(NotificationStatus)
    }

    /// A delivery report: moves the message forward to `status` (never back), keeping the gateway's id.
    func report(_ id: String, status: NotificationStatus, providerID: String?, detail: String, now: Date) async throws -> ReportResult {
        let nowMillis = now.epochMilliseconds
        return try await self.database.transaction { db in
            struct Current: Decodable { let status: String }
            guard let current = try await db.select().column("status").from("notifications").where("id", .equal, id).first(decoding: Current.self),
                  let currentStatus = NotificationStatus(rawValue: current.status)
            else { return .unknown }
            guard currentStatus.rank < status.rank else {
                try await Self.note(id, outcome: "report-ignored", detail: detail + "; already " + currentStatus.rawValue, at: nowMillis, in: db)
                return .ignored(currentStatus)
            }
            var update = db.update("notifications").set("status", to: status.rawValue).set("updated_at", to: nowMillis)
            if let providerID { update = update.set("provider_id", to: providerID) }
            try await update.where("id", .equal, id).where("status", .equal, currentStatus.rawValue).run()
            try await Self.note(id, outcome: "report", detail: detail, at: nowMillis, in: db)
            return .applied(status)
        }
    }

    private static func note(_ id: String, outcome: String, detail: String, at: Int64, in db: any SQLDatabase) async throws {
        try await db.insert(into: "notification_attempts").columns("id", "notification_id", "at", "outcome", "detail")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(id), SQLBind(at), SQLBind(outcome), SQLBind(String(detail.prefix(1000))))
            .run()
    }

    /// Puts dead letters (`technical-failure`) back in the queue, due now, with a fresh retry limit. Nil ids:
    /// every dead letter (on `channel` when given). Returns the ids re-driven.
    func redrive(ids: [String]?, channel: MessageTemplate.Channel?, by operatorName: String, now: Date) async throws -> [String] {
        let nowMillis = now.epochMilliseconds
        return try await self.database.transaction { db in
            struct Dead: Decodable { let id: String; let channel: String; let urgent: Int }
            var select = db.select().columns("id", "channel", "urgent").from("notifications")
                .where("status", .equal, NotificationStatus.technicalFailure.rawValue)
            if let ids { select = select.where("id", .in, ids) }
            if let channel { select = select.where("channel", .equal, channel.rawValue) }
            let dead = try await select.limit(10_000).all(decoding: Dead.self)
            for message in dead {
                let next = self.policy.allowed(now, channel: MessageTemplate.Channel(rawValue: message.channel) ?? .sms, urgent: message.urgent != 0)
                try await db.update("notifications")
                    .set("status", to: NotificationStatus.created.rawValue).set("attempts", to: 0)
                    .set("next_attempt_at", to: next.epochMilliseconds).set("give_up_at", to: self.policy.giveUp(from: now).epochMilliseconds)
                    .set("updated_at", to: nowMillis)
                    .where("id", .equal, message.id).where("status", .equal, NotificationStatus.technicalFailure.rawValue).run()
                try await Self.note(message.id, outcome: "re-driven", detail: "re-driven by \(operatorName)", at: nowMillis, in: db)
            }
            return dead.map(\.id)
        }
    }
}
