import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The register of dossiers (sổ theo dõi hồ sơ, Circular 01/2018 form 06) of the officer's agency for a period: the
/// clerk prints it on A4 landscape, a page of 500 at a time, or downloads the whole period as CSV.
struct RegisterController {
    let pages: StaffPages
    /// The most lines one CSV holds (a year of the busiest agency fits).
    static let exportLimit = 50_000

    enum Text {
        static let title = Phrase("Sổ theo dõi hồ sơ", "Register of dossiers")
        static let lines = Phrase("{0} hồ sơ tiếp nhận", "{0} dossiers received")
        static let page = Phrase("Trang {0}/{1}", "Page {0} of {1}")
        static let previous = Phrase("Trang trước", "Previous page")
        static let next = Phrase("Trang sau", "Next page")
        static let tooMany = Phrase("Kỳ này có hơn {0} hồ sơ; xin chọn kỳ ngắn hơn để tải CSV.",
                                    "This period has more than {0} dossiers; choose a shorter one to download.")
    }

    static let headers: [Phrase] = [
        Phrase("STT", "No."), Phrase("Mã hồ sơ", "Code"), Phrase("Thủ tục hành chính", "Procedure"), Phrase("Tên người nộp", "Applicant"),
        Phrase("Địa chỉ, số điện thoại", "Address, phone"), Phrase("Ngày nhận", "Received"), Phrase("Hẹn trả", "Appointment"),
        Phrase("Hẹn lại", "New appointment"), Phrase("Có kết quả", "Settled"), Phrase("Tiến độ", "Timeliness"), Phrase("Ngày trả", "Delivered"),
        Phrase("Hình thức trả", "Handed over"), Phrase("Trạng thái", "Status"),
    ]

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/reports/register", use: self.page)
        router.get("/reports/register/export", use: self.export)
    }

    static func cells(_ line: TrackingLog.Line, _ language: Language) -> [String] {
        let timeliness = line.timeliness.flatMap(Timeliness.init(rawValue:)).map { ReportsController.timeliness($0)(language) } ?? ""
        return [String(line.number), line.dossierCode, line.procedureName, line.applicantName, line.applicantAddress + " · " + line.applicantPhone,
                line.receivedAt.map(Display.dateTime) ?? "", line.appointmentAt.map(Display.dateTime) ?? "", line.newAppointment.map(Display.date) ?? "",
                line.finishedAt.map(Display.dateTime) ?? "", timeliness, line.deliveredAt.map(Display.dateTime) ?? "",
                line.deliveryMethod.flatMap(DeliveryMethod.init(rawValue:)).map { Display.delivery($0)(language) } ?? "", line.status]
    }

    struct View {
        struct Line { let cells: [String] }
        let frame: PageFrame
        let heading: String
        let period: String
        let count: String
        let choice: ReportChoice
        let headers: [String]
        let lines: [Line]
        let pageLabel: String?
        let previous: String?
        let next: String?
        let previousLabel: String
        let nextLabel: String
        let export: String
        let exportLabel: String
        let printLabel: String
    }

    @Sendable func page(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let agency = request.query("agency").flatMap { $0.isEmpty ? nil : $0 } ?? visit.session?.agency ?? ""
            let pairs = request.queryPairs(["from", "to"])
            let page = try request.integerQuery("page", default: 1, range: 1...100_000)
            let log = try await self.pages.desk.trackingLog(agency, FormEncoding.query(pairs + [("page", String(page)), ("pageSize", "500")]),
                                                            as: token, requestID: visit.requestID)
            let pagesCount = max(1, (log.total + log.pageSize - 1) / log.pageSize)
            func link(_ page: Int) -> String {
                "/reports/register?" + FormEncoding.query([("agency", agency), ("from", log.from.description), ("to", log.to.description), ("page", String(page))])
            }
            let choice = try await ReportChoice(self.pages, visit, action: "/reports/register", agencyCode: log.agencyCode,
                                                                               from: log.from, to: log.to, grouping: nil)
            let view = View(
                frame: self.pages.frame(visit, title: Text.title), heading: Text.title(language) + " · " + log.agencyName,
                period: ReportsController.Text.period.with(Display.date(log.from), Display.date(log.to))(language),
                count: Text.lines.with(Digits.grouped(log.total))(language), choice: choice,
                headers: Self.headers.map { $0(language) }, lines: log.lines.map { View.Line(cells: Self.cells($0, language)) },
                pageLabel: pagesCount > 1 ? Text.page.with(String(page), String(pagesCount))(language) : nil,
                previous: page > 1 ? link(page - 1) : nil, next: page < pagesCount ? link(page + 1) : nil,
                previousLabel: Text.previous(language), nextLabel: Text.next(language),
                export: "/reports/register/export?" + FormEncoding.query([("agency", agency), ("from", log.from.description), ("to", log.to.description)]),
                exportLabel: ReportsController.Text.csv(language), printLabel: ReportsController.Text.print(language))
            return try self.pages.page(visit, "register", view)
        }
    }

    /// Every line of the period, read 500 at a time.
    @Sendable func export(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let agency = request.query("agency").flatMap { $0.isEmpty ? nil : $0 } ?? visit.session?.agency ?? ""
            let pairs = request.queryPairs(["from", "to"])
            var rows = [Self.headers.map { $0(language) }]
            var page = 1
            var log: TrackingLog
            repeat {
                log = try await self.pages.desk.trackingLog(agency, FormEncoding.query(pairs + [("page", String(page)), ("pageSize", "500")]),
                                                            as: token, requestID: visit.requestID)
                guard log.total <= Self.exportLimit else { throw Problem.badRequest(Text.tooMany.with(Digits.grouped(Self.exportLimit))(language)) }
                rows += log.lines.map { Self.cells($0, language) }
                page += 1
            } while (page - 1) * log.pageSize < log.total
            return self.pages.csv(rows, name: "so-theo-doi-\(log.agencyCode)-\(log.from)-\(log.to)", visit: visit)
        }
    }
}
