import Contracts
import Foundation
import NIOHTTP1
import ServiceKit

/// The portal's calls to payments, made with the citizen's token so that payments checks the dossier is theirs.
struct PaymentsGateway: Sendable {
    let client: ServiceClient

    func create(_ request: CreatePaymentRequest, key: String, token: String, requestID: String?) async throws -> PaymentView {
        try await self.client.send(.POST, service: Topology.payments, path: "/v1/payments", body: try StreamingJSON.encode(request),
                                   headers: [("Idempotency-Key", key)], requestID: requestID, idempotent: true,
                                   authorization: "Bearer " + token).decode(PaymentView.self)
    }

    /// The stored payment, or nil when there is none this citizen may see.
    func payment(_ id: String, token: String, requestID: String?) async throws -> PaymentView? {
        let response = try await self.client.send(.GET, service: Topology.payments, path: "/v1/payments/" + id.pathSegment, requestID: requestID,
                                                  authorization: "Bearer " + token)
        if response.status == 404 { return nil }
        return try response.decode(PaymentView.self)
    }

    func payments(dossierCode: String, token: String, requestID: String?) async throws -> [PaymentView] {
        try await self.client.send(.GET, service: Topology.payments, path: "/v1/payments?dossier=" + FormEncoding.encode(dossierCode),
                                   requestID: requestID, authorization: "Bearer " + token).decode(Page<PaymentView>.self).items
    }
}
