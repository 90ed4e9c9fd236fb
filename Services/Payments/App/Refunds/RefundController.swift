import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// Refunds, full or partial, by staff of the payment's agency. The caller names the amount it believes is still
/// refundable; when another refund got there first, that belief is stale and the answer is 412, so no one refunds
/// twice by clicking twice.
struct RefundController {
    let workflow: PaymentWorkflow
    let payments: PaymentController

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/payments/:id/refunds", use: self.refund)
        openAPI.add("POST", "/v1/payments/:id/refunds", summary: "Refund part or all of a paid payment (staff of its agency, admins): "
                    + "through the bank for an online payment, in cash for a counter one", tag: "payments",
                    request: Schema.object(["amount": Schema.integer, "expectedAvailable": Schema.integer, "reason": Schema.string],
                                           required: ["amount", "expectedAvailable", "reason"]),
                    responses: [201: ("Refunded", Schema.ref("Payment")), 202: ("Sent to the bank, no answer yet: it is sent again", Schema.ref("Payment")),
                                409: ("Not a paid payment", nil), 412: ("expectedAvailable is stale: the payment changed", nil),
                                422: ("Amount not within what is available, no reason", nil), 502: ("The bank refused the refund", nil)],
                    token: true)
    }

    @Sendable func refund(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin)
        let id = try context.parameters.require("id")
        let asked = try await request.decodeJSON(as: RefundRequest.self)
        guard !asked.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.validation([FieldIssue(field: "reason", code: "required", vi: "Cần lý do hoàn phí.", en: "A refund needs a reason.")])
        }
        _ = try await self.payments.visible(id, to: identity)
        let now = self.workflow.now()
        let (payment, refund) = try await self.workflow.runtime.database.transaction { db -> (PaymentRecord, RefundRecord) in
            guard let payment = try await self.workflow.payments.find(id: id, in: db) else { throw Problem.notFound("There is no payment with the id \(id).") }
            guard payment.state == .success else {
                throw Problem.conflict("Payment \(id) is \(payment.state.rawValue); only a paid payment can be refunded.")
            }
            let available = payment.availableToRefund
            guard asked.expectedAvailable == available else {
                throw Problem(.preconditionFailed, detail: "You expected \(asked.expectedAvailable.formatted) to be refundable, but \(available.formatted) is: "
                              + "the payment changed since you read it. Read it again and decide.")
            }
            guard asked.amount.amount > 0, asked.amount <= available else {
                throw Problem.validation([FieldIssue(field: "amount", code: "refund.amount", vi: "Số tiền hoàn từ 1 đến \(available.formatted).",
                                                     en: "The refund is between 1 VND and the \(available.formatted) available.")])
            }
            // Cash at the counter is given back at the counter: settled at once.
            let refund = RefundRecord(id: UUID().uuidString.lowercased(), paymentId: id, amount: asked.amount,
                                      state: payment.method == .counter ? .success : .submitted, reason: asked.reason, requestedBy: identity.subject,
                                      requestId: VNPayMerchant.requestID(), createdAt: now)
            try await RefundRepository.insert(refund, in: db)
            if refund.state == .success { try await self.refunded(payment, refund, requestID: context.requestID, in: db) }
            return (payment, refund)
        }
        var status: HTTPResponse.Status = .created
        if refund.state == .submitted {
            switch try await self.send(refund, of: payment, requestID: context.requestID) {
            case .success: break
            case .error(let detail): throw Problem(.badGateway, detail: "The bank refused the refund: \(detail). Nothing was refunded.")
            case nil: status = .accepted
            }
        }
        return try await self.payments.respond(try await self.workflow.payments.find(id: id) ?? payment, status: status)
    }

    enum Outcome: Equatable {
        case success
        case error(String)
    }

    /// Sends a refund to the bank and settles it by the answer; nil when there was no answer (it stays submitted and
    /// the sweep sends it again with the same request id).
    func send(_ refund: RefundRecord, of payment: PaymentRecord, requestID: String?) async throws -> Outcome? {
        let answer: VNPay.TransactionResponse
        do {
            answer = try await self.workflow.merchant.refund(refund, of: payment, at: self.workflow.now())
        } catch {
            self.workflow.logger.warning("refund not answered", metadata: ["refund": .string(refund.id), "error": .string("\(error)")])
            try await self.workflow.runtime.database.transaction { try await RefundRepository.touch(refund.id, at: self.workflow.now(), in: $0) }
            return nil
        }
        let outcome: Outcome = answer.vnp_ResponseCode == VNPay.TransactionResponse.found
            ? .success : .error("\(answer.vnp_ResponseCode) \(answer.vnp_Message)")
        try await self.workflow.runtime.database.transaction { db in
            let detail = outcome == .success ? "bank \(answer.vnp_TransactionNo)" : "bank \(answer.vnp_ResponseCode) \(answer.vnp_Message)"
            guard try await RefundRepository.settle(refund, to: outcome == .success ? .success : .error, detail: detail, at: self.workflow.now(), in: db)
            else { return }
            if outcome == .success { try await self.refunded(payment, refund, requestID: requestID, in: db) }
        }
        return outcome
    }

    private func refunded(_ payment: PaymentRecord, _ refund: RefundRecord, requestID: String?, in db: any SQLDatabase) async throws {
        try await self.workflow.runtime.outbox.enqueue(try EventEnvelope(
            type: EventType.paymentRefunded, source: self.workflow.runtime.settings.name, requestId: requestID,
            payload: PaymentEventPayload(paymentId: payment.id, dossierId: payment.dossierId, amount: refund.amount, dossierCode: payment.dossierCode,
                                         agencyCode: payment.agencyCode, reason: refund.reason)
        ), in: db)
    }
}
