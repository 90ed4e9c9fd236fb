import Contracts
import DomainKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Portal published results: figures, SVG charts, recently settled dossiers")
struct StatisticsPageTests {
    @Test func aSettledDossierCountsAndIsListedWithoutPersonalData() async throws {
        try await PortalPlatform.run { platform in
            let open = try await platform.receivedDossier()
            let settled = try await platform.receivedDossier(citizen: "citizen-2")
            for action in [DossierAction.startProcessing, .markResultReady, .deliver] {
                try await platform.officer(action, on: settled.id, result: action == .markResultReady
                                               ? DossierResult(fileId: "f-1", number: "3/TB", signer: "Chủ tịch UBND xã") : nil,
                                           handover: action == .deliver ? Handover(method: .counter, recipient: "Trần Thị Bích") : nil)
            }
            let page = try await platform.browser.get("/statistics?agency=\(PortalPlatform.honTre)")
            #expect(page.status == .ok)
            #expect(page.html.contains("<option value=\"\(PortalPlatform.honTre)\" selected>") || page.html.contains("Hòn Tre"))
            let received = try #require(page.capture(#"<th>Hồ sơ tiếp nhận</th><td>(\d+)</td>"#).flatMap(Int.init))
            #expect(received == 2)
            #expect(page.capture(#"<th>Giải quyết trước hạn</th><td>(\d+)</td>"#) == "1")
            #expect(page.capture(#"<th>Đang giải quyết</th><td>(\d+)</td>"#) == "1")
            // Charts are SVG drawn here, named for screen readers, with the figures in their description.
            #expect(page.html.contains("<svg class=\"chart\" role=\"img\""))
            #expect(page.html.contains("<title id=\"resolved-title\">Tình hình giải quyết</title>"))
            #expect(page.html.contains("<desc>Giải quyết trước hạn: 1;"))
            #expect(page.html.contains("<title id=\"monthly-title\">Hồ sơ tiếp nhận theo tháng</title>"))
            #expect(page.html.contains("T\(LocalDate(Date()).month): 2"), "this month's point carries both dossiers")
            // Both are SVG an XML parser reads, and the bars' lengths follow the figures: early 1, on time 0, late 0,
            // in progress 1, overdue 0, the largest filling the room.
            let charts = page.html.matches(of: /<svg class="chart".*?<\/svg>/).map { String($0.output) }
            #expect(charts.count == 2)
            for chart in charts { #expect(XMLParser(data: Data(chart.utf8)).parse(), "\(chart)") }
            let widths = (charts.first ?? "").matches(of: /<rect x="\d+" y="\d+" width="(\d+)"/).map { Int($0.output.1) }
            #expect(widths == [370, 0, 0, 370, 0])
            // The settled dossier is listed; the open one and the applicant's name are not.
            #expect(page.html.contains(settled.code))
            #expect(!page.html.contains(open.code))
            #expect(!page.html.contains("Trần Thị Bích"))

            // The province counts everything under it; an unknown agency is a 404 page.
            let province = try await platform.browser.get("/statistics")
            #expect(province.capture(#"<th>Hồ sơ tiếp nhận</th><td>(\d+)</td>"#) == "2")
            #expect(try await platform.browser.get("/statistics?agency=NO.SUCH").status == .notFound)
        }
    }
}
