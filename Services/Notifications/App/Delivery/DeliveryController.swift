import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// The delivery pipeline's routes: the SMS gateway's delivery reports (authenticated by the signature in the
/// callback URL we gave it), and the dead letters an operator looks at and re-drives.
struct DeliveryController {
    let queue: DeliveryQueue
    let notifications: NotificationRepository
    let callback: SMSCallback
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("\(SMSCallback.pathPrefix)/:id/:signature", use: self.smsReport)
        router.get("/v1/dead-letters", use: self.deadLetters)
        router.post("/v1/dead-letters/redrive", use: self.redriveAll)
        router.post("/v1/notifications/:id/redrive", use: self.redriveOne)

        openAPI.add("GET", "\(SMSCallback.pathPrefix)/:id/:signature", summary: "The SMS gateway's delivery report (eSMS callback: SMSID, "
                    + "SendStatus, SendSuccess, SendFailed in the query). Moves the message forward only: 5 with a success → delivered, "
                    + "5 without → temporary-failure, 4 → permanent-failure, 1/2/7 → sent", tag: "delivery",
                    responses: [200: ("Taken (applied, or already further on)", Schema.anyObject), 400: ("Not a delivery report", nil),
                                403: ("The signature is not ours", nil), 404: ("No such message", nil)])
        openAPI.add("GET", "/v1/dead-letters", summary: "Messages given up after the retry limit (technical-failure), newest first; "
                    + "?channel=, page, pageSize", tag: "delivery", responses: [200: ("A page of messages", Schema.anyObject)], token: true)
        openAPI.add("POST", "/v1/dead-letters/redrive", summary: "Admins: put dead letters back in the queue with a fresh retry limit — "
                    + "those named in ids, or every one (on channel)", tag: "delivery",
                    request: Schema.object(["ids": Schema.array(Schema.string), "channel": Schema.string]),
                    responses: [200: ("The ids re-driven", Schema.anyObject), 403: ("Not an admin", nil)], token: true)
        openAPI.add("POST", "/v1/notifications/:id/redrive", summary: "Admins: re-drive one dead letter", tag: "delivery",
                    responses: [200: ("The message, waiting again", Schema.anyObject), 404: ("No such message", nil),
                                409: ("It is not a dead letter", nil)], token: true)
    }

    /// What a report says of the message, as our status.
    static func status(of report: ESMS.DeliveryReport) -> NotificationStatus? {
        switch ESMS.SendStatus(rawValue: report.sendStatus) {
        case .sent: report.sendSuccess > 0 ? .delivered : .temporaryFailure
        case .rejected: .permanentFailure
        case .pendingApproval, .waiting, .awaitingReport: .sent
        case nil: nil
        }
    }

    @Sendable func smsReport(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard self.callback.verify(id: id, signature: try context.parameters.require("signature")) else {
            throw Problem.forbidden("This callback URL was not made by this service.")
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        guard let report = ESMS.DeliveryReport(query: query), let status = Self.status(of: report) else {
            throw Problem.badRequest("A delivery report needs SMSID and SendStatus 1, 2, 4, 5 or 7.")
        }
        let detail = "SendStatus \(report.sendStatus), SendSuccess \(report.sendSuccess), SendFailed \(report.sendFailed)"
        let result = try await self.queue.report(id, status: status, providerID: report.smsID, detail: detail, now: self.now())
        let answer: String
        switch result {
        case .unknown: throw Problem.notFound("There is no message \(id).")
        case .applied(let status): answer = #"{"applied":true,"status":"\#(status.rawValue)"}"#
        case .ignored(let status): answer = #"{"applied":false,"status":"\#(status.rawValue)"}"#
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
    }

    @Sendable func deadLetters(_ request: Request, context: ServiceRequestContext) async throws -> NotificationController.Page {
        try context.requireRole(.admin)
        return try await NotificationController.page(request, status: .technicalFailure, from: self.notifications)
    }

    struct Redriven: Codable, Sendable, ResponseEncodable { let redriven: [String] }

    @Sendable func redriveAll(_ request: Request, context: ServiceRequestContext) async throws -> Redriven {
        let admin = try context.requireRole(.admin)
        struct Asked: Decodable { var ids: [String]?; var channel: MessageTemplate.Channel? }
        let asked = try await request.decodeJSON(as: Asked.self)
        return Redriven(redriven: try await self.queue.redrive(ids: asked.ids, channel: asked.channel, by: admin.subject, now: self.now()))
    }

    @Sendable func redriveOne(_ request: Request, context: ServiceRequestContext) async throws -> NotificationView {
        let admin = try context.requireRole(.admin)
        let id = try context.parameters.require("id")
        guard try await self.notifications.find(id) != nil else { throw Problem.notFound("There is no message \(id).") }
        guard try await self.queue.redrive(ids: [id], channel: nil, by: admin.subject, now: self.now()) == [id],
              let message = try await self.notifications.find(id)
        else {
            throw Problem.conflict("Message \(id) is not a dead letter (technical-failure); only those are re-driven.")
        }
        return message
    }
}
