import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import SQLKit

/// Every change to a payment goes through here: the state table decides whether a move is allowed, the move and
/// its event are written in one transaction (the event leaves through the outbox), and a refused move is logged.
struct PaymentWorkflow: Sendable {
    let runtime: ServiceRuntime
    let payments: PaymentRepository
    let merchant: VNPayMerchant
    let now: @Sendable () -> Date

    var logger: Logger { self.runtime.logger }

    /// Moves a payment read in `db`; false (logged, nothing written) when the table refuses the move or another
    /// writer moved it first.
    func move(_ payment: PaymentRecord, to state: PaymentState, cause: String, detail: String? = nil, change: PaymentChange = PaymentChange(),
              requestID: String?, in db: any SQLDatabase) async throws -> Bool {
        let now = self.now()
        guard try await self.payments.move(payment, to: state, cause: cause, detail: detail, change: change, at: now, in: db) else {
            self.logger.warning("payment move refused", metadata: [
                "payment": .string(payment.id), "from": .string(payment.state.rawValue), "to": .string(state.rawValue), "cause": .string(cause),
            ])
            return false
        }
        if let event = try Self.event(for: payment, to: state, failure: change.failure, source: self.runtime.settings.name, requestID: requestID) {
            try await self.runtime.outbox.enqueue(event, in: db)
        }
        return true
    }

    /// `payment.succeeded` and `payment.failed` (also for an error, with the reason).
    static func event(for payment: PaymentRecord, to state: PaymentState, failure: PaymentFailure?, source: String, requestID: String?) throws
        -> EventEnvelope? {
        let type: String
        switch state {
        case .success: type = EventType.paymentSucceeded
        case .failed, .error: type = EventType.paymentFailed
        default: return nil
        }
        return try EventEnvelope(type: type, source: source, requestId: requestID, payload: PaymentEventPayload(
            paymentId: payment.id, dossierId: payment.dossierId, amount: payment.amount, dossierCode: payment.dossierCode,
            agencyCode: payment.agencyCode, reason: state == .error ? "error" : failure?.rawValue, method: payment.method.rawValue))
    }

    // MARK: The bank's word

    /// Applies the bank's notification (IPN) and returns the answer for the bank. A notification that fails its
    /// checks changes nothing; every notification is kept with the answer it got.
    func notify(_ parameters: [String: String], rawQuery: String, requestID: String?) async throws -> VNPay.IPNAnswer {
        let reference = parameters["vnp_TxnRef"]
        let secret = self.merchant.account.secret, tmnCode = self.merchant.account.tmnCode
        // A forged notification is answered before anything is read.
        guard VNPay.isSigned(parameters, secret: secret) else {
            try await self.keep(rawQuery, reference: reference, answer: .invalidChecksum)
            return .invalidChecksum
        }
        let bank = PaymentChange(paidAt: parameters["vnp_PayDate"].flatMap(VNPay.date(fromTimestamp:)) ?? self.now(),
                                 bankTransactionNo: parameters["vnp_TransactionNo"], bankCode: parameters["vnp_BankCode"])
        return try await self.runtime.database.transaction { db in
            var payment: PaymentRecord?
            if let reference { payment = try await self.payments.find(reference: reference, in: db) }
            var answer: VNPay.IPNAnswer
            switch GatewayVerdict.forNotification(parameters, secret: secret, tmnCode: tmnCode, payment: payment) {
            case .refuse(let refusal):
                answer = refusal
            case .settle(let state, let failure):
                var change = bank
                change.failure = failure
                if state != .success { change.paidAt = nil }
                let moved = try await self.move(payment!, to: state, cause: "ipn", detail: "vnp_ResponseCode \(parameters["vnp_ResponseCode"] ?? "")",
                                                change: change, requestID: requestID, in: db)
                answer = moved ? .confirmed : .alreadyConfirmed
            }
            try await self.keep(rawQuery, reference: reference, answer: answer, in: db)
            return answer
        }
    }

    private func keep(_ query: String, reference: String?, answer: VNPay.IPNAnswer) async throws {
        try await self.runtime.database.transaction { try await self.keep(query, reference: reference, answer: answer, in: $0) }
    }

    private func keep(_ query: String, reference: String?, answer: VNPay.IPNAnswer, in db: any SQLDatabase) async throws {
        try await db.insert(into: "gateway_notifications").columns("id", "received_at", "reference", "answer", "query")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(self.now().epochMilliseconds), SQLBind(reference.map { String($0.prefix(100)) }),
                    SQLBind(answer.RspCode), SQLBind(String(query.prefix(4000))))
            .run()
    }

    /// Asks the bank about a payment that has not been confirmed, and settles it by the answer: paid → success;
    /// declined → failed; unknown to the bank or still open past its expiry → failed (expired). Returns the new state,
    /// nil when nothing changed.
    @discardableResult
    func reconcileWithBank(_ payment: PaymentRecord, requestID: String?) async throws -> PaymentState? {
        let now = self.now()
        let expired = payment.expiresAt.map { $0 < now } ?? false
        let answer: VNPay.TransactionResponse
        do {
            answer = try await self.merchant.query(payment, at: now)
        } catch {
            self.logger.warning("payment query failed", metadata: ["payment": .string(payment.id), "error": .string("\(error)")])
            try await self.payments.markQueried(payment.id, at: now)
            return nil
        }
        var target: (PaymentState, PaymentFailure?)?
        var change = PaymentChange()
        switch answer.vnp_ResponseCode {
        case VNPay.TransactionResponse.found where VNPay.vnd(fromAmount: answer.vnp_Amount) == payment.amount:
            switch answer.vnp_TransactionStatus {
            case VNPay.TransactionStatus.success:
                target = (.success, nil)
                change = PaymentChange(paidAt: VNPay.date(fromTimestamp: answer.vnp_PayDate) ?? now, bankTransactionNo: answer.vnp_TransactionNo,
                                       bankCode: answer.vnp_BankCode)
            case VNPay.TransactionStatus.pending:
                if expired { target = (.failed, .expired) }
            default:
                target = (.failed, .declined)
            }
        case VNPay.TransactionResponse.notFound:
            if expired { target = (.failed, .expired) }
        default:
            self.logger.warning("payment query answered", metadata: ["payment": .string(payment.id), "code": .string(answer.vnp_ResponseCode)])
        }
        guard let (state, failure) = target else {
            try await self.payments.markQueried(payment.id, at: now)
            return nil
        }
        change.failure = failure
        let settled = change
        return try await self.runtime.database.transaction { db in
            guard let current = try await self.payments.find(id: payment.id, in: db), !current.state.isFinal else { return nil }
            let cause = failure == .expired && answer.vnp_ResponseCode != VNPay.TransactionResponse.found ? "expiry" : "querydr"
            let moved = try await self.move(current, to: state, cause: cause, detail: "querydr \(answer.vnp_ResponseCode)/\(answer.vnp_TransactionStatus)",
                                            change: settled, requestID: requestID, in: db)
            return moved ? state : nil
        }
    }
}
