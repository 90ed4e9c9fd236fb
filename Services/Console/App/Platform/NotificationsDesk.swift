import Contracts
import DomainKit
import Foundation
import ServiceKit

/// The notifications service's message templates, read and changed with the administrator's own token (only an
/// admin may make a new version; notifications decides).
struct NotificationsDesk: Sendable {
    let client: ServiceClient

    func templates(as token: String, requestID: String) async throws -> [MessageTemplate] {
        try await self.client.send(.GET, service: Topology.notifications, path: "/v1/templates", requestID: requestID,
                                   authorization: "Bearer " + token).decode([MessageTemplate].self)
    }

    func template(_ id: String, as token: String, requestID: String) async throws -> MessageTemplate {
        try await self.client.send(.GET, service: Topology.notifications, path: "/v1/templates/" + id.pathSegment, requestID: requestID,
                                   authorization: "Bearer " + token).decode(MessageTemplate.self)
    }

    func preview(_ id: String, _ request: TemplatePreviewRequest, as token: String, requestID: String) async throws -> TemplatePreview {
        try await self.client.send(.POST, service: Topology.notifications, path: "/v1/templates/\(id.pathSegment)/preview",
                                   body: try StreamingJSON.encode(request), requestID: requestID, idempotent: true,
                                   authorization: "Bearer " + token).decode(TemplatePreview.self)
    }

    func update(_ id: String, _ change: TemplateUpdate, as token: String, requestID: String) async throws -> MessageTemplate {
        try await self.client.send(.PUT, service: Topology.notifications, path: "/v1/templates/" + id.pathSegment, body: try StreamingJSON.encode(change),
                                   requestID: requestID, idempotent: false, authorization: "Bearer " + token).decode(MessageTemplate.self)
    }
}
