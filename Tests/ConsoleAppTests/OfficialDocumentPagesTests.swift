import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import NIOCore
import ServiceKit
import ServiceTesting
import Testing

/// An outgoing document in the console: composed at Hòn Tre with its recipients and the leader who signs, signed at
/// the leader's desk with the authenticator's code, numbered in the register and dispatched; one recipient
/// acknowledges and answers it, the other is reminded and then acknowledges; the sender sees each step.
@Suite("Console: official documents")
struct OfficialDocumentPagesTests {
    static let district = "000.00.55.H33"
    static let neighbour = "000.55.02.H33"

    @Test func aDocumentIsComposedSignedNumberedDispatchedAcknowledgedAndAnswered() async throws {
        try await ConsolePlatform.run { platform in
            let (leader, _, code) = try await LeaderDeskTests.enrolledLeader(platform)
            try await platform.signIn()
            var page = try await platform.browser.get("/official/new")
            #expect(page.status == .ok && page.html.contains(#"<option value="\#(leader.id)""#), "the commune's chairman is offered as the signer")
            #expect(page.html.contains(#"name="to-\#(Self.district)""#) && page.html.contains(#"name="to-\#(Self.neighbour)""#))
            #expect(!page.html.contains(#"name="to-\#(ConsolePlatform.honTre)""#), "not to itself")
            let pdf = Array("%PDF-1.7\nCong van so 1 ve ra soat thu tuc\n%%EOF\n".utf8)
            var fields = ["type": "Công văn", "excerpt": "", "symbol": "UBND-VP", "signer": "Chủ tịch Lê Văn Cường", "leader": leader.id,
                          "urgency": "urgent", "to-\(Self.district)": "1", "to-\(Self.neighbour)": "1"]
            // Without an excerpt: refused beside the field, nothing sent for signature.
            let refused = try await platform.browser.postMultipart("/official/new", fields, files: [("file", "cong-van.pdf", pdf)], from: page)
            #expect(refused.status == .unprocessableContent && refused.error("excerpt") == "Nhập trích yếu.")
            #expect(refused.html.contains(#"name="to-\#(Self.district)" value="1" checked"#), "the recipients stay ticked")
            fields["excerpt"] = "V/v rà soát thủ tục hành chính sau sắp xếp đơn vị hành chính"
            let composed = try await platform.browser.postMultipart("/official/new", fields, files: [("file", "cong-van.pdf", pdf)], from: page)
            #expect(composed.status == .seeOther)
            let draftPage = try #require(composed.location)
            page = try await platform.browser.get(draftPage)
            #expect(page.html.contains("Chờ lãnh đạo ký") && !page.html.contains("Cấp số"))

            // The chairman signs it at the desk, on a phone, with the authenticator's code.
            _ = try await platform.browser.post("/logout", [:], from: page)
            try await platform.signIn(phone: "0911000002")
            let desk = try await platform.browser.get("/desk")
            let request = try #require(desk.capture(#"action="/desk/([0-9a-f-]+)/approve""#))
            #expect(desk.html.contains("rà soát thủ tục hành chính"))
            let signed = try await platform.browser.post("/desk/\(request)/approve", ["code-\(request)": code(30)], from: desk)
            #expect(signed.status == .seeOther)

            // Back at the counter (the commune's clerk work): numbered, then dispatched to the two recipients.
            _ = try await platform.browser.post("/logout", [:], from: try await platform.browser.get("/desk"))
            try await platform.signIn()
            page = try await platform.browser.get(draftPage)
            #expect(page.html.contains("Đã ký, chờ cấp số"))
            let numbered = try await platform.browser.post(draftPage + "/number", [:], from: page)
            let documentPage = try #require(numbered.location?.split(separator: "?").first.map(String.init))
            page = try await platform.browser.get(try #require(numbered.location))
            #expect(page.html.contains("1/UBND-VP") && page.html.contains("Đã cấp số"))
            let dispatched = try await platform.browser.post(documentPage + "/dispatch", [:], from: page)
            page = try await platform.browser.get(try #require(dispatched.location))
            #expect(page.html.contains("Đã phát hành") && page.html.components(separatedBy: "<td class=\"acknowledged\">Chưa nhận</td>").count == 3)
            let outgoing = try await platform.browser.get("/official/outgoing?q=ra+soat+thu+tuc")
            #expect(outgoing.html.contains("1/UBND-VP") && outgoing.html.contains("0/2 đã nhận"))

            // The neighbouring commune's staff acknowledge it and answer; the district is reminded, then acknowledges.
            let neighbour = FormBrowser(platform.browser.client)
            let admin = try await platform.headers(Identity(subject: "admin", roles: [.admin]))
            for (phone, agency) in [("0911000031", Self.neighbour), ("0911000005", Self.district)] where phone != "0911000005" {
                _ = try await platform.portal.execute(uri: "/api/v1/staff", method: .post, headers: admin, body: ByteBuffer(string: """
                    {"phone":"\(phone)","fullName":"Văn thư xã bên","password":"mật khẩu văn thư","roles":["clerk"],"agency":"\(agency)"}
                    """))
            }
            let login = try await neighbour.get("/login")
            _ = try await neighbour.post("/login", ["phone": "0911000031", "password": "mật khẩu văn thư", "next": "/"], from: login)
            let incoming = try await neighbour.get("/official/incoming")
            #expect(incoming.status == .ok && incoming.html.contains("1/UBND-VP") && incoming.html.contains("Chưa nhận"))
            var theirs = try await neighbour.get(documentPage)
            let acknowledged = try await neighbour.post(documentPage + "/acknowledge", [:], from: theirs)
            theirs = try await neighbour.get(try #require(acknowledged.location))
            #expect(theirs.html.contains("Đã xác nhận nhận văn bản.") && !theirs.html.contains(#"/acknowledge""#))
            #expect(theirs.html.contains("/official/new?replyTo="), "the recipient can answer it")

            page = try await platform.browser.get(documentPage)
            let reminded = try await platform.browser.post(documentPage + "/remind", [:], from: page)
            page = try await platform.browser.get(try #require(reminded.location))
            #expect(page.html.contains("Đã nhắc") && page.html.components(separatedBy: "<td class=\"acknowledged\">Chưa nhận</td>").count == 2)
            let district = FormBrowser(platform.browser.client)
            _ = try await district.post("/login", ["phone": "0911000005", "password": ConsolePlatform.password, "next": "/"], from: try await district.get("/login"))
            let districtPage = try await district.get(documentPage)
            _ = try await district.post(documentPage + "/acknowledge", [:], from: districtPage)
            page = try await platform.browser.get(documentPage)
            #expect(!page.html.contains("<td class=\"acknowledged\">Chưa nhận</td>") && !page.html.contains("/remind\""), "everyone acknowledged")
            let csv = try await platform.browser.get("/official/outgoing/export")
            #expect(csv.html.contains("1/UBND-VP") && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
        }
    }
}
