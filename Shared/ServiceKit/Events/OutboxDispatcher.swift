import Foundation
import Logging
import ServiceLifecycle
import SQLKit

/// Delivers outbox rows to their subscribers' `POST /internal/events`, with exponential backoff and jitter,
/// until they are accepted or have failed `maxAttempts` times (then they are dead-lettered for an operator).
/// Replicas share the table safely: each claims rows with a lease before sending them.
public struct OutboxDispatcher: Service {
    public struct Policy: Sendable {
        public var maxAttempts = 12
        public var baseDelay: Double = 1
        public var maxDelay: Double = 600
        public var pollInterval: Double = 0.25
        public var lease: Double = 30
        public var batchSize = 20

        public init() {}
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
            await pollUntilCancelled(idle: .milliseconds(Int(self.policy.pollInterval * 1000)), logger: self.logger, failure: "outbox pass failed") {
                try await self.dispatchDue() > 0
            }
        }
    }

    struct Row: Decodable, Sendable {
        let id: String
        let subscriber: String
        let envelope: String
        let attempts: Int
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
        let rows = try await self.database.transaction { db in
            try await db.raw("""
                UPDATE outbox SET claim_token = \(bind: token), claimed_until = \(bind: until)
                WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: nowMillis)
                             AND (claimed_until IS NULL OR claimed_until < \(bind: nowMillis))
                             ORDER BY next_attempt_at LIMIT \(bind: limit) \(unsafeRaw: skipLocked))
                AND (claimed_until IS NULL OR claimed_until < \(bind: nowMillis))
                """).run()
            return try await db.select().columns("id", "subscriber", "envelope", "attempts").from("outbox")
                .where("claim_token", .equal, token).all(decoding: Row.self)
        }
        for row in rows {
            await self.deliver(row, token: token)
        }
        return rows.count
    }

    private func deliver(_ row: Row, token: String) async {
        // Only the request id is read back: decoding the whole envelope would rebuild its payload for nothing.
        struct Head: Decodable { let requestId: String? }
        let requestID = (try? JSONDecoder.motcua.decode(Head.self, from: Data(row.envelope.utf8)))?.requestId
        var failure: String?
        do {
            let response = try await self.client.send(.POST, service: row.subscriber, path: "/internal/events", body: Data(row.envelope.utf8),
                                                      requestID: requestID, idempotent: true)
            if !(200..<300).contains(response.status) {
                failure = "\(row.subscriber) answered \(response.status): \(response.problem.detail)"
            }
        } catch {
            failure = "\(error)"
        }
        let now = Date().epochMilliseconds
        let outcome = failure
        do {
            try await self.database.transaction { db in
                if let failure = outcome {
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
                } else {
                    try await db.update("outbox")
                        .set("status", to: OutboxStatus.delivered.rawValue)
                        .set("attempts", to: row.attempts + 1)
                        .set("delivered_at", to: now)
                        .set("claim_token", to: SQLLiteral.null)
                        .set("claimed_until", to: SQLLiteral.null)
                        .where("id", .equal, row.id).where("claim_token", .equal, token)
                        .run()
                }
            }
        } catch {
            // The lease runs out and the row is sent again: consumers ignore the repeat.
            self.logger.warning("could not record a delivery", metadata: ["outbox": "\(row.id)", "error": "\(error)"])
        }
        if let failure {
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
