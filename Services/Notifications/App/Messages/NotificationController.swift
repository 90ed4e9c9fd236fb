import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// Messages: accepted from other services (persisted before the answer), read one by one with every attempt, and
/// searched by operators.
struct NotificationController {
    let notifications: NotificationRepository
    let templates: TemplateRepository
    let composer: MessageComposer
    let policy: DeliveryPolicy
    /// Messages posted together are stored together (new ones only once `MessageAdmission` lets them in).
    let batcher: WriteBatcher<NotificationRepository.Accepted, NotificationRepository.AcceptOutcome>
    let database: Database
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/notifications", use: self.send)
        router.get("/v1/notifications/:id", use: self.show)
        router.get("/v1/notifications", use: self.list)

        openAPI.add("POST", "/v1/notifications", summary: "A message from a template to one recipient (services and admins). Idempotency-Key: "
                    + "the same key and body return the first message, a different body 409", tag: "notifications",
                    request: Schema.object(["templateId": Schema.string, "recipient": Schema.string, "values": Schema.anyObject,
                                            "reference": Schema.string, "urgent": Schema.boolean],
                                           required: ["templateId", "recipient", "values"]),
                    responses: [201: ("Accepted and stored", Schema.anyObject), 200: ("Replayed by Idempotency-Key", Schema.anyObject),
                                400: ("Values missing, each named; a bad key", nil), 403: ("Not a service or an admin", nil),
                                409: ("Key reused for another body", nil), 422: ("Unknown template, a recipient wrong for the channel, an SMS too long", nil),
                                429: ("Too many for this recipient, or for the service; Retry-After says when", nil)],
                    token: true)
        openAPI.add("GET", "/v1/notifications/:id", summary: "A message with its status and every attempt", tag: "notifications",
                    responses: [200: ("The message", Schema.anyObject), 404: ("No such message", nil)], token: true)
        openAPI.add("GET", "/v1/notifications", summary: "Operators: ?status=, ?channel=, ?recipient=, ?reference=, page, pageSize", tag: "notifications",
                    responses: [200: ("A page of messages, newest first", Schema.anyObject), 400: ("A bad filter", nil)], token: true)
    }

    @Sendable func send(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        // The portal's account codes; operators' messages. Dossier messages come from events, not from this route.
        let caller = try context.requireCaller(Topology.portal, admins: true)
        let key = try request.idempotencyKey()
        let asked = try await request.decodeJSON(as: SendNotificationRequest.self)
        guard let template = try await self.templates.find(asked.templateId) else {
            throw Problem.validation([FieldIssue(field: "templateId", code: "template.unknown", vi: "Không có mẫu tin \(asked.templateId).",
                                                 en: "There is no template \(asked.templateId).")])
        }
        let recipient = try self.composer.recipient(asked.recipient, for: template.channel)
        let (message, _) = try self.composer.compose(template, values: asked.values)
        let now = self.now()
        let created = self.policy.message(template: template, recipient: recipient, reference: asked.reference, message: message,
                                          urgent: asked.urgent ?? false, now: now)
        let hash = try key.map { _ in try Idempotency.hash(of: asked) }
        let outcome = try await self.batcher.write(NotificationRepository.Accepted(
            message: created, caller: caller.subject, key: key, hash: hash
        ))
        let isNew: Bool
        let found: NotificationView?
        switch outcome {
        case .created: (isNew, found) = (true, created)
        case .replayed(let id): (isNew, found) = (false, try await self.notifications.find(id))
        }
        guard let view = found else {
            throw Problem(.internalServerError, detail: "An idempotency key points at a missing message.")
        }
        return try Response.json(view, status: isNew ? .created : .ok, location: "/v1/notifications/\(view.id)")
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> NotificationView {
        // Messages carry one-time codes: operators read them, no service does.
        try context.requireRole(.admin)
        let id = try context.parameters.require("id")
        guard let message = try await self.notifications.find(id) else { throw Problem.notFound("There is no message with the id \(id).") }
        return message
    }

    typealias Page = ServiceKit.Page<NotificationView>

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page {
        try context.requireRole(.admin)
        return try await Self.page(request, status: request.query("status", as: NotificationStatus.self), from: self.notifications)
    }

    /// A page of messages as operators ask for one: ?channel=, ?recipient=, ?reference=, page, pageSize (and the status
    /// given, from the query or by the route).
    static func page(_ request: Request, status: NotificationStatus?, from notifications: NotificationRepository) async throws -> Page {
        let channel = try request.query("channel", as: MessageTemplate.Channel.self)
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 50, range: 1...200)
        let (items, total) = try await notifications.list(status: status, channel: channel, recipient: request.query("recipient"),
                                                          reference: request.query("reference"), page: page, pageSize: pageSize)
        return Page(items: items, total: total, page: page, pageSize: pageSize)
    }
}

extension NotificationView: ResponseEncodable {}
