import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// What the bank calls: the IPN, the only thing that confirms money, and the return URL it sends the payer back to,
/// which shows our stored state and never takes the bank's redirect as proof.
struct GatewayController {
    let workflow: PaymentWorkflow

    static let ipnPath = VNPay.ipnPath
    static let returnPath = VNPay.returnPath

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get(RouterPath(Self.ipnPath), use: self.ipn)
        router.get(RouterPath(Self.returnPath), use: self.back)
        openAPI.add("GET", Self.ipnPath, summary: "The bank's signed payment notification (VNPay 2.1.0 IPN). Answers {RspCode, Message}: 97 wrong "
                    + "checksum, 01 unknown order, 04 wrong amount, 02 already settled, 00 recorded (a decline too)", tag: "gateway",
                    responses: [200: ("The answer for the bank", Schema.object(["RspCode": Schema.string, "Message": Schema.string]))])
        openAPI.add("GET", Self.returnPath, summary: "Where the bank sends the payer back: marks the payment submitted when the redirect is "
                    + "signed, then 303 to the portal's return URL with ?payment=<id>, which shows the stored state", tag: "gateway",
                    responses: [303: ("To the portal", nil), 400: ("Not a redirect from the bank (fields missing or unsigned)", nil),
                                404: ("No payment with that vnp_TxnRef", nil)])
    }

    @Sendable func ipn(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let query = request.uri.query ?? ""
        let answer: VNPay.IPNAnswer
        if let parameters = VNPay.parameters(ofQuery: query) {
            answer = try await self.workflow.notify(parameters, rawQuery: query, requestID: context.requestID)
        } else {
            answer = .invalidChecksum
        }
        context.logger.info("bank notification", metadata: ["answer": .string(answer.RspCode)])
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(answer))))
    }

    @Sendable func back(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        guard let parameters = VNPay.parameters(ofQuery: request.uri.query ?? ""), let reference = parameters["vnp_TxnRef"] else {
            throw Problem.badRequest("This address is where the bank sends a payer back; the request carries no vnp_TxnRef.")
        }
        let signed = VNPay.isSigned(parameters, secret: self.workflow.merchant.account.secret)
        let payment = try await self.workflow.runtime.database.transaction { db -> PaymentRecord? in
            guard let payment = try await self.workflow.payments.find(reference: reference, in: db) else { return nil }
            // Back from the bank: the payer has done their part. Only a signed redirect says so; its result is not used.
            if signed, payment.state == .started {
                _ = try await self.workflow.move(payment, to: .submitted, cause: "return", requestID: context.requestID, in: db)
            }
            return payment
        }
        guard let payment else { throw Problem.notFound("There is no payment with the reference \(reference).") }
        return PaymentController.redirect(PaymentController.back(payment))
    }
}
