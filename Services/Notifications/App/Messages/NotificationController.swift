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
    /// Per recipient (a person is not flooded) and for the whole service (the gateway's contracted rate).
    let recipientLimiter: RateLimiter
    let globalLimiter: RateLimiter
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
        let caller = try context.requireRole(.service, .admin)
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
        try await self.admit(recipient, channel: template.channel)
        let hash = try key.map { _ in try Idempotency.hash(of: asked) }
        let notifications = self.notifications
        let (stored, isNew) = try await self.database.transaction { db -> (String, Bool) in
            if let key, let hash, let earlier = try await notifications.claim(caller: caller.subject, key: key, in: db) {
                guard earlier.request_hash == hash else {
                    throw Problem.conflict("This Idempotency-Key was used for a different message; use a new key for a new message.")
                }
                return (earlier.notification_id, false)
            }
            try await notifications.insert(created, giveUpAt: self.policy.giveUp(from: now), in: db)
            if let key, let hash { try await notifications.remember(caller: caller.subject, key: key, hash: hash, notificationID: created.id, in: db) }
            return (created.id, true)
        }
        guard let view = isNew ? created : try await self.notifications.find(stored) else {
            throw Problem(.internalServerError, detail: "An idempotency key points at a missing message.")
        }
        var response = Response(status: isNew ? .created : .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.motcua.encode(view))))
        response.headers[.location] = "/v1/notifications/\(view.id)"
        return response
    }

    /// 429 with Retry-After past the recipient's or the service's rate.
    private func admit(_ recipient: String, channel: MessageTemplate.Channel) async throws {
        let key = channel.rawValue + ":" + recipient
        if let wait = await self.recipientLimiter.take(key) {
            var problem = Problem(.tooManyRequests, detail: "Too many messages to \(recipient) just now; try again in \(wait) seconds.")
            problem.extraHeaders["Retry-After"] = String(wait)
            throw problem
        }
        if let wait = await self.globalLimiter.take("all") {
            var problem = Problem(.tooManyRequests, detail: "The service is taking messages as fast as its gateways allow; try again in \(wait) seconds.")
            problem.extraHeaders["Retry-After"] = String(wait)
            throw problem
        }
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> NotificationView {
        try context.requireRole(.service, .admin)
        let id = try context.parameters.require("id")
        guard let message = try await self.notifications.find(id) else { throw Problem.notFound("There is no message with the id \(id).") }
        return message
    }

    struct Page: Codable, Sendable, ResponseEncodable {
        let items: [NotificationView]
        let total: Int
        let page: Int
        let pageSize: Int
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page {
        try context.requireRole(.service, .admin)
        let status = try request.query("status", as: NotificationStatus.self)
        let channel = try request.query("channel", as: MessageTemplate.Channel.self)
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 50, range: 1...200)
        let (items, total) = try await self.notifications.list(status: status, channel: channel, recipient: request.query("recipient"),
                                                               reference: request.query("reference"), page: page, pageSize: pageSize)
        return Page(items: items, total: total, page: page, pageSize: pageSize)
    }
}

extension NotificationView: ResponseEncodable {}
