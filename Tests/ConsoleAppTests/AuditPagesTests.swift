import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import NIOCore
import ServiceKit
import ServiceTesting
import Testing

/// The audit trail in the console: what one officer did today (a dossier received), what the admin did to a staff
/// account (with the address it came from), and a dossier's own trail; the search needs a person or a dossier.
@Suite("Console: the audit trail")
struct AuditPagesTests {
    @Test func theAdminFindsWhatOneOfficerDidTodayAndWhatWasDoneToAnAccount() async throws {
        try await ConsolePlatform.run { platform in
            let dossier = try await platform.onlineDossier(applicant: "Vương Thị Nhật")
            let officer = try await platform.account(phone: "0911000001")
            try await platform.signIn()
            var page = try await platform.browser.get("/dossiers/\(dossier.id)")
            _ = try await platform.browser.post("/dossiers/\(dossier.id)/actions", ["action": "receive", "version": String(dossier.version)], from: page)
            _ = try await platform.browser.post("/logout", [:], from: try await platform.browser.get("/queues/received"))

            try await platform.signIn(phone: "0911000009")
            page = try await platform.browser.get("/admin/audit")
            #expect(page.status == .ok && page.html.contains("Chọn một người hoặc nhập mã hồ sơ để tra cứu."))
            // The admin disables and enables an account: both in the trail, with where they came from.
            let kienHai = try await platform.account(phone: "0911000005")
            let account = try await platform.browser.get("/admin/staff/\(kienHai.id)")
            _ = try await platform.browser.post("/admin/staff/\(kienHai.id)/disable", [:], from: account)
            _ = try await platform.browser.post("/admin/staff/\(kienHai.id)/enable", [:], from: account)

            let today = LocalDate(Date())
            page = try await platform.browser.get("/admin/audit?actor=\(officer.id)&from=\(today)&to=\(today)")
            #expect(page.status == .ok && page.html.contains("dossier \(dossier.code)") && page.html.contains("<td>receive</td>"))
            #expect(page.html.contains("Trần Thị Bích"), "the officer is named, not shown as an id")
            #expect(!page.html.contains("staff.disable"), "another person's actions are not listed")
            let admin = try #require(page.capture(#"<option value="([0-9a-f-]+)">Quản trị hệ thống"#))
            page = try await platform.browser.get("/admin/audit?actor=\(admin)")
            #expect(page.html.contains("<td>staff.disable</td>") && page.html.contains("<td>staff.enable</td>"))
            #expect(page.html.contains("Võ Thị Hạnh"), "the account changed is named")
            // The dossier's own trail: its submission and its receipt, whoever acted.
            page = try await platform.browser.get("/admin/audit?dossier=\(dossier.code)")
            #expect(page.html.contains("<td>receive</td>") && page.html.contains("<td>submit</td>"))
            let csv = try await platform.browser.get("/admin/audit/export?dossier=\(dossier.code)")
            #expect(csv.status == .ok && csv.html.contains("receive"))
            // Yesterday, the officer did nothing.
            page = try await platform.browser.get("/admin/audit?actor=\(officer.id)&from=\(today.adding(days: -1))&to=\(today.adding(days: -1))")
            #expect(page.html.contains("Không có thao tác nào trong khoảng này."))
            // Not for an officer; and the services refuse without a person or a dossier.
            let headers = try await platform.headers(Identity(subject: "admin", roles: [.admin]))
            #expect(try await platform.singleWindow.execute(uri: "/v1/audit/dossiers", method: .get, headers: headers) { $0.status } == .badRequest)
            #expect(try await platform.portal.execute(uri: "/api/v1/audit", method: .get, headers: headers) { $0.status } == .badRequest)
            let officerHeaders: HTTPFields = [.authorization: "Bearer \(officer.token)"]
            #expect(try await platform.singleWindow.execute(uri: "/v1/audit/dossiers?actor=x", method: .get, headers: officerHeaders) { $0.status } == .forbidden)
        }
    }
}
