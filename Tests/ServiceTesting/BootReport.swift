import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit

/// What a freshly built service shows from the outside: the checks every service's test suite makes.
public struct BootReport: Sendable {
    /// `/health/ready` answered 200 with the database and migrations passing.
    public var ready: Bool
    /// The title of its `/openapi.json`.
    public var openAPITitle: String?
    /// Paths its OpenAPI document describes.
    public var openAPIPaths: Set<String>
    /// Event types waiting in its outbox (the start announcement, while the portal is not there to take it).
    public var pendingEvents: [String]

    /// What a booted service must show, as sentences for whatever is missing (empty when all is well).
    public func unmet(title: String) -> [String] {
        var unmet: [String] = []
        if !self.ready { unmet.append("/health/ready is not passing database and migrations") }
        if self.openAPITitle != title { unmet.append("OpenAPI title is \(self.openAPITitle ?? "missing"), not \(title)") }
        let common: Set<String> = ["/health/live", "/health/ready", "/metrics", "/openapi.json", "/internal/events"]
        if !self.openAPIPaths.isSuperset(of: common) { unmet.append("OpenAPI lacks \(common.subtracting(self.openAPIPaths).sorted())") }
        if self.pendingEvents != [EventType.serviceStarted] { unmet.append("outbox holds \(self.pendingEvents), not one start announcement") }
        return unmet
    }

    /// Drives the application in-process and collects the report.
    public static func collect(_ app: some ApplicationProtocol, settings: ServiceSettings) async throws -> BootReport {
        let token = try await TokenVerifier(serviceSecret: settings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: "tests", to: settings.name)
        return try await app.test(.router) { client in
            let ready = try await client.execute(uri: "/health/ready", method: .get) { response in
                response.status == .ok && String(buffer: response.body).contains("\"migrations\":\"pass\"")
            }
            let document = try await client.execute(uri: "/openapi.json", method: .get) { response in
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            }
            let pending = try await client.execute(uri: "/internal/outbox?status=pending", method: .get,
                                                   headers: [.authorization: "Bearer \(token)"]) { response in
                try JSONDecoder().decode([OutboxAdmin.Entry].self, from: Data(response.body.readableBytesView))
            }
            return BootReport(
                ready: ready,
                openAPITitle: (document?["info"] as? [String: Any])?["title"] as? String,
                openAPIPaths: Set(((document?["paths"] as? [String: Any]) ?? [:]).keys),
                pendingEvents: pending.map(\.eventType)
            )
        }
    }
}
