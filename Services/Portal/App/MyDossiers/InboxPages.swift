import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOHTTP1
import PageKit
import ServiceKit

extension Phrase {
    static let inboxTitle = Phrase("Thông báo", "Notifications")
    static let inboxEmpty = Phrase("Chưa có thông báo nào.", "No notifications yet.")
    static let unread = Phrase("Chưa đọc", "Unread")
    static let markRead = Phrase("Đánh dấu đã đọc", "Mark as read")
}

/// The citizen's in-app notifications, read from the notifications service in their name.
struct InboxPages {
    let area: CitizenArea
    let client: ServiceClient

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/my/inbox", use: self.area.route { _, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            let messages: InboxMessages
            do {
                messages = try await self.client.send(.GET, service: Topology.notifications, path: "/v1/inbox?pageSize=50", requestID: context.requestID,
                                                      authorization: "Bearer " + token).decode(InboxMessages.self)
            } catch {
                return Layout.failed(visitor, title: .inboxTitle, error, logger: context.logger)
            }
            return try self.page(visitor, messages)
        })
        router.post("/my/inbox/:id/read", use: self.area.route { request, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            guard try await self.area.visitors.form(request, context: context) != nil else { return Layout.formExpired(visitor) }
            let id = try context.parameters.require("id")
            _ = try? await self.client.send(.POST, service: Topology.notifications, path: "/v1/inbox/\(id.pathSegment)/read", requestID: context.requestID,
                                            idempotent: true, authorization: "Bearer " + token)
            return visitor.redirect(to: "/my/inbox")
        })
        openAPI.add("GET", "/my/inbox", summary: "The signed-in citizen's in-app notifications", tag: "pages",
                    responses: [200: ("HTML", nil), 303: ("Not signed in: to the sign-in page", nil), 403: ("Not a citizen's account", nil),
                                503: ("Notifications do not answer", nil)],
                    contentType: "text/html")
        openAPI.add("POST", "/my/inbox/:id/read", summary: "Mark a notification read (csrf)", tag: "pages", responses: [303: ("Back to the inbox", nil)],
                    contentType: "text/html")
    }

    /// The inbox's model for `inbox.mustache`: each message, the unread ones with a form that marks them read.
    struct InboxView {
        struct Message { var read: Bool; var subject: String; var body: String; var at: String; var markAction: String }
        var frame: PageFrame
        var heading: String
        var empty: String?
        var messages: [Message]
        var unreadLabel: String
        var markLabel: String
        var csrf: String
    }

    func page(_ visitor: Visitor, _ messages: InboxMessages) throws -> Response {
        let l = visitor.language
        return try Layout.render(visitor, "inbox", InboxView(
            frame: Layout.frame(visitor, title: .inboxTitle), heading: Phrase.inboxTitle(l), empty: messages.items.isEmpty ? Phrase.inboxEmpty(l) : nil,
            messages: messages.items.map {
                .init(read: $0.read, subject: $0.subject ?? "", body: $0.body, at: Display.dateTime($0.at), markAction: "/my/inbox/\($0.id.pathSegment)/read")
            },
            unreadLabel: Phrase.unread(l), markLabel: Phrase.markRead(l), csrf: visitor.csrfToken))
    }
}
