import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NotificationsApp
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Portal inbox: the citizen's in-app notifications")
struct InboxPageTests {
    @Test func aMessageForTheAccountIsShownAndMarkedRead() async throws {
        let fixture = PortalFixture()
        let issuer = try await TokenIssuer.loadOrCreate(settings: fixture.settings)
        let notificationsSettings = try await trusting(ServiceSettings.testing(name: "notifications", environment: ["SENDERS": "off"]),
                                                       tokensOf: fixture.settings)
        try await buildNotificationsApplication(notificationsSettings).test(.live) { notifications in
            var settings = fixture.settings
            settings.fixedServiceURLs = [Topology.notifications: "http://127.0.0.1:\(try #require(notifications.port))"]
            try await buildPortalApplication(settings, clock: { Date() }, codeSender: fixture.codes).test(.router) { client in
                let browser = PortalBrowser(client)
                try await fixture.citizen(browser)
                #expect(try await browser.get("/my/inbox").html.contains("Chưa có thông báo nào."))

                let me = try await client.execute(uri: "/api/v1/token", method: .post, headers: [.contentType: "application/json"],
                                                  body: ByteBuffer(data: try JSONEncoder.motcua.encode(
                                                      TokenRequest(grantType: .password, phone: "0912345678", password: "mật khẩu dài")))) { response in
                    try JSONDecoder.motcua.decode(TokenResponse.self, from: Data(response.body.readableBytesView)).accessToken
                }
                let account = try await TokenVerifier(serviceSecret: fixture.settings.serviceTokenSecret) { issuer.jwks }.verify(me).subject
                let service = try await TokenVerifier(serviceSecret: fixture.settings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: "portal", to: "notifications")
                let message = SendNotificationRequest(templateId: "dossier.received.inApp.vi", recipient: account, values: [
                    "code": "000.55.01.H33-261129-0001", "procedure": "Đăng ký thường trú", "agency": "UBND xã Hòn Tre", "dueDate": "04/12/2026",
                    "lookupUrl": "http://localhost:8080/lookup",
                ])
                let status = try await notifications.execute(uri: "/v1/notifications", method: .post,
                                                             headers: [.authorization: "Bearer \(service)", .contentType: "application/json"],
                                                             body: ByteBuffer(data: try JSONEncoder.motcua.encode(message))) { $0.status }
                #expect(status == .created)

                let inbox = try await browser.get("/my/inbox")
                #expect(inbox.html.contains("000.55.01.H33-261129-0001"))
                #expect(inbox.html.contains("Chưa đọc"))
                let id = try #require(inbox.capture(#"action="/my/inbox/([^/"]+)/read""#))
                #expect(try await browser.post("/my/inbox/\(id)/read", [:], from: inbox).location == "/my/inbox")
                let read = try await browser.get("/my/inbox")
                #expect(!read.html.contains("Chưa đọc"))
                #expect(read.html.contains("000.55.01.H33-261129-0001"))
            }
        }
    }
}
