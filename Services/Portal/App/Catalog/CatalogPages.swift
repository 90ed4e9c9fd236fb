import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let catalogTitle = Phrase("Thủ tục hành chính", "Administrative procedures")
    static let searchLabel = Phrase("Tìm thủ tục", "Find a procedure")
    static let searchHint = Phrase("Có thể gõ không dấu, ví dụ: dang ky ket hon", "Diacritics optional, e.g. dang ky ket hon")
    static let searchButton = Phrase("Tìm kiếm", "Search")
    static let sector = Phrase("Lĩnh vực", "Sector")
    static let implementingAgency = Phrase("Cơ quan thực hiện", "Implementing agency")
    static let serviceLevel = Phrase("Mức độ dịch vụ công", "Online service level")
    static let onlineScope = Phrase("Trực tuyến", "Online")
    static let any = Phrase("Tất cả", "All")
    static let resultsCount = Phrase("Tìm thấy {0} thủ tục", "{0} procedures found")
    static let noResults = Phrase("Không tìm thấy thủ tục phù hợp. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt bộ lọc.",
                                  "No procedure matches. Try a shorter search or fewer filters.")
    static let processingTime = Phrase("Thời hạn giải quyết", "Time limit")
    static let fee = Phrase("Phí, lệ phí", "Fees")
    static let previousPage = Phrase("Trang trước", "Previous page")
    static let nextPage = Phrase("Trang sau", "Next page")
    static let pageOf = Phrase("Trang {0}/{1}", "Page {0} of {1}")
    static let procedureCode = Phrase("Mã thủ tục", "Procedure code")
    static let agencyLevels = Phrase("Cấp thực hiện", "Levels")
    static let requiredDocuments = Phrase("Thành phần hồ sơ", "Required documents")
    static let copies = Phrase("Số bản", "Copies")
    static let downloadForm = Phrase("Tải mẫu", "Download form")
    static let steps = Phrase("Trình tự thực hiện", "Steps")
    static let resultType = Phrase("Kết quả", "Result")
    static let legalBasis = Phrase("Căn cứ pháp lý", "Legal basis")
    static let channels = Phrase("Cách thức nộp và nhận", "Ways to submit and receive")
    static let onlinePaymentAllowed = Phrase("Thanh toán phí trực tuyến", "Pay fees online")
    static let postalIntakeAllowed = Phrase("Nộp hồ sơ qua bưu chính công ích", "Submit by public post")
    static let postalDeliveryAllowed = Phrase("Nhận kết quả qua bưu chính", "Receive the result by post")
    static let submitOnline = Phrase("Nộp hồ sơ trực tuyến", "Submit online")
    static let notOnline = Phrase("Thủ tục này chưa nhận hồ sơ trực tuyến; vui lòng nộp tại Bộ phận Một cửa.",
                                  "This procedure does not take online dossiers yet; please submit at the one-stop counter.")
    static let procedureMissing = Phrase("Không có thủ tục với mã này.", "There is no procedure with this code.")
    static let serviceDown = Phrase("Hệ thống giải quyết thủ tục tạm thời không trả lời. Vui lòng thử lại sau ít phút.",
                                    "The procedure system is not answering just now. Please try again in a few minutes.")
    static let citizenPagesOnly = Phrase(
        "Trang này dành cho công dân và doanh nghiệp xem hồ sơ mình đã nộp. Tài khoản của bạn là tài khoản cán bộ: hồ sơ bạn xử lý nằm trong trang "
            + "dành cho cán bộ (bảng điều khiển cán bộ), không ở đây.",
        "This page shows citizens and businesses the dossiers they submitted. Yours is a staff account: the dossiers you handle are in the staff "
            + "console, not here.")
    static let notAllowedHere = Phrase("Tài khoản này không được xem trang này.", "This account may not see this page.")
    static let yes = Phrase("Có", "Yes")
    static let no = Phrase("Không", "No")
}

/// The public catalog: search without diacritics with filters and paging, and each procedure's page.
struct CatalogPages {
    let visitors: Visitors
    let singleWindow: SingleWindowGateway

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/procedures") { request, context in
            let visitor = try await self.visitors.visitor(request)
            let filter = Self.filter(request)
            do {
                async let page = self.singleWindow.procedures(filter, requestID: context.requestID)
                async let sectors = self.singleWindow.sectors(requestID: context.requestID)
                async let agencies = self.singleWindow.agencies(requestID: context.requestID)
                return try await self.searchPage(visitor, filter, page, sectors, agencies)
            } catch let problem as Problem where problem.status.code < 500 {
                return Layout.message(visitor, title: .catalogTitle, text: Phrase(problem.detail, problem.detail), status: .badRequest)
            } catch {
                return Layout.failed(visitor, title: .catalogTitle, error, logger: context.logger)
            }
        }
        router.get("/procedures/:code") { request, context in
            let visitor = try await self.visitors.visitor(request)
            let code = try context.parameters.require("code")
            let procedure: Procedure?
            let agencies: [Agency]
            do {
                async let found = self.singleWindow.procedure(code, requestID: context.requestID)
                async let all = self.singleWindow.agencies(requestID: context.requestID)
                (procedure, agencies) = try await (found, all)
            } catch {
                return Layout.failed(visitor, title: .catalogTitle, error, logger: context.logger)
            }
            guard let procedure else { return Layout.message(visitor, title: .catalogTitle, text: .procedureMissing, status: .notFound) }
            return self.procedurePage(visitor, procedure, agencies)
        }
    }

    static func describe(_ openAPI: inout OpenAPIDocument) {
        openAPI.add("GET", "/procedures", summary: "Catalog search page: q (diacritics optional), sector, agency, level, online, page", tag: "pages",
                    responses: [200: ("HTML", nil), 503: ("Single-window does not answer", nil)], contentType: "text/html")
        openAPI.add("GET", "/procedures/:code", summary: "A procedure's page: steps, documents and forms, fees, time limit, legal basis",
                    tag: "pages", responses: [200: ("HTML", nil), 404: ("No such procedure", nil)], contentType: "text/html")
    }

    static func filter(_ request: Request) -> SingleWindowGateway.ProcedureFilter {
        var filter = SingleWindowGateway.ProcedureFilter()
        filter.text = request.query("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        filter.sector = request.query("sector") ?? ""
        filter.agency = request.query("agency") ?? ""
        filter.level = request.query("level").flatMap(Int.init).flatMap(ServiceLevel.init(rawValue:))
        filter.scope = request.query("online").flatMap(OnlineScope.init(rawValue:))
        filter.page = max(1, min(request.query("page").flatMap(Int.init) ?? 1, 100_000))
        return filter
    }

    func searchPage(_ visitor: Visitor, _ filter: SingleWindowGateway.ProcedureFilter, _ page: ProcedurePage, _ sectors: [SectorCount],
                    _ agencies: [Agency]) -> Response {
        let l = visitor.language
        func option(_ value: String, _ label: String, _ selected: Bool) -> String {
            "<option value=\"\(HTML.escape(value))\"\(selected ? " selected" : "")>\(HTML.escape(label))</option>"
        }
        let sectorOptions = option("", Phrase.any(l), filter.sector.isEmpty)
            + sectors.map { option($0.sector, "\($0.sector) (\($0.procedures))", $0.sector == filter.sector) }.joined()
        var agencyOptions = option("", Phrase.any(l), filter.agency.isEmpty)
        for level in [AgencyLevel.province, .department, .district] {
            let group = agencies.filter { $0.level == level }
            guard !group.isEmpty else { continue }
            agencyOptions += "<optgroup label=\"\(HTML.escape(Display.agencyLevel(level)(l)))\">"
                + group.map { option($0.code, $0.name, $0.code == filter.agency) }.joined() + "</optgroup>"
        }
        let levelOptions = option("", Phrase.any(l), filter.level == nil) + ServiceLevel.allCases.map {
            option(String($0.rawValue), Display.serviceLevel($0)(l) + " (\(page.countsByLevel[String($0.rawValue)] ?? 0))", $0 == filter.level)
        }.joined()
        let scopeOptions = option("", Phrase.any(l), filter.scope == nil)
            + [OnlineScope.full, .partial].map { option($0.rawValue, Display.onlineScope($0)(l), $0 == filter.scope) }.joined()
        let items = page.items.map { item in
            """
            <li class="card"><h2><a href="/procedures/\(HTML.escape(item.code.pathSegment))">\(HTML.escape(item.name))</a></h2>
            <p class="muted">\(HTML.escape(item.code)) · \(HTML.escape(item.sector)) · \(HTML.escape(Display.serviceLevel(item.serviceLevel)(l)))</p>
            <p>\(HTML.escape(Phrase.processingTime(l))): \(HTML.escape(Display.workingDays(item.processingDays)(l))) · \
            \(HTML.escape(Phrase.fee(l))): \(HTML.escape(Display.money(item.totalFee, l)))</p></li>
            """
        }.joined(separator: "\n")
        let pages = max(1, (page.total + page.pageSize - 1) / page.pageSize)
        var paging = ""
        if pages > 1 {
            paging = "<nav class=\"paging\" aria-label=\"\(HTML.escape(Phrase.pageOf.with(String(page.page), String(pages))(l)))\"><p>"
            if page.page > 1 { paging += "<a rel=\"prev\" href=\"/procedures?\(HTML.escape(filter.query(page: page.page - 1)))\">← \(HTML.escape(Phrase.previousPage(l)))</a> " }
            paging += HTML.escape(Phrase.pageOf.with(String(page.page), String(pages))(l))
            if page.page < pages { paging += " <a rel=\"next\" href=\"/procedures?\(HTML.escape(filter.query(page: page.page + 1)))\">\(HTML.escape(Phrase.nextPage(l))) →</a>" }
            paging += "</p></nav>"
        }
        return Layout.page(visitor, title: .catalogTitle, body: HTML(raw: """
            <h1>\(HTML.escape(Phrase.catalogTitle(l)))</h1>
            <form class="card filters" method="get" action="/procedures" role="search">
            \(Self.searchField(filter.text, l))
            <div class="grid">
            <div class="field"><label for="f-sector">\(HTML.escape(Phrase.sector(l)))</label><select id="f-sector" name="sector">\(sectorOptions)</select></div>
            <div class="field"><label for="f-agency">\(HTML.escape(Phrase.implementingAgency(l)))</label><select id="f-agency" name="agency">\(agencyOptions)</select></div>
            <div class="field"><label for="f-level">\(HTML.escape(Phrase.serviceLevel(l)))</label><select id="f-level" name="level">\(levelOptions)</select></div>
            <div class="field"><label for="f-online">\(HTML.escape(Phrase.onlineScope(l)))</label><select id="f-online" name="online">\(scopeOptions)</select></div>
            </div>
            <button type="submit">\(HTML.escape(Phrase.searchButton(l)))</button>
            </form>
            <p role="status">\(HTML.escape(Phrase.resultsCount.with(String(page.total))(l)))</p>
            \(page.items.isEmpty ? "<p>\(HTML.escape(Phrase.noResults(l)))</p>" : "<ol class=\"plain\">\(items)</ol>")
            \(paging)
            """))
    }

    /// The catalog's search box, on this page and the home page.
    static func searchField(_ text: String, _ l: Language) -> String {
        FormHTML.field("q", .searchLabel, FormState(values: ["q": text]), l, .init(type: "search", hint: .searchHint, required: false))
    }

    func procedurePage(_ visitor: Visitor, _ procedure: Procedure, _ agencies: [Agency]) -> Response {
        let l = visitor.language
        let names = Dictionary(agencies.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let agencyList = procedure.agencyCodes.isEmpty
            ? procedure.levels.map { Display.agencyLevel($0)(l) }.joined(separator: ", ")
            : procedure.agencyCodes.map { names[$0] ?? $0 }.joined(separator: "; ")
        let fees = procedure.fees.isEmpty
            ? "<p>\(HTML.escape(Display.money(.zero, l)))</p>"
            : "<table><tbody>" + procedure.fees.map { "<tr><td>\(HTML.escape($0.name))</td><td>\(HTML.escape(Display.money($0.amount, l)))</td></tr>" }
                .joined() + "</tbody></table>"
        let documents = procedure.documents.map { document in
            let form = document.templateURL.map { " · <a href=\"\(HTML.escape($0))\" download>\(HTML.escape(Phrase.downloadForm(l)))</a>" } ?? ""
            return "<li>\(HTML.escape(document.name)) <span class=\"muted\">(\(HTML.escape(Display.documentForm(document.form)(l))); "
                + "\(HTML.escape(Phrase.copies(l))): \(document.copies))</span>\(form)</li>"
        }.joined()
        let steps = procedure.steps.map { "<li><b>\(HTML.escape($0.title))</b> <span class=\"muted\">— \(HTML.escape($0.performer))</span></li>" }.joined()
        let legal = procedure.legalBasis.map { "<li>\(HTML.escape($0))</li>" }.joined()
        func flag(_ value: Bool) -> String { HTML.escape((value ? Phrase.yes : Phrase.no)(l)) }
        let submit = procedure.serviceLevel.acceptsOnlineSubmission
            ? "<p><a class=\"button\" href=\"/procedures/\(HTML.escape(procedure.code.pathSegment))/submit\">\(HTML.escape(Phrase.submitOnline(l)))</a></p>"
            : "<p class=\"notice\">\(HTML.escape(Phrase.notOnline(l)))</p>"
        return Layout.page(visitor, title: Phrase(procedure.name, procedure.name), body: HTML(raw: """
            <p class="muted"><a href="/procedures">\(HTML.escape(Phrase.catalogTitle(l)))</a></p>
            <h1>\(HTML.escape(procedure.name))</h1>
            <table><tbody>
            <tr><th>\(HTML.escape(Phrase.procedureCode(l)))</th><td>\(HTML.escape(procedure.code))</td></tr>
            <tr><th>\(HTML.escape(Phrase.sector(l)))</th><td>\(HTML.escape(procedure.sector))</td></tr>
            <tr><th>\(HTML.escape(Phrase.implementingAgency(l)))</th><td>\(HTML.escape(agencyList))</td></tr>
            <tr><th>\(HTML.escape(Phrase.serviceLevel(l)))</th><td>\(HTML.escape(Display.serviceLevel(procedure.serviceLevel)(l)))</td></tr>
            <tr><th>\(HTML.escape(Phrase.processingTime(l)))</th><td>\(HTML.escape(Display.workingDays(procedure.processingDays)(l)))</td></tr>
            <tr><th>\(HTML.escape(Phrase.resultType(l)))</th><td>\(HTML.escape(procedure.resultType))</td></tr>
            </tbody></table>
            \(submit)
            <h2>\(HTML.escape(Phrase.steps(l)))</h2><ol>\(steps)</ol>
            <h2>\(HTML.escape(Phrase.requiredDocuments(l)))</h2><ul>\(documents)</ul>
            <h2>\(HTML.escape(Phrase.fee(l)))</h2>\(fees)
            <h2>\(HTML.escape(Phrase.channels(l)))</h2>
            <table><tbody>
            <tr><th>\(HTML.escape(Phrase.onlinePaymentAllowed(l)))</th><td>\(flag(procedure.allowsOnlinePayment))</td></tr>
            <tr><th>\(HTML.escape(Phrase.postalIntakeAllowed(l)))</th><td>\(flag(procedure.allowsPostalIntake))</td></tr>
            <tr><th>\(HTML.escape(Phrase.postalDeliveryAllowed(l)))</th><td>\(flag(procedure.allowsPostalDelivery))</td></tr>
            </tbody></table>
            <h2>\(HTML.escape(Phrase.legalBasis(l)))</h2><ul>\(legal)</ul>
            """))
    }
}
