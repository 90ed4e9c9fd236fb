import ConsoleApp
import Contracts
import DomainKit
import Foundation
import ServiceTesting
import Testing

/// The reports in the console: the Decision 766 figures with their rules and the dossiers behind them, the settlement
/// report as a table and as CSV, and the refusals single-window gives for another agency's reports or a bad period.
@Suite("Console: reports")
struct ReportPagesTests {
    @Test func aLeaderReadsThe766FiguresTheirDossiersAndTheSettlementReport() async throws {
        try await ConsolePlatform.run { platform in
            let online = try await platform.onlineDossier(applicant: "Lâm Thị Hoa")
            try await platform.signIn(phone: "0911000002")
            let today = LocalDate(Date())
            var page = try await platform.browser.get("/reports/766")
            #expect(page.status == .ok)
            #expect(page.html.contains("Chỉ số phục vụ (Quyết định 766)"))
            // One dossier came in this year, online: the online share is 1 of 1, with its rule beside it.
            let card = try #require(page.capture(#"(?s)(<article class="card figure" id="online".*?</article>)"#))
            #expect(card.contains("100,0 %") && card.contains("1 trên 1 hồ sơ"), "\(card)")
            #expect(card.contains("Cổng Dịch vụ công quốc gia"), "the rule is written next to the figure")
            // Nothing settled yet: the on-time figure says so rather than 0 %.
            let onTime = try #require(page.capture(#"(?s)(<article class="card figure" id="onTime".*?</article>)"#))
            #expect(onTime.contains("—") && onTime.contains("Không có hồ sơ để tính trong kỳ."))
            #expect(page.html.contains("Hồ sơ mới theo kênh"), "the new dossiers by channel are tabled")
            let link = try #require(page.capture(#"href="(/reports/766/dossiers\?[^"]*indicator=online&amp;part=counted)""#))
            page = try await platform.browser.get(link.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(page.status == .ok && page.html.contains(online.code) && page.html.contains(#"href="/dossiers/\#(online.id)""#))

            // The settlement report: the commune's row, new online 1, in progress 1, and the total.
            page = try await platform.browser.get("/reports/settlement")
            #expect(page.status == .ok && page.html.contains("Báo cáo tình hình giải quyết") && page.html.contains("Tổng cộng"))
            #expect(page.html.contains(#"<th scope="colgroup" colspan="3" rowspan="1">Mới tiếp nhận</th>"#))
            let csv = try await platform.browser.get("/reports/settlement/export?from=\(today.adding(days: -30))&to=\(today)&by=procedure")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.html.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("Thủ tục,Mã hồ sơ,Kỳ trước chuyển sang,Mới tiếp nhận: Trực tuyến") == true, "\(lines.first ?? "")")
            // A row for the residence procedure: 0 carried, 1 online, 0, 0, 1 received … 1 in progress within time.
            let row = try #require(lines.first { $0.contains(ConsolePlatform.residence) })
            #expect(row.hasSuffix(",0,1,0,0,1,0,0,0,1,0,0,0,0"), "\(row)")
            #expect(lines.last?.hasPrefix("Tổng cộng,,0,1,0,0,1") == true)
            let figures = try await platform.browser.get("/reports/766/export")
            #expect(figures.html.contains("Tỷ lệ hồ sơ nộp trực tuyến,1,1,100.00"))

            // The register of dossiers: the received dossier on its line, printable, and the same as CSV.
            let received = try await platform.dossier(online.id)
            var register = try await platform.browser.get("/dossiers/\(online.id)")
            _ = try await platform.browser.post("/dossiers/\(online.id)/actions", ["action": "receive", "version": String(received.version)], from: register)
            register = try await platform.browser.get("/reports/register")
            #expect(register.status == .ok && register.html.contains("Sổ theo dõi hồ sơ") && register.html.contains("1 hồ sơ tiếp nhận"))
            #expect(register.html.contains("<td>\(online.code)</td>") && register.html.contains("<td>Lâm Thị Hoa</td>"))
            let book = try await platform.browser.get("/reports/register/export")
            let bookLines = book.html.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n").map(String.init)
            #expect(bookLines.count == 2 && bookLines[0].hasPrefix("STT,Mã hồ sơ,Thủ tục hành chính") && bookLines[1].hasPrefix("1,\(online.code),"))

            // Single-window decides: the province's reports are not a commune leader's; a period backwards is refused.
            let province = try await platform.browser.get("/reports/766?agency=H33")
            #expect(province.status == .forbidden && province.html.contains(ConsolePlatform.honTre))
            let backwards = try await platform.browser.get("/reports/settlement?from=\(today)&to=\(today.adding(days: -3))")
            #expect(backwards.status == .badRequest && backwards.html.contains("from must not be after to"))
        }
    }
}
