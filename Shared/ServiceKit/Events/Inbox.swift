import Foundation
import SQLKit

/// Applies each incoming event id once: the id is recorded in the same transaction as the event's effect.
public enum Inbox {
    public enum Outcome: String, Sendable {
        case applied
        case duplicate
    }

    public static func receive(
        _ envelope: EventEnvelope, on database: Database, apply: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws -> Outcome {
        do {
            return try await database.transaction { db in
                if try await self.seen(envelope.id, db) { return .duplicate }
                try await db.insert(into: "inbox").columns("event_id", "event_type", "source", "received_at")
                    .values(SQLBind(envelope.id), SQLBind(envelope.type), SQLBind(envelope.source),
                            SQLBind(Date().epochMilliseconds))
                    .run()
                try await apply(db)
                return .applied
            }
        } catch {
            // Two deliveries of one event raced: the loser's insert failed on the key; the winner applied it.
            if (try? await database.read({ try await self.seen(envelope.id, $0) })) == true { return .duplicate }
            throw error
        }
    }

    static func seen(_ id: String, _ db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("event_id").from("inbox").where("event_id", .equal, id).first() != nil
    }
}
