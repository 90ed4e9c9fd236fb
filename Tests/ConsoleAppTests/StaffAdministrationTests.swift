import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import NIOCore
import ServiceKit
import ServiceTesting
import Testing

/// Staff accounts managed from the console: an agency's administrator creates an officer in their agency (not in
/// the province above it), the officer signs in and works that agency only, and once disabled the officer's
/// console session, tokens and sign-in stop working at once.
@Suite("Console: staff accounts")
struct StaffAdministrationTests {
    @Test func anAgencyAdminCreatesAnOfficerWhoSignsInAndIsShutOutOnceDisabled() async throws {
        try await ConsolePlatform.run { platform in
            let admin = try await platform.headers(Identity(subject: "province-admin", roles: [.admin]))
            // The province's admin makes Hòn Tre's administrator.
            let made = try await platform.portal.execute(uri: "/api/v1/staff", method: .post, headers: admin, body: ByteBuffer(string: """
                {"phone":"0911000088","fullName":"Quách Thị Quản","password":"mật khẩu quản trị","roles":["agencyAdmin"],"agency":"\(ConsolePlatform.honTre)"}
                """)) { $0.status }
            #expect(made == .created)
            let online = try await platform.onlineDossier(applicant: "Tạ Văn Tư")

            // The agency admin starts at the staff of their agency; no queues (they handle no dossiers).
            var page = try await platform.signIn(phone: "0911000088", password: "mật khẩu quản trị")
            #expect(page.location == "/")
            page = try await platform.browser.get("/")
            #expect(page.location == "/admin/staff")
            page = try await platform.browser.get("/admin/staff")
            #expect(page.status == .ok && page.html.contains("Tài khoản cán bộ") && page.html.contains("Quách Thị Quản"))
            #expect(!page.html.contains("/queues/received"), "no queues in an agency admin's navigation")

            // A form without a name is refused beside the field, and nothing is made.
            let form = try await platform.browser.get("/admin/staff/new")
            #expect(form.html.contains(#"name="role-officer" value="1" checked"#) && !form.html.contains(#"name="role-admin""#))
            let refused = try await platform.browser.post("/admin/staff", [
                "fullName": " ", "phone": "0911000089", "password": "mật khẩu cán bộ", "agency": ConsolePlatform.honTre, "role-officer": "1"], from: form)
            #expect(refused.status.code == 422 && refused.error("fullName") == "Nhập họ và tên.")
            // Not in the province above their agency.
            let above = try await platform.browser.post("/admin/staff", [
                "fullName": "Lý Văn Tỉnh", "phone": "0911000089", "password": "mật khẩu cán bộ", "agency": "H33", "role-officer": "1"], from: form)
            #expect(above.status == .forbidden && above.html.contains("are not yours to manage"))
            let created = try await platform.browser.post("/admin/staff", [
                "fullName": "Đinh Văn Mới", "phone": "0911000089", "password": "mật khẩu cán bộ", "agency": ConsolePlatform.honTre, "role-officer": "1"],
                from: form)
            #expect(created.status == .seeOther)
            page = try await platform.browser.get(try #require(created.location))
            #expect(page.html.contains("Đã tạo tài khoản") && page.html.contains("Đinh Văn Mới") && page.html.contains("Đang hoạt động"))
            let officerPage = try #require(page.capture(#"href="(/admin/staff/[0-9a-f-]+)">Đinh Văn Mới"#))
            let adminCookies = ["motcua_staff", "motcua_csrf"].map { ($0, platform.browser.cookie($0)) }

            // The new officer signs in (another browser) and works Hòn Tre's queues, not the province's reports.
            let officer = FormBrowser(platform.browser.client)
            let login = try await officer.get("/login")
            _ = try await officer.post("/login", ["phone": "0911000089", "password": "mật khẩu cán bộ", "next": "/"], from: login)
            var queue = try await officer.get("/queues/online")
            #expect(queue.status == .ok && queue.html.contains(online.code) && queue.html.contains("Đinh Văn Mới"))
            #expect(try await officer.get("/reports/766?agency=H33").status == .forbidden)
            let token = try await platform.portal.execute(uri: "/api/v1/token", method: .post, headers: [.contentType: "application/json"],
                                                          body: ByteBuffer(string: #"{"grantType":"password","phone":"0911000089","password":"mật khẩu cán bộ"}"#)) {
                try JSONDecoder.motcua.decode(TokenResponse.self, from: Data($0.body.readableBytesView)).accessToken
            }

            // Disabled by the agency admin: the portal refuses the officer's token at once, single-window as soon as
            // the event reaches it, and the console's next page sends the officer to sign in, where they are told why.
            for (name, value) in adminCookies { platform.browser.setCookie(name, value) }
            page = try await platform.browser.get(officerPage)
            let disabled = try await platform.browser.post(officerPage + "/disable", [:], from: page)
            #expect(disabled.status == .seeOther)
            page = try await platform.browser.get(try #require(disabled.location))
            #expect(page.html.contains("Đã khóa tài khoản") && page.html.contains("Mở khóa tài khoản"))
            #expect(try await platform.portal.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]) { $0.status }
                    == .unauthorized)
            var refusedBySingleWindow = false
            for _ in 0..<100 where !refusedBySingleWindow {
                refusedBySingleWindow = try await platform.singleWindow.execute(uri: "/v1/inbox", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    $0.status == .unauthorized
                }
                if !refusedBySingleWindow { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(refusedBySingleWindow, "single-window refuses the disabled officer's token once account.disabled arrives")
            queue = try await officer.get("/queues/online")
            #expect(queue.status == .seeOther && queue.location?.hasPrefix("/login") == true)
            let again = try await officer.post("/login", ["phone": "0911000089", "password": "mật khẩu cán bộ", "next": "/"], from: try await officer.get("/login"))
            #expect(again.status == .forbidden && again.html.contains("Tài khoản này đã bị quản trị viên khóa"))
            let grant = try await platform.portal.execute(uri: "/api/v1/token", method: .post, headers: [.contentType: "application/json"],
                                                          body: ByteBuffer(string: #"{"grantType":"password","phone":"0911000089","password":"mật khẩu cán bộ"}"#)) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(grant.0 == .forbidden && grant.1.contains("account.disabled"))

            // The console's own copy of the event ends the officer's other sessions here at once, even before a page asks a service.
            let replay = try await officer.post("/login", ["phone": "0911000001", "password": ConsolePlatform.password, "next": "/"],
                                                from: try await officer.get("/login"))
            #expect(replay.status == .seeOther)
            let first = try await platform.account(phone: "0911000001").id
            let service = try await TokenVerifier(serviceSecret: platform.consoleSettings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: "portal", to: "console")
            let envelope = try EventEnvelope(type: EventType.accountDisabled, source: "portal", requestId: nil,
                                             payload: Revocations.Disabled(accountId: first, since: Date()))
            let delivered = try await officer.client.execute(uri: "/internal/events", method: .post,
                                                             headers: [.authorization: "Bearer \(service)", .contentType: "application/json"],
                                                             body: ByteBuffer(data: try JSONEncoder.motcua.encode(envelope))) { $0.status }
            #expect(delivered == .ok)
            let after = try await officer.get("/queues/received")
            #expect(after.status == .seeOther && after.location?.hasPrefix("/login") == true)
        }
    }

    /// What the portal refuses an agency's admin, and anyone: the province's admin role, an account moved out of
    /// their agencies, another agency's account, disabling oneself, and staff administration by an officer — each
    /// a 4xx that changes nothing.
    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    @Test func theRefusalsOfStaffAdministration() async throws {
        try await ConsolePlatform.run { platform in
            let province = try await platform.headers(Identity(subject: "province-admin", roles: [.admin]))
            func call(_ method: HTTPRequest.Method, _ uri: String, _ headers: HTTPFields, _ body: String? = nil) async throws -> (HTTPResponse.Status, String) {
                try await platform.portal.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
                    ($0.status, String(buffer: $0.body))
                }
            }
            let made = try await call(.post, "/api/v1/staff", province, #"{"phone":"0911000091","fullName":"Quản trị xã","password":"mật khẩu quản trị","roles":["agencyAdmin"],"agency":"\#(ConsolePlatform.honTre)"}"#)
            #expect(made.0 == .created)
            let adminID = try #require(Self.object(made.1)?["id"] as? String)
            let agencyAdmin = try await platform.headers(Identity(subject: adminID, roles: [.agencyAdmin], agency: ConsolePlatform.honTre))
            // The province's admin role is not theirs to give.
            let grant = try await call(.post, "/api/v1/staff", agencyAdmin, #"{"phone":"0911000092","fullName":"Ai Đó","password":"mật khẩu dài","roles":["admin"],"agency":"\#(ConsolePlatform.honTre)"}"#)
            #expect(grant.0 == .unprocessableContent && grant.1.contains("roles.invalid"))
            // An officer of theirs cannot be moved out of their agency; another agency's account is not theirs to read.
            let officer = try await platform.account(phone: "0911000001")
            let moved = try await call(.patch, "/api/v1/staff/\(officer.id)", agencyAdmin, #"{"agency":"000.00.55.H33"}"#)
            #expect(moved.0 == .forbidden && moved.1.contains("not yours to manage"))
            let district = try await platform.account(phone: "0911000005")
            #expect(try await call(.get, "/api/v1/staff/\(district.id)", agencyAdmin).0 == .forbidden)
            #expect(try await call(.post, "/api/v1/staff/\(district.id)/disable", agencyAdmin).0 == .forbidden)
            // Nobody disables their own account.
            let own = try await call(.post, "/api/v1/staff/\(adminID)/disable", agencyAdmin)
            #expect(own.0 == .conflict && own.1.contains("account.self"))
            // An officer administers nothing; a password too short is named.
            let officerHeaders = try await platform.headers(Identity(subject: officer.id, roles: [.officer], agency: ConsolePlatform.honTre))
            #expect(try await call(.get, "/api/v1/staff/accounts", officerHeaders).0 == .forbidden)
            let short = try await call(.post, "/api/v1/staff/\(officer.id)/password", agencyAdmin, #"{"password":"ngắn"}"#)
            #expect(short.0 == .unprocessableContent)
            // Nothing changed: the officer still signs in with their password, at their agency.
            #expect(try await platform.account(phone: "0911000001").id == officer.id)
            let still = try await call(.get, "/api/v1/staff/\(officer.id)", province)
            #expect(Self.object(still.1)?["agency"] as? String == ConsolePlatform.honTre && Self.object(still.1)?["disabledAt"] == nil)
        }
    }
}
