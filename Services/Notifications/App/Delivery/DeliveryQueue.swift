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
    /// Delivery reports that arrive together are applied together.
    private let reports: WriteBatcher<Report, ReportResult>

    init(database: Database, policy: DeliveryPolicy) {
        self.database = database
        self.policy = policy
        let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
        self.reports = WriteBatcher(database: database, maximum: 256) { try await Self.apply($0, lock: lock, in: $1) }
    }

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
        // PostgreSQL: a replica skips rows another is claiming rather than waiting for them; SQLite has one writer.
        let skipLocked = self.database.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let messages = try await self.database.transaction { db in
            // Two statements, each walking its own index in order (a single OR would sort every due row): first the
            // messages of senders whose lease ran out, then those waiting and due, oldest first.
            let columns = "id, channel, recipient, subject, body, html, attempts, urgent, give_up_at"
            let stranded = try await db.raw("""
                UPDATE notifications SET claim_token = \(bind: token), claimed_until = \(bind: until), updated_at = \(bind: nowMillis)
                WHERE id IN (SELECT id FROM notifications WHERE status = 'sending' AND claimed_until < \(bind: nowMillis) AND channel IN \(channelList)
                             LIMIT \(bind: limit) \(unsafeRaw: skipLocked))
                AND status = 'sending' AND claimed_until < \(bind: nowMillis)
                RETURNING \(unsafeRaw: columns)
                """).all(decoding: Claimed.self)
            guard stranded.count < limit else { return stranded }
            let due = try await db.raw("""
                UPDATE notifications SET status = 'sending', claim_token = \(bind: token), claimed_until = \(bind: until), updated_at = \(bind: nowMillis)
                WHERE id IN (SELECT id FROM notifications WHERE status = 'created' AND next_attempt_at <= \(bind: nowMillis) AND channel IN \(channelList)
                             ORDER BY next_attempt_at LIMIT \(bind: limit - stranded.count) \(unsafeRaw: skipLocked))
                AND status = 'created' AND next_attempt_at <= \(bind: nowMillis)
                RETURNING \(unsafeRaw: columns)
                """).all(decoding: Claimed.self)
            return stranded + due
        }
        return (token, messages)
    }

    /// Records what happened to each claimed message, in one transaction of two statements; a message whose claim was
    /// lost (its lease ran out and another sender took it) or that a delivery report already moved on is left as it is.
    func record(_ outcomes: [(message: Claimed, outcome: Outcome)], token: String, now: Date) async throws {
        guard !outcomes.isEmpty else { return }
        let nowMillis = now.epochMilliseconds
        var rows: [any SQLExpression] = []
        var attempts: [String: Attempt] = [:]
        for (message, outcome) in outcomes {
            let status: NotificationStatus
            var providerID: String?
            var next: Int64?
            var error: String?
            let written: String
            let detail: String
            switch outcome {
            case .accepted(let id, let text):
                (status, providerID, written, detail) = (.sent, id, "sent", text)
            case .refused(let text):
                (status, error, written, detail) = (.permanentFailure, text, "refused", text)
            case .failed(let text):
                let channel = MessageTemplate.Channel(rawValue: message.channel) ?? .sms
                let giveUpAt = Date(epochMilliseconds: message.give_up_at ?? nowMillis)
                error = text
                if let retry = self.policy.retry(afterAttempts: message.attempts + 1, now: now, giveUpAt: giveUpAt, channel: channel,
                                                 urgent: message.urgent != 0) {
                    (status, next, written, detail) = (.created, retry.epochMilliseconds, "failed", text + "; next try " + VietnamTime.rfc3339(retry))
                } else {
                    (status, written, detail) = (.technicalFailure, "gave-up", text + "; retry limit reached")
                }
            }
            let lastError = error.map(Attempt.clipped)
            rows.append(SQLQueryString("(\(bind: message.id), \(bind: status.rawValue), \(bind: providerID), CAST(\(bind: next) AS BIGINT), \(bind: lastError))"))
            attempts[message.id] = Attempt(notification: message.id, at: nowMillis, outcome: written, detail: detail)
        }
        let values = SQLList(rows)
        let attemptRows = attempts
        try await self.database.transaction { db in
            // One UPDATE for the batch, joined to its VALUES list by id (UPDATE ... FROM: SQLite and PostgreSQL alike).
            struct Recorded: Decodable { let id: String }
            let recorded = try await db.raw("""
                WITH outcome(o_id, o_status, o_provider, o_next, o_error) AS (VALUES \(values))
                UPDATE notifications SET
                    status = o_status, provider_id = COALESCE(o_provider, provider_id), next_attempt_at = COALESCE(o_next, next_attempt_at),
                    last_error = o_error, attempts = attempts + 1, updated_at = \(bind: nowMillis), claim_token = NULL, claimed_until = NULL
                FROM outcome
                WHERE notifications.id = o_id AND claim_token = \(bind: token) AND status = 'sending'
                RETURNING notifications.id
                """).all(decoding: Recorded.self)
            // Only what this sender's claim still covered is an attempt of record.
            try await Attempt.insert(recorded.compactMap { attemptRows[$0.id] }, in: db)
        }
    }

    enum ReportResult: Equatable, Sendable {
        case unknown
        /// The report moved the message to this status.
        case applied(NotificationStatus)
        /// The message was already as far or further; nothing changed.
        case ignored(NotificationStatus)
    }

    struct Report: Sendable {
        let id: String
        let status: NotificationStatus
        let providerID: String?
        let detail: String
        let at: Date
    }

    /// A delivery report: moves the message forward to `status` (never back), keeping the gateway's id.
    func report(_ id: String, status: NotificationStatus, providerID: String?, detail: String, now: Date) async throws -> ReportResult {
        try await self.reports.write(Report(id: id, status: status, providerID: providerID, detail: detail, at: now))
    }

    /// A batch of reports in three statements: the messages' statuses (locked on PostgreSQL, where senders of other
    /// replicas write too), one UPDATE for those that move forward, and a note of each report in the attempts.
    private static func apply(_ reports: [Report], lock: String, in db: any SQLDatabase) async throws -> [Result<ReportResult, any Error>] {
        struct Current: Decodable { let id: String; let status: String }
        let ids = Array(Set(reports.map(\.id)))
        let rows = try await db.raw("SELECT id, status FROM notifications WHERE id IN \(SQLGroupExpression(ids.map { SQLBind($0) }))\(unsafeRaw: lock)")
            .all(decoding: Current.self)
        var current: [String: NotificationStatus] = [:]
        for row in rows { current[row.id] = NotificationStatus(rawValue: row.status) }
        var moved: [String: (status: NotificationStatus, providerID: String?)] = [:]
        var notes: [Attempt] = []
        var results: [Result<ReportResult, any Error>] = []
        for report in reports {
            guard let now = current[report.id] else {
                results.append(.success(.unknown))
                continue
            }
            let at = report.at.epochMilliseconds
            if now.rank < report.status.rank {
                current[report.id] = report.status
                moved[report.id] = (report.status, report.providerID)
                notes.append(Attempt(notification: report.id, at: at, outcome: "report", detail: report.detail))
                results.append(.success(.applied(report.status)))
            } else {
                notes.append(Attempt(notification: report.id, at: at, outcome: "report-ignored", detail: report.detail + "; already " + now.rawValue))
                results.append(.success(.ignored(now)))
            }
        }
        if !moved.isEmpty {
            let values = SQLList(moved.map { SQLQueryString("(\(bind: $0.key), \(bind: $0.value.status.rawValue), \(bind: $0.value.providerID))") })
            try await db.raw("""
                WITH report(r_id, r_status, r_provider) AS (VALUES \(values))
                UPDATE notifications SET status = r_status, provider_id = COALESCE(r_provider, provider_id),
                    updated_at = \(bind: reports[0].at.epochMilliseconds)
                FROM report
                WHERE notifications.id = r_id
                """).run()
        }
        try await Attempt.insert(notes, in: db)
        return results
    }

    /// One line of a message's history: a hand-over, a delivery report, a re-drive. Written in batches.
    struct Attempt: Sendable {
        let notification: String
        let at: Int64
        let outcome: String
        let detail: String

        /// Details and errors are kept to a thousand characters.
        static func clipped(_ text: String) -> String { String(text.prefix(1000)) }

        static func insert(_ attempts: [Attempt], in db: any SQLDatabase) async throws {
            guard !attempts.isEmpty else { return }
            var insert = db.insert(into: "notification_attempts").columns("id", "notification_id", "at", "outcome", "detail")
            for attempt in attempts {
                insert = insert.values(SQLBind(TimeOrderedID.make()), SQLBind(attempt.notification), SQLBind(attempt.at),
                                       SQLBind(attempt.outcome), SQLBind(Self.clipped(attempt.detail)))
            }
            try await insert.run()
        }
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
                // Due now, or (a non-urgent SMS at night) when the quiet hours end.
                let next = self.policy.allowed(now, channel: MessageTemplate.Channel(rawValue: message.channel) ?? .sms, urgent: message.urgent != 0)
                try await db.update("notifications")
                    .set("status", to: NotificationStatus.created.rawValue).set("attempts", to: 0)
                    .set("next_attempt_at", to: next.epochMilliseconds).set("give_up_at", to: self.policy.giveUp(from: now).epochMilliseconds)
                    .set("updated_at", to: nowMillis)
                    .where("id", .equal, message.id).where("status", .equal, NotificationStatus.technicalFailure.rawValue).run()
            }
            try await Attempt.insert(dead.map { Attempt(notification: $0.id, at: nowMillis, outcome: "re-driven", detail: "re-driven by \(operatorName)") },
                                     in: db)
            return dead.map(\.id)
        }
    }
}
