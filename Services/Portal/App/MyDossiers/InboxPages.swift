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
            return self.page(visitor, messages)
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

    func page(_ visitor: Visitor, _ messages: InboxMessages) -> Response {
        let l = visitor.language
        let items = messages.items.map { message in
            let mark = message.read ? "" : """
                <form class="inline" method="post" action="/my/inbox/\(HTML.escape(message.id.pathSegment))/read">\(FormHTML.csrf(visitor))\
                <button class="link" type="submit">\(HTML.escape(Phrase.markRead(l)))</button></form>
                """
            return """
                <li class="card\(message.read ? "" : " unread")"><h2>\(message.read ? "" : "<span class=\"bad\">\(HTML.escape(Phrase.unread(l)))</span> ")\
                \(HTML.escape(message.subject ?? ""))</h2><p>\(HTML.escape(message.body))</p>\
                <p class="muted"><time>\(Display.dateTime(message.at))</time> \(mark)</p></li>
                """
        }.joined()
        return Layout.page(visitor, title: .inboxTitle, body: HTML(raw: """
            <h1>\(HTML.escape(Phrase.inboxTitle(l)))</h1>
            \(messages.items.isEmpty ? "<p>\(HTML.escape(Phrase.inboxEmpty(l)))</p>" : "<ol class=\"plain\">\(items)</ol>")
            """))
    }
}
