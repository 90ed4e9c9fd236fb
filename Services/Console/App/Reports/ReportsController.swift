import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The reports leaders and admins are judged by, from single-window's `/v1/reports`: the settlement report (a row
/// per agency or per procedure), the Decision 766 figures with their rules, charts and the dossiers behind each, and
/// every one of them as CSV. One GET form chooses the agency and the period, so a report has an address to share.
struct ReportsController {
    let pages: StaffPages

    enum Text {
        static let reports = Phrase("Báo cáo", "Reports")
        static let settlement = Phrase("Báo cáo tình hình giải quyết", "Settlement report")
        static let indicators = Phrase("Chỉ số phục vụ (Quyết định 766)", "Service indicators (Decision 766)")
        static let agency = Phrase("Cơ quan", "Agency")
        static let csv = Phrase("Tải CSV (mở bằng Excel)", "Download CSV (opens in Excel)")
        static let print = Phrase("In báo cáo", "Print")
        static let period = Phrase("Kỳ báo cáo: {0} – {1}", "Period: {0} – {1}")
        static let total = Phrase("Tổng cộng", "Total")
        static let counted = Phrase("Hồ sơ được tính ({0})", "Dossiers counted ({0})")
        static let rest = Phrase("Hồ sơ không đạt ({0})", "Dossiers not counted ({0})")
        static let outOf = Phrase("{0} trên {1} hồ sơ", "{0} of {1} dossiers")
        static let nothing = Phrase("Không có hồ sơ để tính trong kỳ.", "No dossiers to count in the period.")
        static let rule = Phrase("Cách tính", "How it is counted")
        static let monthly = Phrase("Tỷ lệ đúng hạn theo tháng (%)", "On time, month by month (%)")
        static let onlineMonthly = Phrase("Tỷ lệ nộp trực tuyến theo tháng (%)", "Submitted online, month by month (%)")
        static let byAgencyChart = Phrase("Tỷ lệ đúng hạn theo cơ quan (%)", "On time by agency (%)")
        static let channels = Phrase("Hồ sơ mới theo kênh", "New dossiers by channel")
        static let channel = Phrase("Kênh", "Channel")
        static let dossiers = Phrase("Số hồ sơ", "Dossiers")
        static let none = Phrase("Không có hồ sơ nào.", "No dossiers.")
        static let next = Phrase("Trang sau", "Next page")
        static let back = Phrase("Về chỉ số", "Back to the indicators")
        static let code = Phrase("Mã hồ sơ", "Code")
        static let procedure = Phrase("Thủ tục", "Procedure")
        static let received = Phrase("Ngày nộp", "Submitted")
        static let due = Phrase("Hẹn trả", "Due")
        static let finished = Phrase("Có kết quả", "Result")
        static let timeliness = Phrase("Tiến độ", "Timeliness")
        static let rounds = Phrase("Lần bổ sung", "Supplements")
        static let status = Phrase("Trạng thái", "Status")
    }

    /// The settlement report's columns, as the two heading rows and the CSV name them.
    static let columns: [(group: Phrase?, label: Phrase, value: @Sendable (SettlementReport.Row) -> Int)] = [
        (nil, Phrase("Kỳ trước chuyển sang", "Carried over"), \.carriedOver),
        (Phrase("Mới tiếp nhận", "New"), Phrase("Trực tuyến", "Online"), \.newOnline),
        (Phrase("Mới tiếp nhận", "New"), Phrase("Trực tiếp", "At the counter"), \.newCounter),
        (Phrase("Mới tiếp nhận", "New"), Phrase("Bưu chính", "By post"), \.newPost),
        (nil, Phrase("Tổng tiếp nhận", "Received"), \.received),
        (Phrase("Đã giải quyết", "Settled"), Phrase("Trước hạn", "Early"), \.settledEarly),
        (Phrase("Đã giải quyết", "Settled"), Phrase("Đúng hạn", "On time"), \.settledOnTime),
        (Phrase("Đã giải quyết", "Settled"), Phrase("Trễ hạn", "Late"), \.settledLate),
        (Phrase("Đang giải quyết", "In progress"), Phrase("Trong hạn", "Within time"), \.inProgressWithinTime),
        (Phrase("Đang giải quyết", "In progress"), Phrase("Quá hạn", "Overdue"), \.inProgressOverdue),
        (nil, Phrase("Từ chối", "Refused"), \.refused),
        (nil, Phrase("Rút hồ sơ", "Withdrawn"), \.withdrawn),
        (nil, Phrase("Dừng xử lý", "Stopped"), \.stopped),
    ]

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/reports") { _, _ in Response.seeOther("/reports/766", cookies: []) }
        router.get("/reports/settlement") { request, context in try await self.settlement(request, context: context, csv: false) }
        router.get("/reports/settlement/export") { request, context in try await self.settlement(request, context: context, csv: true) }
        router.get("/reports/766") { request, context in try await self.indicators(request, context: context, csv: false) }
        router.get("/reports/766/export") { request, context in try await self.indicators(request, context: context, csv: true) }
        router.get("/reports/766/dossiers", use: self.dossiers)
    }

    static func percent(_ figure: IndicatorReport.Figure?) -> String {
        guard let value = figure?.percent else { return "—" }
        return String(format: "%.1f", value).replacingOccurrences(of: ".", with: ",") + " %"
    }

    // MARK: The settlement report

    struct SettlementView {
        struct Heading { let label: String; let span: Int; let rows: Int }
        struct Line { let name: String; let key: String; let cells: [String] }
        let frame: PageFrame
        let heading: String
        let period: String
        let choice: ReportChoice
        let groups: [Heading]
        let labels: [String]
        let firstLabel: String
        let lines: [Line]
        let total: Line
        let export: String
        let exportLabel: String
        let printLabel: String
    }

    func settlement(_ request: Request, context: ServiceRequestContext, csv: Bool) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let pairs = request.queryPairs(["agency", "from", "to", "by"])
            let report = try await self.pages.desk.report("settlement", FormEncoding.query(pairs), as: SettlementReport.self, token: token,
                                                          requestID: visit.requestID)
            let first = report.grouping == .agency ? Text.agency(language) : Text.procedure(language)
            if csv {
                let header = [first, Text.code(language)] + Self.columns.map { [$0.group?(language), $0.label(language)].compactMap { $0 }.joined(separator: ": ") }
                let lines = (report.rows + [report.total]).map { row in
                    [row.key.isEmpty ? Text.total(language) : row.name, row.key] + Self.columns.map { String($0.value(row)) }
                }
                return self.pages.csv([header] + lines, name: "bao-cao-\(report.agencyCode)-\(report.from)-\(report.to)", visit: visit)
            }
            var groups: [SettlementView.Heading] = []
            for column in Self.columns {
                let label = column.group?(language) ?? column.label(language)
                if column.group != nil, let last = groups.last, last.label == label, last.rows == 1 {
                    groups[groups.count - 1] = SettlementView.Heading(label: label, span: last.span + 1, rows: 1)
                } else {
                    groups.append(SettlementView.Heading(label: label, span: 1, rows: column.group == nil ? 2 : 1))
                }
            }
            func line(_ row: SettlementReport.Row) -> SettlementView.Line {
                SettlementView.Line(name: row.name, key: row.key, cells: Self.columns.map { Digits.grouped($0.value(row)) })
            }
            let choice = try await ReportChoice(self.pages, visit, action: "/reports/settlement", agencyCode: report.agencyCode,
                                               from: report.from, to: report.to, grouping: report.grouping)
            let view = SettlementView(
                frame: self.pages.frame(visit, title: Text.settlement), heading: Text.settlement(language) + " · " + report.agencyName,
                period: Text.period.with(Display.date(report.from), Display.date(report.to))(language), choice: choice, groups: groups,
                labels: Self.columns.filter { $0.group != nil }.map { $0.label(language) }, firstLabel: first, lines: report.rows.map(line),
                total: SettlementView.Line(name: Text.total(language), key: "", cells: line(report.total).cells),
                export: "/reports/settlement/export?" + FormEncoding.query(pairs), exportLabel: Text.csv(language), printLabel: Text.print(language))
            return try self.pages.page(visit, "settlement", view)
        }
    }

    // MARK: Decision 766

    struct IndicatorsView {
        struct Card {
            let id: String
            let title: String
            let percent: String
            let outOf: String
            let rule: String
            let counted: String?
            let countedLabel: String
            let rest: String?
            let restLabel: String
        }
        struct Channel { let label: String; let count: String }
        let frame: PageFrame
        let heading: String
        let period: String
        let choice: ReportChoice
        let ruleLabel: String
        let cards: [Card]
        let channelsTitle: String
        let channelLabel: String
        let dossiersLabel: String
        let channels: [Channel]
        let anyChannels: Bool
        struct Chart { let lineChart: Charts.LineChart }
        let charts: [Chart]
        let barChart: Charts.BarChart?
        let export: String
        let exportLabel: String
        let printLabel: String
        let settlement: String
        let settlementLabel: String
        let register: String
        let registerLabel: String
    }

    func indicators(_ request: Request, context: ServiceRequestContext, csv: Bool) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let pairs = request.queryPairs(["agency", "from", "to"])
            let report = try await self.pages.desk.report("indicators", FormEncoding.query(pairs), as: IndicatorReport.self, token: token,
                                                          requestID: visit.requestID)
            if csv {
                let header = ["Phạm vi", "Mã", Text.indicators(language), "Được tính", "Trên", "Tỷ lệ (%)"]
                let whole = IndicatorReport.Slice(key: report.agencyCode, name: report.agencyName, figures: report.figures)
                let lines = ([whole] + report.months + report.agencies).flatMap { slice in
                    slice.figures.map { figure in
                        [slice.name, slice.key, language == .vi ? figure.indicator.vietnameseTitle : figure.indicator.englishTitle, String(figure.counted),
                         String(figure.of), figure.percent.map { String(format: "%.2f", $0) } ?? ""]
                    }
                }
                return self.pages.csv([header] + lines, name: "chi-so-766-\(report.agencyCode)-\(report.from)-\(report.to)", visit: visit)
            }
            let scope = FormEncoding.query([("agency", report.agencyCode), ("from", report.from.description), ("to", report.to.description)])
            let cards = report.figures.map { figure in
                let link = { (part: Indicator766.Part) in "/reports/766/dossiers?" + scope + "&indicator=\(figure.indicator.rawValue)&part=\(part.rawValue)" }
                return IndicatorsView.Card(
                    id: figure.indicator.rawValue, title: language == .vi ? figure.indicator.vietnameseTitle : figure.indicator.englishTitle,
                    percent: Self.percent(figure),
                    outOf: figure.of == 0 ? Text.nothing(language) : Text.outOf.with(Digits.grouped(figure.counted), Digits.grouped(figure.of))(language),
                    rule: language == .vi ? figure.indicator.vietnameseRule : figure.indicator.englishRule,
                    counted: figure.counted > 0 ? link(.counted) : nil, countedLabel: Text.counted.with(Digits.grouped(figure.counted))(language),
                    rest: figure.of > figure.counted ? link(.rest) : nil, restLabel: Text.rest.with(Digits.grouped(figure.of - figure.counted))(language))
            }
            let channels = IntakeChannel.allCases.compactMap { channel in
                report.channels[channel.rawValue].map { IndicatorsView.Channel(label: Display.channel(channel)(language), count: Digits.grouped($0)) }
            }
            func monthly(_ indicator: Indicator766, _ title: Phrase, id: String) -> Charts.LineChart? {
                let points = report.months.compactMap { month in
                    month.figure(indicator)?.percent.map { (label: String(month.key.suffix(2)) + "/" + String(month.key.prefix(4).suffix(2)), value: Int($0.rounded())) }
                }
                return points.count > 1 ? Charts.LineChart(points, title: title(language), id: id) : nil
            }
            let bars = report.agencies.compactMap { slice in
                slice.figure(.onTime)?.percent.map { Charts.Bar(label: slice.name, value: Int($0.rounded()), colour: $0 >= 95 ? "#1b7f3b" : "#b26a00") }
            }
            let choice = try await ReportChoice(self.pages, visit, action: "/reports/766", agencyCode: report.agencyCode,
                                               from: report.from, to: report.to, grouping: nil)
            let view = IndicatorsView(
                frame: self.pages.frame(visit, title: Text.indicators), heading: Text.indicators(language) + " · " + report.agencyName,
                period: Text.period.with(Display.date(report.from), Display.date(report.to))(language), choice: choice, ruleLabel: Text.rule(language),
                cards: cards, channelsTitle: Text.channels(language), channelLabel: Text.channel(language), dossiersLabel: Text.dossiers(language),
                channels: channels, anyChannels: !channels.isEmpty,
                charts: [monthly(.onTime, Text.monthly, id: "on-time-months"), monthly(.online, Text.onlineMonthly, id: "online-months")]
                    .compactMap { $0.map(IndicatorsView.Chart.init) },
                barChart: bars.count > 1 ? Charts.BarChart(bars, title: Text.byAgencyChart(language), id: "on-time-agencies") : nil,
                export: "/reports/766/export?" + scope, exportLabel: Text.csv(language), printLabel: Text.print(language),
                settlement: "/reports/settlement?" + scope, settlementLabel: Text.settlement(language),
                register: "/reports/register?" + scope, registerLabel: RegisterController.Text.title(language))
            return try self.pages.page(visit, "indicators", view)
        }
    }

    // MARK: The dossiers behind a figure

    struct DossiersView {
        struct Line { let href: String; let code: String; let procedure: String; let status: String; let received: String; let due: String
                      let finished: String; let timeliness: String; let rounds: String; let late: Bool }
        let frame: PageFrame
        let heading: String
        let period: String
        let rule: String
        let headers: [String]
        let lines: [Line]
        let empty: String?
        let next: String?
        let nextLabel: String
        let back: String
        let backLabel: String
    }

    @Sendable func dossiers(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let pairs = request.queryPairs(["agency", "from", "to", "indicator", "part", "after"])
            let page = try await self.pages.desk.report("dossiers", FormEncoding.query(pairs + [("pageSize", "50")]), as: ReportDossierPage.self,
                                                        token: token, requestID: visit.requestID)
            let scope = request.queryPairs(["agency", "from", "to"])
            let title = language == .vi ? page.indicator.vietnameseTitle : page.indicator.englishTitle
            let part = page.part == .counted ? Phrase("hồ sơ được tính", "dossiers counted") : Phrase("hồ sơ không đạt", "dossiers not counted")
            let lines = page.items.map { item in
                DossiersView.Line(
                    href: "/dossiers/\(item.id)", code: item.code, procedure: item.procedureName, status: Display.status(item.status, language),
                    received: Display.date(item.submittedAt), due: item.dueAt.map(Display.date) ?? "—", finished: item.finishedAt.map(Display.date) ?? "—",
                    timeliness: item.timeliness.map { Self.timeliness($0)(language) } ?? "—", rounds: String(item.supplementRounds),
                    late: item.timeliness == .late || item.supplementRounds > Indicator766.supplementRoundsAllowed)
            }
            let next = page.nextCursor.map { cursor in
                "/reports/766/dossiers?" + FormEncoding.query(pairs.filter { $0.0 != "after" } + [("after", cursor)])
            }
            let view = DossiersView(
                frame: self.pages.frame(visit, title: Text.indicators), heading: title + " · " + part(language),
                period: Text.period.with(Display.date(page.from), Display.date(page.to))(language),
                rule: language == .vi ? page.indicator.vietnameseRule : page.indicator.englishRule,
                headers: [Text.code, Text.procedure, Text.status, Text.received, Text.due, Text.finished, Text.timeliness, Text.rounds].map { $0(language) },
                lines: lines, empty: lines.isEmpty ? Text.none(language) : nil, next: next, nextLabel: Text.next(language),
                back: "/reports/766?" + FormEncoding.query(scope), backLabel: Text.back(language))
            return try self.pages.page(visit, "report-dossiers", view)
        }
    }

    static func timeliness(_ timeliness: Timeliness) -> Phrase {
        switch timeliness {
        case .early: Phrase("Trước hạn", "Early")
        case .onTime: Phrase("Đúng hạn", "On time")
        case .late: Phrase("Trễ hạn", "Late")
        }
    }
}
