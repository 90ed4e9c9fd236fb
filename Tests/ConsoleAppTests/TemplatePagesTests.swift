import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import NotificationsApp
import ServiceKit
import ServiceTesting
import Testing

/// The message templates for the province's admin: a new wording previewed filled in (an SMS with its parts) without
/// being saved, an empty one refused beside the field, and a saved one a new version that notifications then uses.
@Suite("Console: message templates")
struct TemplatePagesTests {
    @Test func theAdminPreviewsAWordingAndSavesItAsANewVersion() async throws {
        try await ConsolePlatform.run { platform in
            let settings = try await trusting(ServiceSettings.testing(name: "notifications", environment: ["SENDERS": "off"]),
                                              tokensOf: platform.portalSettings)
            try await buildNotificationsApplication(settings).test(.live) { notifications in
                let url = "http://127.0.0.1:\(try #require(notifications.port))"
                @Sendable func version() async throws -> MessageTemplate {
                    try await notifications.execute(uri: "/v1/templates/dossier.received.sms.vi", method: .get) {
                        try JSONDecoder.motcua.decode(MessageTemplate.self, from: Data($0.body.readableBytesView))
                    }
                }
                // An officer is not shown the templates.
                try await platform.signIn()
                try await platform.replica(reaching: [Topology.notifications: url]) { browser in
                    let refused = try await browser.get("/admin/templates")
                    #expect(refused.status == .forbidden)
                }
                _ = try await platform.browser.post("/logout", [:], from: try await platform.browser.get("/queues/received"))
                try await platform.signIn(phone: "0911000009")
                try await platform.replica(reaching: [Topology.notifications: url]) { browser in
                    let list = try await browser.get("/admin/templates")
                    #expect(list.status == .ok && list.html.contains(#"href="/admin/templates/dossier.received.sms.vi""#))
                    var page = try await browser.get("/admin/templates/dossier.received.sms.vi")
                    #expect(page.html.contains("Hẹn trả kết quả: ((dueDate))") && page.html.contains(#"name="value-code""#))
                    let wording = "Hồ sơ ((code)) đã được ((agency)) tiếp nhận, hẹn trả ngày ((dueDate)). Tra cứu: ((lookupUrl))"
                    // Preview: the new wording filled in, an SMS with its parts; nothing saved.
                    page = try await browser.post("/admin/templates/dossier.received.sms.vi", [
                        "intent": "preview", "body": wording, "value-code": "000.55.01.H33-261207-0009", "value-dueDate": "21/12/2026",
                        "value-agency": "UBND xã Hòn Tre", "value-lookupUrl": "https://dvc.example/tra-cuu"], from: page)
                    #expect(page.status == .ok)
                    // As it goes on the air: without diacritics on a GSM-7 route (SMS_UNICODE off), in one part.
                    #expect(page.html.contains("Ho so 000.55.01.H33-261207-0009 da duoc UBND xa Hon Tre tiep nhan, hen tra ngay 21/12/2026."))
                    #expect(page.html.contains("Tin nhắn SMS: gsm7, 128 ký tự, 1 tin"), "the SMS's encoding and parts are shown")
                    #expect(try await version().version == 1)
                    // An empty wording is refused beside the field; still version 1.
                    let empty = try await browser.post("/admin/templates/dossier.received.sms.vi", ["intent": "save", "body": "  "], from: page)
                    #expect(empty.status.code == 422 && empty.error("body") == "Cần có nội dung.")
                    #expect(try await version().version == 1)
                    // Saved: version 2 carries it.
                    let saved = try await browser.post("/admin/templates/dossier.received.sms.vi", ["intent": "save", "body": wording], from: page)
                    #expect(saved.status == .seeOther)
                    let latest = try await version()
                    #expect(latest.version == 2 && latest.body == wording)
                    page = try await browser.get(try #require(saved.location))
                    #expect(page.html.contains("Đã lưu phiên bản mới") && page.html.contains("Phiên bản: 2"))
                }
            }
        }
    }
}
