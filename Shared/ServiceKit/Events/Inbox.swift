import Foundation
import SQLKit

/// Applies each incoming event id once: the id is recorded in the same transaction as the event's effect.
public enum Inbox {
    public enum Outcome: String, Sendable, Codable {
        case applied
        case duplicate
        /// Nobody here handles the type: acknowledged, so a new subscription never blocks the sender's outbox.
        case ignored
        /// The handler failed; nothing of the event was kept, and the sender tries it again.
        case failed
    }

    /// What became of one event of a batch (`POST /internal/events` with an array answers one per event).
    public struct Receipt: Codable, Sendable, Equatable {
        public let id: String
        public let outcome: Outcome
        public let detail: String?

        public init(id: String, outcome: Outcome, detail: String? = nil) {
            self.id = id
            self.outcome = outcome
            self.detail = detail
        }
    }

    public static func receive(
        _ envelope: EventEnvelope, on database: Database, apply: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws -> Outcome {
        do {
            return try await database.transaction { db in
                if try await self.seen([envelope.id], db).contains(envelope.id) { return .duplicate }
                try await self.remember([envelope], db)
                try await apply(db)
                return .applied
            }
        } catch {
            // Two deliveries of one event raced: the loser's insert failed on the key; the winner applied it.
            if (try? await database.read({ try await self.seen([envelope.id], $0) }))?.contains(envelope.id) == true { return .duplicate }
            throw error
        }
    }

    /// Applies a batch in order, in one transaction (one commit for all of them), each event in a savepoint of its
    /// own: a failing event's writes are undone and it is answered `failed`, and the others stand. Every handler runs
    /// once per delivery. Answers one receipt per envelope, in order. Only when the transaction itself fails (the
    /// database went away) is every handled event answered `failed`, to be sent again.
    public static func receive(_ envelopes: [EventEnvelope], on database: Database, handlers: [String: EventHandler]) async -> [Receipt] {
        guard envelopes.contains(where: { handlers[$0.type] != nil }) else { return envelopes.map { Receipt(id: $0.id, outcome: .ignored) } }
        do {
            return try await database.transaction { db in
                var seen = try await self.seen(envelopes.filter { handlers[$0.type] != nil }.map(\.id), db)
                var receipts: [Receipt] = []
                for envelope in envelopes {
                    guard let handler = handlers[envelope.type] else {
                        receipts.append(Receipt(id: envelope.id, outcome: .ignored))
                        continue
                    }
                    guard seen.insert(envelope.id).inserted else {
                        receipts.append(Receipt(id: envelope.id, outcome: .duplicate))
                        continue
                    }
                    try await db.raw("SAVEPOINT motcua_event").run()
                    do {
                        try await self.remember([envelope], db)
                        try await handler(envelope, db)
                        try await db.raw("RELEASE motcua_event").run()
                        receipts.append(Receipt(id: envelope.id, outcome: .applied))
                    } catch {
                        try await db.raw("ROLLBACK TO motcua_event").run()
                        try await db.raw("RELEASE motcua_event").run()
                        receipts.append(Receipt(id: envelope.id, outcome: .failed, detail: "\(error)"))
                    }
                }
                return receipts
            }
        } catch {
            return envelopes.map { Receipt(id: $0.id, outcome: handlers[$0.type] == nil ? .ignored : .failed, detail: "\(error)") }
        }
    }

    private static func remember(_ envelopes: [EventEnvelope], _ db: any SQLDatabase) async throws {
        guard !envelopes.isEmpty else { return }
        let now = Date().epochMilliseconds
        var insert = db.insert(into: "inbox").columns("event_id", "event_type", "source", "received_at")
        for envelope in envelopes {
            insert = insert.values(SQLBind(envelope.id), SQLBind(envelope.type), SQLBind(envelope.source), SQLBind(now))
        }
        try await insert.run()
    }

    /// Which of `ids` were applied before.
    static func seen(_ ids: [String], _ db: any SQLDatabase) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        struct Row: Decodable { let event_id: String }
        return Set(try await db.select().column("event_id").from("inbox").where("event_id", .in, ids)
            .all(decoding: Row.self).map(\.event_id))
    }
}
