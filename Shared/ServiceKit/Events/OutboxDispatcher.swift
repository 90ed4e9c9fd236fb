import Foundation
import Logging
import ServiceLifecycle
import SQLKit

/// Delivers outbox rows to their subscribers' `POST /internal/events`, with exponential backoff and jitter,
/// until they are accepted or have failed `maxAttempts` times (then they are dead-lettered for an operator).
/// Replicas share the table safely: each claims rows with a lease before sending them. The rows a pass claims for
/// one subscriber go in one request, as an array in the order they were written (the subscriber applies them in one
/// transaction and answers a receipt for each), and the subscribers are sent to at once; what came of every row is
/// then recorded in one transaction.
public struct OutboxDispatcher: Service {
    public struct Policy: Sendable {
        public var maxAttempts = 12
        public var baseDelay: Double = 1
        public var maxDelay: Double = 600
        public var pollInterval: Double = 0.25
        public var lease: Double = 30
        public var batchSize = 100
        /// After a pass that found some rows but fewer than `batchSize`, how long more may gather before the next:
        /// under a steady stream of events, a pass of many rows instead of a pass (two transactions on the writer,
        /// and a request) for every few. A full pass goes again at once.
        public var gather: Double = 0.05
        /// Seconds a delivered row is kept (for operators who list `?status=delivered`); 0 keeps them for ever.
        /// Pending and dead rows are never removed.
        public var retention: Double = 7 * 86_400
        /// Seconds between sweeps of delivered rows past `retention`.
        public var sweepInterval: Double = 3_600

        public init() {}

        /// The defaults, with `OUTBOX_RETENTION_DAYS` (7; 0 keeps delivered rows for ever).
        public static func from(_ settings: ServiceSettings) throws(ConfigurationError) -> Policy {
            var policy = Policy()
            policy.retention = Double(try settings.integer("OUTBOX_RETENTION_DAYS", default: 7, range: 0...3_650)) * 86_400
            return policy
        }
    }

    let database: Database
    let client: ServiceClient
    let policy: Policy
    let logger: Logger

    public init(database: Database, client: ServiceClient, policy: Policy = Policy(), logger: Logger) {
        self.database = database
        self.client = client
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await pollUntilCancelled(idle: .milliseconds(Int(self.policy.pollInterval * 1000)),
                                             gather: .milliseconds(Int(self.policy.gather * 1000)),
                                             limit: self.policy.batchSize, logger: self.logger, failure: "outbox pass failed") {
                        try await self.dispatchDue()
                    }
                }
                guard self.policy.retention > 0 else { return }
                group.addTask {
                    await pollUntilCancelled(idle: .seconds(self.policy.sweepInterval), logger: self.logger, failure: "outbox sweep failed") {
                        let removed = try await self.sweepDelivered()
                        if removed > 0 { self.logger.info("outbox swept", metadata: ["removed": .string(String(removed))]) }
                        return false
                    }
                }
            }
        }
    }

    /// Removes delivered rows older than the retention, a thousand at a time (each its own short transaction, so
    /// that the writer is never held for long); returns how many went. Pending and dead rows stay.
    @discardableResult
    public func sweepDelivered(now: Date = Date()) async throws -> Int {
        guard self.policy.retention > 0 else { return 0 }
        let before = now.addingTimeInterval(-self.policy.retention).epochMilliseconds
        struct Removed: Decodable { let id: String }
        var total = 0
        while true {
            let removed = try await self.database.transaction { db in
                try await db.raw("""
                    DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = \(bind: OutboxStatus.delivered.rawValue)
                                                    AND delivered_at < \(bind: before) LIMIT 1000)
                    RETURNING id
                    """).all(decoding: Removed.self).count
            }
            total += removed
            if removed < 1000 { return total }
        }
    }

    struct Row: Decodable, Sendable {
        let id: String
        let event_id: String
        let subscriber: String
        let envelope: String
        let attempts: Int
        let created_at: Int64
        let next_attempt_at: Int64
    }

    /// Claims and sends the rows that are due; returns how many it tried.
    @discardableResult
    public func dispatchDue(now: Date = Date()) async throws -> Int {
        let token = UUID().uuidString.lowercased()
        let nowMillis = now.epochMilliseconds
        let until = nowMillis + Int64(self.policy.lease * 1000)
        let limit = self.policy.batchSize
        // PostgreSQL: a replica skips the rows another is claiming and takes the next ones, rather than waiting for
        // them and then finding them taken. SQLite has one writer at a time and needs no such clause.
        let skipLocked = self.database.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let claimed = try await self.database.transaction { db in
            try await db.raw("""
                UPDATE outbox SET claim_token = \(bind: token), claimed_until = \(bind: until)
                WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: nowMillis)
                             AND (claimed_until IS NULL OR claimed_until < \(bind: nowMillis))
                             ORDER BY next_attempt_at LIMIT \(bind: limit) \(unsafeRaw: skipLocked))
                AND (claimed_until IS NULL OR claimed_until < \(bind: nowMillis))
                RETURNING id, event_id, subscriber, envelope, attempts, created_at, next_attempt_at
                """).all(decoding: Row.self)
        }
        // In the order they were written, so that a subscriber applies one dossier's events in turn. (Read back by the
        // claim itself: a second query by claim token walked every row the outbox ever held, delivered ones too.)
        let rows = claimed.sorted { ($0.created_at, $0.next_attempt_at) < ($1.created_at, $1.next_attempt_at) }
        let bySubscriber = Dictionary(grouping: rows, by: \.subscriber)
        let failures = await withTaskGroup(of: [String: String].self) { group in
            for (subscriber, rows) in bySubscriber { group.addTask { await self.deliver(rows, to: subscriber) } }
            return await group.reduce(into: [String: String]()) { $0.merge($1) { first, _ in first } }
        }
        await self.record(rows, failures: failures, token: token)
        return rows.count
    }

    /// Sends one subscriber its rows; answers why each row that was not accepted failed, by row id.
    private func deliver(_ rows: [Row], to subscriber: String) async -> [String: String] {
        // Only the request id is read back: decoding the whole envelope would rebuild its payload for nothing.
        struct Head: Decodable { let requestId: String? }
        let requestID = (try? JSONDecoder.motcua.decode(Head.self, from: Data(rows[0].envelope.utf8)))?.requestId
        let body = "[" + rows.map(\.envelope).joined(separator: ",") + "]"
        let everyRow = { (failure: String) in Dictionary(uniqueKeysWithValues: rows.map { ($0.id, failure) }) }
        let response: ServiceResponse
        do {
            response = try await self.client.send(.POST, service: subscriber, path: "/internal/events", body: Data(body.utf8),
                                                  requestID: requestID, idempotent: true)
        } catch {
            return everyRow("\(error)")
        }
        guard (200..<300).contains(response.status) else {
            return everyRow("\(subscriber) answered \(response.status): \(response.problem.detail)")
        }
        // The receipts name events; rows are one event for one subscriber, so an event id names one row here.
        guard let receipts = try? response.decode(EventReceipts.self).results else {
            return everyRow("\(subscriber) answered a batch without receipts")
        }
        let outcomes = Dictionary(receipts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var failures: [String: String] = [:]
        for row in rows {
            guard let receipt = outcomes[row.event_id] else {
                failures[row.id] = "\(subscriber) did not acknowledge this event"
                continue
            }
            if receipt.outcome == .failed { failures[row.id] = "\(subscriber) failed to apply it: \(receipt.detail ?? "no detail")" }
        }
        return failures
    }

    /// Marks the accepted rows delivered (one statement) and schedules the others again with backoff, or dead-letters
    /// them, in one transaction.
    private func record(_ rows: [Row], failures: [String: String], token: String) async {
        let now = Date().epochMilliseconds
        let delivered = rows.filter { failures[$0.id] == nil }
        do {
            try await self.database.transaction { db in
                if !delivered.isEmpty {
                    try await db.update("outbox")
                        .set("status", to: OutboxStatus.delivered.rawValue)
                        .set("attempts", to: SQLRaw("attempts + 1"))
                        .set("delivered_at", to: now)
                        .set("claim_token", to: SQLLiteral.null)
                        .set("claimed_until", to: SQLLiteral.null)
                        .where("id", .in, delivered.map(\.id)).where("claim_token", .equal, token)
                        .run()
                }
                for row in rows {
                    guard let failure = failures[row.id] else { continue }
                    let attempts = row.attempts + 1
                    let dead = attempts >= self.policy.maxAttempts
                    let delay = self.backoff(afterAttempts: attempts)
                    try await db.update("outbox")
                        .set("attempts", to: attempts)
                        .set("status", to: dead ? OutboxStatus.dead.rawValue : OutboxStatus.pending.rawValue)
                        .set("next_attempt_at", to: now + Int64(delay * 1000))
                        .set("last_error", to: String(failure.prefix(1000)))
                        .set("claim_token", to: SQLLiteral.null)
                        .set("claimed_until", to: SQLLiteral.null)
                        .where("id", .equal, row.id).where("claim_token", .equal, token)
                        .run()
                }
            }
        } catch {
            // The lease runs out and the rows are sent again: consumers ignore the repeat.
            self.logger.warning("could not record deliveries", metadata: ["rows": "\(rows.count)", "error": "\(error)"])
        }
        for row in rows {
            guard let failure = failures[row.id] else { continue }
            self.logger.warning("event delivery failed", metadata: ["outbox": "\(row.id)", "subscriber": "\(row.subscriber)", "error": "\(failure)"])
        }
    }

    /// Seconds to wait after `attempts` failures: doubling from `baseDelay`, capped, with jitter so a recovering
    /// subscriber is not hit by every sender at once.
    public func backoff(afterAttempts attempts: Int) -> Double {
        Backoff(base: self.policy.baseDelay, cap: self.policy.maxDelay).delay(afterAttempts: attempts)
    }
}

/// Operator views of the outbox.
public enum OutboxAdmin {
    public struct Entry: Codable, Sendable {
        public let id: String
        public let eventId: String
        public let eventType: String
        public let subscriber: String
        public let status: String
        public let attempts: Int
        public let lastError: String?
    }

    public static func list(status: OutboxStatus, on database: Database, limit: Int = 100) async throws -> [Entry] {
        struct Row: Decodable {
            let id: String, event_id: String, event_type: String, subscriber: String, status: String, attempts: Int, last_error: String?
        }
        let rows = try await database.read { db in
            try await db.select().columns("id", "event_id", "event_type", "subscriber", "status", "attempts", "last_error").from("outbox")
                .where("status", .equal, status.rawValue).orderBy("created_at").limit(limit).all(decoding: Row.self)
        }
        return rows.map { Entry(id: $0.id, eventId: $0.event_id, eventType: $0.event_type, subscriber: $0.subscriber,
                                status: $0.status, attempts: $0.attempts, lastError: $0.last_error) }
    }

    /// Puts a dead delivery back in the queue with a fresh count of attempts; false when there is no such dead row.
    public static func redrive(id: String, on database: Database) async throws -> Bool {
        try await database.transaction { db in
            let row = try await db.select().column("id").from("outbox").where("id", .equal, id)
                .where("status", .equal, OutboxStatus.dead.rawValue).first()
            guard row != nil else { return false }
            try await db.update("outbox")
                .set("status", to: OutboxStatus.pending.rawValue).set("attempts", to: 0)
                .set("next_attempt_at", to: Date().epochMilliseconds)
                .where("id", .equal, id).run()
            return true
        }
    }
}
