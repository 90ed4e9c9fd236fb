import DomainKit
import Foundation
import SQLKit

/// Writes events in the caller's transaction, one row per subscriber, so an event leaves if and only if
/// the change that caused it is committed.
public struct Outbox: Sendable {
    /// Which services receive each event type.
    public let subscriptions: [String: [String]]

    public init(subscriptions: [String: [String]]) {
        self.subscriptions = subscriptions
    }

    /// Records the event inside `db`, which must be the transaction that makes the change.
    public func enqueue(_ envelope: EventEnvelope, in db: any SQLDatabase) async throws {
        try await self.enqueue([envelope], in: db)
    }

    /// Several events in one statement: a row for each event and each of its subscribers.
    public func enqueue(_ envelopes: [EventEnvelope], in db: any SQLDatabase) async throws {
        let now = Date().epochMilliseconds
        var insert = db.insert(into: "outbox")
            .columns("id", "event_id", "event_type", "subscriber", "envelope", "status", "attempts", "next_attempt_at", "created_at")
        var rows = 0
        for envelope in envelopes {
            let subscribers = self.subscriptions[envelope.type] ?? []
            guard !subscribers.isEmpty else { continue }
            let text = String(decoding: try envelope.json(), as: UTF8.self)
            for subscriber in subscribers {
                insert = insert.values(SQLBind(TimeOrderedID.make()), SQLBind(envelope.id), SQLBind(envelope.type), SQLBind(subscriber),
                                       SQLBind(text), SQLBind(OutboxStatus.pending.rawValue), SQLBind(0), SQLBind(now), SQLBind(now))
                rows += 1
            }
        }
        guard rows > 0 else { return }
        try await insert.run()
    }
}

/// Where one delivery stands.
public enum OutboxStatus: String, Codable, Sendable {
    case pending
    case delivered
    /// Gave up after the configured attempts; an operator can re-drive it.
    case dead
}
