import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// A signed-in person's in-app messages: what the portal and the mobile app show.
struct InboxController {
    let notifications: NotificationRepository
    let database: Database
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/inbox", use: self.inbox)
        router.post("/v1/inbox/:id/read", use: self.read)
        openAPI.add("GET", "/v1/inbox", summary: "The caller's in-app messages, newest first, with the number unread; page, pageSize", tag: "inbox",
                    responses: [200: ("A page of messages", Schema.anyObject), 401: ("No token", nil)], token: true)
        openAPI.add("POST", "/v1/inbox/:id/read", summary: "Mark one of the caller's messages read", tag: "inbox",
                    responses: [204: ("Read", nil), 404: ("No such message of the caller's", nil)], token: true)
    }

    @Sendable func inbox(_ request: Request, context: ServiceRequestContext) async throws -> InboxMessages {
        let identity = try context.requireIdentity()
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 20, range: 1...100)
        return try await self.notifications.inbox(of: identity.subject, page: page, pageSize: pageSize)
    }

    @Sendable func read(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        let notifications = self.notifications
        let at = self.now()
        guard try await self.database.transaction({ try await notifications.markRead(id, account: identity.subject, at: at, in: $0) }) else {
            throw Problem.notFound("You have no message with the id \(id).")
        }
        return Response(status: .noContent)
    }
}

extension InboxMessages: ResponseEncodable {}
