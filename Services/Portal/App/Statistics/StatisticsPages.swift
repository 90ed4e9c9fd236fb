import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOHTTP1
import PageKit
import ServiceKit

extension Phrase {
    static let statisticsTitle = Phrase("Kết quả giải quyết thủ tục hành chính", "Administrative procedure results")
    static let year = Phrase("Năm", "Year")
    static let show = Phrase("Xem", "Show")
    static let receivedTotal = Phrase("Hồ sơ tiếp nhận", "Dossiers received")
    static let resolvedEarly = Phrase("Giải quyết trước hạn", "Resolved early")
    static let resolvedOnTime = Phrase("Giải quyết đúng hạn", "Resolved on time")
    static let resolvedLate = Phrase("Giải quyết quá hạn", "Resolved late")
    static let inProgress = Phrase("Đang giải quyết", "In progress")
    static let overdue = Phrase("Đang giải quyết, đã quá hạn", "In progress, overdue")
    static let refusedCount = Phrase("Từ chối tiếp nhận", "Refused at intake")
    static let supplementCount = Phrase("Yêu cầu bổ sung", "Supplement requests")
    static let satisfaction = Phrase("Mức độ hài lòng", "Satisfaction")
    static let satisfactionValue = Phrase("{0}/5 ({1} đánh giá)", "{0}/5 ({1} ratings)")
    static let noRatings = Phrase("Chưa có đánh giá", "No ratings yet")
    static let resolvedChart = Phrase("Tình hình giải quyết", "How dossiers were resolved")
    static let receivedByMonth = Phrase("Hồ sơ tiếp nhận theo tháng", "Dossiers received by month")
    static let recentlySettled = Phrase("Hồ sơ giải quyết gần đây", "Recently settled dossiers")
    static let finishedAt = Phrase("Ngày hoàn thành", "Finished")
    static let timeliness = Phrase("Thời hạn", "Timeliness")
    static let nothingSettled = Phrase("Chưa có hồ sơ nào hoàn thành.", "No dossier has been settled yet.")
    static let onTimeShare = Phrase("Tỉ lệ đúng hạn", "On time or early")
}

/// Published settlement results (Decree 61/2018, art. 33): per agency and year, figures, charts drawn as SVG on the
/// server, and the recently settled dossiers without personal data. Kept for five minutes: they change slowly.
struct StatisticsPages {
    let visitors: Visitors
    let singleWindow: SingleWindowGateway
    let cache = ReferenceCache(lifetime: 300)

    struct Report: Sendable {
        var year: DossierStatistics
        var months: [Int]
        var settled: [SettledDossier]
    }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/statistics") { request, context in
            let visitor = try await self.visitors.visitor(request)
            let thisYear = LocalDate(Date()).year
            let year = request.query("year").flatMap(Int.init).map { min(max($0, 2015), thisYear) } ?? thisYear
            let agency = request.query("agency").flatMap { $0.isEmpty ? nil : $0 } ?? "H33"
            do {
                let agencies = try await self.singleWindow.agencies(requestID: context.requestID)
                guard agencies.contains(where: { $0.code == agency }) else {
                    return Layout.message(visitor, title: .statisticsTitle, text: .dossierMissing, status: .notFound)
                }
                let report = try await self.report(agency: agency, year: year, requestID: context.requestID)
                return try self.page(visitor, agencies: agencies, agency: agency, year: year, report)
            } catch {
                return Layout.failed(visitor, title: .statisticsTitle, error, logger: context.logger)
            }
        }
        openAPI.add("GET", "/statistics", summary: "Published settlement results for ?agency= (and the agencies under it) and ?year=: figures, "
                    + "SVG charts, recently settled dossiers", tag: "pages",
                    responses: [200: ("HTML", nil), 404: ("No such agency", nil), 503: ("Single-window does not answer", nil)],
                    contentType: "text/html")
    }

    func report(agency: String, year: Int, requestID: String?) async throws -> Report {
        try await self.cache.value("\(agency)/\(year)") {
            let client = self.singleWindow.client
            func statistics(_ from: String, _ to: String) async throws -> DossierStatistics {
                try await client.get(DossierStatistics.self, service: Topology.singleWindow,
                                     path: "/v1/statistics?agency=\(agency.pathSegment)&from=\(from)&to=\(to)", requestID: requestID)
            }
            async let whole = statistics("\(year)-01-01", "\(year)-12-31")
            async let settled = client.get([SettledDossier].self, service: Topology.singleWindow,
                                           path: "/v1/statistics/settled?agency=\(agency.pathSegment)&limit=20", requestID: requestID)
            // The year's answer carries its months: two calls to single-window for the page, not fourteen.
            let figures = try await whole
            let months = (1...12).map { month in figures.receivedByMonth?["\(figures.from.year)-" + Digits.padded(month, width: 2)] ?? 0 }
            return Report(year: figures, months: months, settled: try await settled)
        }
    }

    /// The page's model for `statistics.mustache`.
    struct View {
        struct Column { var label: String; var wide: Bool }
        struct Settled { var code: String; var procedure: String; var agency: String; var status: String; var finished: String; var timeliness: String }

        var frame: PageFrame
        var heading: String
        var agency: FormField
        var year: FormField
        var show: String
        var subject: String
        var figures: [Fact]
        var barChart: Charts.BarChart
        var lineChart: Charts.LineChart
        var settledHeading: String
        var nothingSettled: String?
        var settledColumns: [Column]
        var settled: [Settled]
    }

    func page(_ visitor: Visitor, agencies: [Agency], agency: String, year: Int, _ report: Report) throws -> Response {
        let l = visitor.language
        let figures = report.year
        let (early, onTime, late) = (figures.resolved(.early), figures.resolved(.onTime), figures.resolved(.late))
        let rating = figures.averageRating.map { Phrase.satisfactionValue.with(String(format: "%.1f", $0), String(figures.ratings))(l) }
            ?? Phrase.noRatings(l)
        let name = agencies.first { $0.code == agency }?.name ?? agency
        let thisYear = LocalDate(Date()).year
        let rows: [(Phrase, String)] = [
            (.receivedTotal, String(figures.received)), (.resolvedEarly, String(early)), (.resolvedOnTime, String(onTime)),
            (.resolvedLate, String(late)), (.onTimeShare, figures.timelyShare), (.inProgress, String(figures.inProgress)),
            (.overdue, String(figures.overdueInProgress)), (.refusedCount, String(figures.refused)),
            (.supplementCount, String(figures.supplementRequests)), (.satisfaction, rating),
        ]
        let bars = Charts.BarChart([
            .init(label: Phrase.resolvedEarly(l), value: early, colour: "#116329"), .init(label: Phrase.resolvedOnTime(l), value: onTime, colour: "#1d4ed8"),
            .init(label: Phrase.resolvedLate(l), value: late, colour: "#a4161a"), .init(label: Phrase.inProgress(l), value: figures.inProgress, colour: "#4f5863"),
            .init(label: Phrase.overdue(l), value: figures.overdueInProgress, colour: "#b45309"),
        ], title: Phrase.resolvedChart(l), id: "resolved")
        let line = Charts.LineChart(report.months.enumerated().map { (label: "T\($0.offset + 1)", value: $0.element) }, title: Phrase.receivedByMonth(l),
                                    id: "monthly")
        let settled = report.settled.map { item in
            let timely = item.timeliness.map { t -> String in
                switch t {
                case .early: Phrase.resolvedEarly(l)
                case .onTime: Phrase.resolvedOnTime(l)
                case .late: Phrase.resolvedLate(l)
                }
            } ?? "—"
            return View.Settled(code: item.code, procedure: item.procedureName, agency: item.agencyName, status: Display.status(item.status, l),
                                finished: Display.date(item.finishedAt), timeliness: timely)
        }
        let columns: [(Phrase, Bool)] = [(.dossierCode, false), (.procedure, false), (.agency, true), (.status, false), (.finishedAt, false),
                                         (.timeliness, true)]
        return try Layout.render(visitor, "statistics", View(
            frame: Layout.frame(visitor, title: .statisticsTitle), heading: Phrase.statisticsTitle(l),
            agency: FormField("agency", label: .agency, language: l, value: agency, groups: FormField.OptionGroup.agencies(agencies, language: l)),
            year: FormField("year", label: .year, language: l, value: String(year),
                            options: (max(2015, thisYear - 5)...thisYear).reversed().map { FormField.Option(value: String($0), label: String($0)) }),
            show: Phrase.show(l), subject: "\(name) · \(year)", figures: rows.map { Fact(label: $0.0(l), value: $0.1) }, barChart: bars,
            lineChart: line, settledHeading: Phrase.recentlySettled(l), nothingSettled: report.settled.isEmpty ? Phrase.nothingSettled(l) : nil,
            settledColumns: columns.map { View.Column(label: $0.0(l), wide: $0.1) }, settled: settled))
    }
}

extension DossierStatistics {
    var received: Int { self.receivedByChannel.values.reduce(0, +) }

    func resolved(_ timeliness: Timeliness) -> Int { self.resolved[timeliness.rawValue] ?? 0 }

    /// Resolved early or on time, as a share of everything resolved ("—" before anything is).
    var timelyShare: String {
        let all = Timeliness.allCases.map(self.resolved).reduce(0, +)
        return all == 0 ? "—" : String(format: "%.1f%%", Double(self.resolved(.early) + self.resolved(.onTime)) * 100 / Double(all))
    }
}
