import Contracts
import Foundation
import Hummingbird
import HTTPTypes
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
    /// Where a GET route's real answer differs from its OpenAPI declaration: a status it does not declare, or a body
    /// of another shape (an array declared as an object), as a client generated from the document would meet it.
    public var undeclared: [String] = []

    /// What a booted service must show, as sentences for whatever is missing (empty when all is well).
    public func unmet(title: String) -> [String] {
        var unmet: [String] = []
        if !self.ready { unmet.append("/health/ready is not passing database and migrations") }
        if self.openAPITitle != title { unmet.append("OpenAPI title is \(self.openAPITitle ?? "missing"), not \(title)") }
        let common: Set<String> = ["/health/live", "/health/ready", "/metrics", "/openapi.json", "/internal/events"]
        if !self.openAPIPaths.isSuperset(of: common) { unmet.append("OpenAPI lacks \(common.subtracting(self.openAPIPaths).sorted())") }
        if self.pendingEvents != [EventType.serviceStarted] { unmet.append("outbox holds \(self.pendingEvents), not one start announcement") }
        return unmet + self.undeclared
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
            var undeclared: [String] = []
            for (path, item) in ((document?["paths"] as? [String: [String: Any]]) ?? [:]).sorted(by: { $0.key < $1.key })
            where !path.contains("{") && path != "/metrics" {
                guard let operation = item["get"] as? [String: Any], let responses = operation["responses"] as? [String: [String: Any]] else { continue }
                for headers: HTTPFields in [[:], [.authorization: "Bearer \(token)"]] {
                    let (status, type, body) = try await client.execute(uri: path, method: .get, headers: headers) { response in
                        (Int(response.status.code), response.headers[.contentType] ?? "", Data(response.body.readableBytesView))
                    }
                    let who = headers.isEmpty ? "without a token" : "with a service token"
                    guard let declared = responses[String(status)] else {
                        undeclared.append("GET \(path) \(who) answers \(status), which its OpenAPI entry does not declare (\(responses.keys.sorted()))")
                        continue
                    }
                    guard let content = declared["content"] as? [String: [String: Any]], let (media, entry) = content.first else { continue }
                    if !type.hasPrefix(media) { undeclared.append("GET \(path) \(who) answers \(status) as \(type), declared as \(media)") }
                    guard media.hasSuffix("json"), let schema = entry["schema"] as? [String: Any], let kind = schema["type"] as? String,
                          let value = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { continue }
                    let actual = value is [Any] ? "array" : value is [String: Any] ? "object" : value is String ? "string" : "other"
                    if ["array", "object", "string"].contains(kind), kind != actual {
                        undeclared.append("GET \(path) \(who) answers \(status) with an \(actual), declared as \(kind)")
                    }
                }
            }
            return BootReport(
                ready: ready,
                openAPITitle: (document?["info"] as? [String: Any])?["title"] as? String,
                openAPIPaths: Set(((document?["paths"] as? [String: Any]) ?? [:]).keys),
                pendingEvents: pending.map(\.eventType),
                undeclared: undeclared
            )
        }
    }
}
