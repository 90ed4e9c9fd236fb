import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// Payments and the fees owed, as an officer sees them: what a dossier owes (single-window), the payments made for
/// it, cash taken at the counter with its receipt (payments records it, settles it at once and tells single-window,
/// which goes on with a dossier that waited for its fee). Every call carries the officer's token.
struct PaymentsDesk: Sendable {
    let client: ServiceClient

    func fees(of code: String, as token: String, requestID: String) async throws -> DossierFees {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/dossiers/by-code/\(code.pathSegment)/fees", requestID: requestID,
                                   authorization: "Bearer " + token).decode(DossierFees.self)
    }

    func payments(of code: String, as token: String, requestID: String) async throws -> [PaymentView] {
        try await self.client.send(.GET, service: Topology.payments, path: "/v1/payments?dossier=" + FormEncoding.encode(code) + "&pageSize=50",
                                   requestID: requestID, authorization: "Bearer " + token).decode(Page<PaymentView>.self).items
    }

    /// Cash paid at the counter. `key` makes a second send of the same form (a double click, a reload) the same payment.
    func takeCash(_ request: CounterPaymentRequest, key: String, as token: String, requestID: String) async throws -> PaymentView {
        try await self.client.send(.POST, service: Topology.payments, path: "/v1/payments/counter", body: try StreamingJSON.encode(request),
                                   headers: [("Idempotency-Key", key)], requestID: requestID, idempotent: true, authorization: "Bearer " + token)
            .decode(PaymentView.self)
    }

    /// The printable receipt of a paid fee, as payments draws it (with payments' own content policy, which allows
    /// exactly its inline style and print script).
    func receipt(_ id: String, as token: String, requestID: String) async throws -> Response {
        let answer = try await self.client.send(.GET, service: Topology.payments, path: "/v1/payments/\(id.pathSegment)/receipt", requestID: requestID,
                                                authorization: "Bearer " + token).succeeded()
        let policy = answer.headers.first { $0.0.lowercased() == "content-security-policy" }?.1 ?? "default-src 'none'; frame-ancestors 'none'"
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: policy],
                        body: .init(byteBuffer: ByteBuffer(data: answer.body)))
    }
}
