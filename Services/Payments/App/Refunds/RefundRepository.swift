import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// A refund as stored: one row of `refunds`.
struct RefundRecord: Sendable, Equatable {
    var id: String
    var paymentId: String
    var amount: VND
    var state: RefundState
    var reason: String
    var requestedBy: String
    /// `vnp_RequestId`, kept so that sending it again refunds once.
    var requestId: String
    var createdAt: Date
}

/// Refunds and the amounts they hold back on their payment.
enum RefundRepository {
    private struct Row: Decodable {
        let id: String, payment_id: String, amount: Int64, state: String, reason: String, requested_by: String, request_id: String
        let created_at: Int64, updated_at: Int64, detail: String?
    }

    private static let columns = ["id", "payment_id", "amount", "state", "reason", "requested_by", "request_id", "created_at", "updated_at", "detail"]

    /// Records a refund as sent and holds its amount back from what the payment can still refund.
    static func insert(_ refund: RefundRecord, in db: any SQLDatabase) async throws {
        try await db.insert(into: "refunds").columns("id", "payment_id", "amount", "state", "reason", "requested_by", "request_id", "created_at", "updated_at")
            .values(SQLBind(refund.id), SQLBind(refund.paymentId), SQLBind(refund.amount.amount), SQLBind(refund.state.rawValue), SQLBind(refund.reason),
                    SQLBind(refund.requestedBy), SQLBind(refund.requestId), SQLBind(refund.createdAt.epochMilliseconds),
                    SQLBind(refund.createdAt.epochMilliseconds))
            .run()
        if refund.state == .submitted {
            try await db.raw("UPDATE payments SET refund_pending = refund_pending + \(bind: refund.amount.amount) WHERE id = \(bind: refund.paymentId)").run()
        } else if refund.state == .success {
            try await db.raw("""
                UPDATE payments SET refunded = refunded + \(bind: refund.amount.amount) WHERE id = \(bind: refund.paymentId)
                """).run()
            try await db.update("refunds").set("settled_day", to: SQLBind(LocalDate(refund.createdAt).description)).where("id", .equal, refund.id).run()
        }
    }

    /// Settles a sent refund: success adds it to the refunded amount; either way it is no longer held back.
    /// False when it was settled already (another sender got the bank's answer first).
    static func settle(_ refund: RefundRecord, to state: RefundState, detail: String?, at now: Date, in db: any SQLDatabase) async throws -> Bool {
        guard PaymentStateTable.allows(refund.state, state) else { return false }
        struct Moved: Decodable { let id: String }
        let moved = try await db.raw("""
            UPDATE refunds SET state = \(bind: state.rawValue), detail = \(bind: detail), updated_at = \(bind: now.epochMilliseconds),
                settled_day = \(bind: state == .success ? LocalDate(now).description : nil)
            WHERE id = \(bind: refund.id) AND state = \(bind: RefundState.submitted.rawValue)
            RETURNING id
            """).all(decoding: Moved.self)
        guard !moved.isEmpty else { return false }
        let refunded = state == .success ? refund.amount.amount : 0
        try await db.raw("""
            UPDATE payments SET refund_pending = refund_pending - \(bind: refund.amount.amount), refunded = refunded + \(bind: refunded),
                updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: refund.paymentId)
            """).run()
        return true
    }

    static func refunds(of paymentID: String, in db: any SQLDatabase) async throws -> [PaymentView.Refund] {
        try await db.select().columns(Self.columns).from("refunds").where("payment_id", .equal, paymentID).orderBy("created_at")
            .all(decoding: Row.self).map { row in
                PaymentView.Refund(id: row.id, amount: VND(row.amount), state: RefundState(rawValue: row.state) ?? .error, reason: row.reason,
                                   requestedBy: row.requested_by, createdAt: Date(epochMilliseconds: row.created_at),
                                   updatedAt: Date(epochMilliseconds: row.updated_at), detail: row.detail)
            }
    }

    /// Refunds sent to the bank and not answered, oldest first: the sweep sends them again.
    static func unanswered(olderThan cutoff: Date, limit: Int, in db: any SQLDatabase) async throws -> [RefundRecord] {
        try await db.select().columns(Self.columns).from("refunds").where("state", .equal, RefundState.submitted.rawValue)
            .where("updated_at", .lessThan, cutoff.epochMilliseconds).orderBy("created_at").limit(limit)
            .all(decoding: Row.self).map(Self.record)
    }

    static func find(_ id: String, in db: any SQLDatabase) async throws -> RefundRecord? {
        try await db.select().columns(Self.columns).from("refunds").where("id", .equal, id).first(decoding: Row.self).map(Self.record)
    }

    static func touch(_ id: String, at now: Date, in db: any SQLDatabase) async throws {
        try await db.update("refunds").set("updated_at", to: SQLBind(now.epochMilliseconds)).where("id", .equal, id).run()
    }

    private static func record(_ row: Row) -> RefundRecord {
        RefundRecord(id: row.id, paymentId: row.payment_id, amount: VND(row.amount), state: RefundState(rawValue: row.state) ?? .error,
                     reason: row.reason, requestedBy: row.requested_by, requestId: row.request_id, createdAt: Date(epochMilliseconds: row.created_at))
    }
}
