import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Portal sites: the main portal and its component portals, their news and their editors")
struct SiteTests {
    /// Waits (up to 10 s) for the demo portals, made in the background once single-window answers.
    /// The portals' directory once the demo has made every portal: up to 30 seconds, since with the whole suite
    /// running on PostgreSQL on two cores the demo has been seen to need more than ten.
    func directory(_ browser: PortalBrowser) async throws -> Page {
        for _ in 0..<300 {
            let page = try await browser.get("/sites")
            // The last portal the demo makes: once it is listed, all are.
            if page.html.contains(HTMLText.escape(DemoSites.otherUnits.last!)) { return page }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await browser.get("/sites")
    }

    @Test func theDemoHasFiftyOneComponentPortalsEachWithItsNewsProceduresAndFigures() async throws {
        try await PortalPlatform.run(environment: ["DEMO_DATA": "handwritten"]) { platform in
            let browser = platform.browser
            let directory = try await self.directory(browser)
            let links = directory.html.components(separatedBy: "<li><a href=\"/s/").count - 1
            #expect(links == 51)
            #expect(directory.html.contains("href=\"/s/so-tu-phap\""))
            #expect(directory.html.contains("href=\"/s/thanh-pho-rach-gia\"") || directory.html.contains("Rạch Giá"))

            let site = try await browser.get("/s/so-tu-phap")
            #expect(site.status == .ok)
            #expect(site.html.contains("<h1>Sở Tư pháp</h1>"))
            #expect(site.html.contains("Sở Tư pháp đẩy mạnh tiếp nhận hồ sơ trực tuyến"))
            #expect(!site.html.contains("(Bản nháp)"))
            #expect(site.html.contains("Thủ tục nổi bật"))
            #expect(site.html.contains("Kết quả giải quyết năm"))
            let article = try #require(site.capture(#"href="(/s/so-tu-phap/news/[^"]+)""#))
            let page = try await browser.get(article)
            #expect(page.status == .ok)
            #expect(page.html.contains("Đăng ngày"))
            // The main portal gathers the latest news of every portal.
            let home = try await browser.get("/")
            #expect(home.html.contains("Tin mới từ các cơ quan"))
            #expect(home.html.components(separatedBy: "/news/").count - 1 == 6)
            #expect(try await browser.get("/s/no-such-portal").status == .notFound)
        }
    }

    @Test func anEditorPublishesForTheirAgencysPortalOnlyAndADraftStaysHidden() async throws {
        try await PortalPlatform.run(environment: ["DEMO_DATA": "handwritten"]) { platform in
            let editor = platform.browser
            _ = try await self.directory(editor)
            _ = try await editor.post("/login", ["phone": "0911000003", "password": DemoAccounts.password])
            let console = try await editor.get("/editor")
            #expect(console.status == .ok)
            #expect(console.html.contains("href=\"/editor/new?site=so-tu-phap\""))
            #expect(!console.html.contains("site=so-xay-dung"))

            let form = try await editor.get("/editor/new?site=so-tu-phap")
            let empty = try await editor.post("/editor/articles", ["site": "so-tu-phap", "title": " ", "summary": "", "body": "", "status": "draft"],
                                              from: form)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.error("title") == "Không được để trống.")
            let draft = try await editor.post("/editor/articles", ["site": "so-tu-phap", "title": "Thông báo nghỉ Tết", "summary": "Lịch nghỉ",
                                                                   "body": "Nghỉ từ 28 tháng Chạp.\n\nLàm việc lại mùng 6.", "status": "draft"], from: form)
            #expect(draft.location == "/editor?saved=1")
            let public1 = try await PortalBrowser(editor.client).get("/s/so-tu-phap")
            #expect(!public1.html.contains("Thông báo nghỉ Tết"))

            let list = try await editor.get("/editor")
            let edit = try #require(list.capture(#"href="(/editor/articles/[^"]+)">Thông báo nghỉ Tết"#))
            let editForm = try await editor.get(edit)
            #expect(editForm.value("title") == "Thông báo nghỉ Tết")
            #expect(editForm.html.contains("rows=\"12\" aria-describedby=\"f-body-hint\">Nghỉ từ 28 tháng Chạp.\n\nLàm việc lại mùng 6.</textarea>"))
            #expect(editForm.html.contains("<option value=\"draft\" selected>"))
            _ = try await editor.post(edit, ["site": "so-tu-phap", "title": "Thông báo nghỉ Tết", "summary": "Lịch nghỉ",
                                             "body": "Nghỉ từ 28 tháng Chạp.\n\nLàm việc lại mùng 6.", "status": "published"], from: editForm)
            let public2 = try await PortalBrowser(editor.client).get("/s/so-tu-phap")
            #expect(public2.html.contains("Thông báo nghỉ Tết"))
            // The article's page: each blank-line-separated part of its body is a paragraph.
            let articleLink = try #require(public2.capture(#"href="(/s/so-tu-phap/news/[^"]+)">Thông báo nghỉ Tết"#))
            let article = try await PortalBrowser(editor.client).get(articleLink)
            #expect(article.html.contains("<p>Nghỉ từ 28 tháng Chạp.</p><p>Làm việc lại mùng 6.</p>"))
            #expect(try await PortalBrowser(editor.client).get("/").html.contains("Thông báo nghỉ Tết"))

            // Another portal's article, and a citizen: refused.
            let others = try await editor.get("/editor/new?site=so-xay-dung")
            #expect(others.status == .forbidden)
            let citizen = PortalBrowser(editor.client)
            _ = try await citizen.post("/login", ["phone": "0912345678", "password": DemoAccounts.password])
            #expect(try await citizen.get("/editor").status == .forbidden)
            #expect(try await citizen.get(edit).status == .forbidden)
        }
    }

    @Test func aPortalOnItsOwnDomainAnswersAtTheRoot() async throws {
        try await PortalPlatform.run(environment: ["DEMO_DATA": "handwritten"]) { platform in
            let browser = platform.browser
            _ = try await self.directory(browser)
            let admin = try await platform.token(Identity(subject: "admin", roles: [.admin]))
            let citizen = try await platform.token(Identity(subject: "c", roles: [.citizen]))
            let body = ByteBuffer(string: #"{"host": "stp.kiengiang.gov.vn"}"#)
            #expect(try await browser.client.execute(uri: "/api/v1/sites/so-tu-phap", method: .patch, headers: citizen, body: body) { $0.status } == .forbidden)
            #expect(try await browser.client.execute(uri: "/api/v1/sites/so-tu-phap", method: .patch, headers: admin, body: body) { $0.status } == .ok)
            let taken = try await browser.client.execute(uri: "/api/v1/sites/so-xay-dung", method: .patch, headers: admin, body: body) { $0.status }
            #expect(taken == .conflict)
            let own = try await browser.get("/", headers: [HTTPField.Name("X-Forwarded-Host")!: "stp.kiengiang.gov.vn"])
            #expect(own.html.contains("<h1>Sở Tư pháp</h1>"))
            let main = try await browser.get("/", headers: [HTTPField.Name("X-Forwarded-Host")!: "dichvucong.kiengiang.gov.vn"])
            #expect(main.html.contains("Tin mới từ các cơ quan"))
        }
    }
}
