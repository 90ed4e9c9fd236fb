import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Portal catalog pages: search without diacritics, filters, paging, a procedure's page")
struct CatalogPageTests {
    @Test func searchingWithoutDiacriticsFindsTheProcedureAndFiltersNarrowIt() async throws {
        try await PortalPlatform.run { platform in
            let browser = platform.browser
            let found = try await browser.get("/procedures?q=dang+ky+ket+hon")
            #expect(found.status == .ok)
            #expect(found.html.contains("Đăng ký kết hôn"))
            #expect(found.html.contains("value=\"dang ky ket hon\""))
            let count = try #require(found.capture(#"Tìm thấy (\d+) thủ tục"#).flatMap(Int.init))
            #expect(count >= 1)

            // Level 4 only: fewer or equal, and every item says level 4.
            let levelFour = try await browser.get("/procedures?level=4")
            let four = try #require(levelFour.capture(#"Tìm thấy (\d+) thủ tục"#).flatMap(Int.init))
            let all = try #require(try await browser.get("/procedures").capture(#"Tìm thấy (\d+) thủ tục"#).flatMap(Int.init))
            #expect(four > 0 && four < all)
            #expect(!levelFour.html.contains("Mức độ 3 · Nộp hồ sơ trực tuyến</p>"))
            #expect(levelFour.html.contains("<option value=\"4\" selected>"))
            // The agencies are grouped by level, and the one chosen stays chosen ("all" then is not).
            let landDepartment = try await browser.get("/procedures?agency=000.00.06.H33")
            #expect(landDepartment.html.contains("<optgroup label=\"Sở, ban, ngành\">"))
            #expect(landDepartment.html.contains("<option value=\"000.00.06.H33\" selected>Sở Tài nguyên và Môi trường</option>"))
            #expect(!landDepartment.html.contains("name=\"agency\"><option value=\"\" selected>"))

            let none = try await browser.get("/procedures?q=khong+co+thu+tuc+nao+nhu+the")
            #expect(none.html.contains("Không tìm thấy thủ tục phù hợp"))

            // What a visitor typed comes back escaped by the template, never as markup.
            let typed = try await browser.get("/procedures?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E")
            #expect(typed.html.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;\""))
            #expect(!typed.html.contains("<script>alert"))
        }
    }

    @Test func pagesLinkToEachOtherKeepingTheFilter() async throws {
        try await PortalPlatform.run { platform in
            let first = try await platform.browser.get("/procedures?level=3")
            let next = try #require(first.capture(#"rel="next" href="([^"]+)""#))
            #expect(next == "/procedures?level=3&amp;page=2")
            let second = try await platform.browser.get("/procedures?level=3&page=2")
            #expect(second.html.contains("Trang 2/"))
            #expect(second.capture(#"rel="prev" href="([^"]+)""#) == "/procedures?level=3")
        }
    }

    @Test func aProcedurePageShowsStepsDocumentsFeesAndTheWayToSubmit() async throws {
        try await PortalPlatform.run { platform in
            let page = try await platform.browser.get("/procedures/\(PortalPlatform.residence)")
            #expect(page.status == .ok)
            #expect(page.html.contains("Đăng ký thường trú"))
            #expect(page.html.contains("Thành phần hồ sơ"))
            #expect(page.html.contains("Tờ khai thay đổi thông tin cư trú"))
            #expect(page.html.contains("Trình tự thực hiện"))
            // Each step says who does it in words, not as a role's code.
            #expect(page.html.contains("<b>Chủ tịch UBND cấp xã ký</b> <span class=\"muted\">— Lãnh đạo</span>"))
            #expect(!page.html.contains("— leader") && !page.html.contains("— officer"))
            #expect(page.html.contains("Căn cứ pháp lý"))
            #expect(page.html.contains("href=\"/procedures/\(PortalPlatform.residence)/submit\""))

            _ = try await platform.browser.get("/lang/en?back=/")
            let english = try await platform.browser.get("/procedures/\(PortalPlatform.residence)")
            #expect(english.html.contains("Required documents"))
            #expect(english.html.contains("Submit online"))

            let missing = try await platform.browser.get("/procedures/9.999999")
            #expect(missing.status == .notFound)
            #expect(missing.html.contains("There is no procedure with this code."))
        }
    }

    @Test func withSingleWindowDownTheCatalogSaysSoWith503() async throws {
        let fixture = PortalFixture()
        var settings = fixture.settings
        settings.fixedServiceURLs = [Topology.singleWindow: "http://127.0.0.1:9"]
        try await buildPortalApplication(settings, clock: { Date() }, codeSender: fixture.codes).test(.router) { client in
            let browser = PortalBrowser(client)
            let page = try await browser.get("/procedures?q=ket+hon")
            #expect(page.status == .serviceUnavailable)
            #expect(page.html.contains("Hệ thống giải quyết thủ tục tạm thời không trả lời"))
            // The home page still opens, without the counts.
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(!home.html.contains("Dịch vụ công theo mức độ"))
        }
    }

    @Test func theHomePageCountsServicesByLevel() async throws {
        try await PortalPlatform.run { platform in
            let home = try await platform.browser.get("/")
            #expect(home.html.contains("Dịch vụ công theo mức độ"))
            #expect(home.html.contains("href=\"/procedures?level=4\""))
            #expect(home.html.contains("action=\"/procedures\""))
        }
    }
}
