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
            return try self.procedurePage(visitor, procedure, agencies)
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

    /// The search page's model for `catalog.mustache`.
    struct SearchView {
        struct Item { var href: String; var name: String; var about: String; var limits: String }
        struct Paging { var position: String; var previous: String?; var previousLabel: String; var next: String?; var nextLabel: String }

        var frame: PageFrame
        var heading: String
        var search: FormField
        var filters: [FormField]
        var searchButton: String
        var found: String
        var noResults: String?
        var items: [Item]
        var paging: Paging?
    }

    func searchPage(_ visitor: Visitor, _ filter: SingleWindowGateway.ProcedureFilter, _ page: ProcedurePage, _ sectors: [SectorCount],
                    _ agencies: [Agency]) throws -> Response {
        let l = visitor.language
        // Each filter starts with "all", chosen when the filter is not set.
        func choice(_ name: String, _ label: Phrase, _ value: String, _ options: [(String, String)], groups: [FormField.OptionGroup] = []) -> FormField {
            FormField(name, label: label, language: l, value: value,
                      options: [FormField.Option(value: "", label: Phrase.any(l))] + options.map { FormField.Option(value: $0.0, label: $0.1) }, groups: groups)
        }
        let filters = [
            choice("sector", .sector, filter.sector, sectors.map { ($0.sector, "\($0.sector) (\($0.procedures))") }),
            choice("agency", .implementingAgency, filter.agency, [], groups: FormField.OptionGroup.agencies(agencies, language: l)),
            choice("level", .serviceLevel, filter.level.map { String($0.rawValue) } ?? "", ServiceLevel.allCases.map {
                (String($0.rawValue), Display.serviceLevel($0)(l) + " (\(page.countsByLevel[String($0.rawValue)] ?? 0))")
            }),
            choice("online", .onlineScope, filter.scope?.rawValue ?? "", [OnlineScope.full, .partial].map { ($0.rawValue, Display.onlineScope($0)(l)) }),
        ]
        let items = page.items.map { item in
            SearchView.Item(href: "/procedures/\(item.code.pathSegment)", name: item.name,
                            about: "\(item.code) · \(item.sector) · \(Display.serviceLevel(item.serviceLevel)(l))",
                            limits: "\(Phrase.processingTime(l)): \(Display.workingDays(item.processingDays)(l)) · \(Phrase.fee(l)): \(Display.money(item.totalFee, l))")
        }
        let pages = max(1, (page.total + page.pageSize - 1) / page.pageSize)
        let paging = pages > 1 ? SearchView.Paging(
            position: Phrase.pageOf.with(String(page.page), String(pages))(l),
            previous: page.page > 1 ? "/procedures?" + filter.query(page: page.page - 1) : nil, previousLabel: Phrase.previousPage(l),
            next: page.page < pages ? "/procedures?" + filter.query(page: page.page + 1) : nil, nextLabel: Phrase.nextPage(l)) : nil
        return try Layout.render(visitor, "catalog", SearchView(
            frame: Layout.frame(visitor, title: .catalogTitle), heading: Phrase.catalogTitle(l), search: Self.searchField(filter.text, l), filters: filters,
            searchButton: Phrase.searchButton(l), found: Phrase.resultsCount.with(String(page.total))(l),
            noResults: page.items.isEmpty ? Phrase.noResults(l) : nil, items: items, paging: paging))
    }

    /// The catalog's search box, on this page and the home page.
    static func searchField(_ text: String, _ l: Language) -> FormField {
        FormField("q", label: .searchLabel, language: l, value: text, hint: .searchHint, type: "search")
    }

    /// A procedure's page's model for `procedure.mustache`.
    struct ProcedureView {
        struct Step { var title: String; var performer: String }
        struct Document { var name: String; var detail: String; var form: PageFrame.Link? }
        struct Fee { var name: String; var amount: String }

        var frame: PageFrame
        var catalog: String
        var name: String
        var facts: [Fact]
        var submit: PageFrame.Link?
        var notOnline: String?
        var stepsHeading: String
        var steps: [Step]
        var documentsHeading: String
        var documents: [Document]
        var feesHeading: String
        var free: String?
        var fees: [Fee]
        var channelsHeading: String
        var channels: [Fact]
        var legalHeading: String
        var legalBasis: [String]
    }

    func procedurePage(_ visitor: Visitor, _ procedure: Procedure, _ agencies: [Agency]) throws -> Response {
        let l = visitor.language
        let names = Dictionary(agencies.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let agencyList = procedure.agencyCodes.isEmpty
            ? procedure.levels.map { Display.agencyLevel($0)(l) }.joined(separator: ", ")
            : procedure.agencyCodes.map { names[$0] ?? $0 }.joined(separator: "; ")
        func flag(_ value: Bool) -> String { (value ? Phrase.yes : Phrase.no)(l) }
        let online = procedure.serviceLevel.acceptsOnlineSubmission
        return try Layout.render(visitor, "procedure", ProcedureView(
            frame: Layout.frame(visitor, title: Phrase(procedure.name, procedure.name)), catalog: Phrase.catalogTitle(l), name: procedure.name,
            facts: [Fact(label: Phrase.procedureCode(l), value: procedure.code), Fact(label: Phrase.sector(l), value: procedure.sector),
                    Fact(label: Phrase.implementingAgency(l), value: agencyList),
                    Fact(label: Phrase.serviceLevel(l), value: Display.serviceLevel(procedure.serviceLevel)(l)),
                    Fact(label: Phrase.processingTime(l), value: Display.workingDays(procedure.processingDays)(l)),
                    Fact(label: Phrase.resultType(l), value: procedure.resultType)],
            submit: online ? PageFrame.Link(href: "/procedures/\(procedure.code.pathSegment)/submit", label: Phrase.submitOnline(l)) : nil,
            notOnline: online ? nil : Phrase.notOnline(l),
            stepsHeading: Phrase.steps(l), steps: procedure.steps.map { step in
                // Who does the step: a role of the agency that receives the dossier, or another agency by its code.
                let role = Role(rawValue: step.performer).flatMap(Display.role)
                return ProcedureView.Step(title: step.title, performer: role?(l) ?? names[step.performer] ?? step.performer)
            },
            documentsHeading: Phrase.requiredDocuments(l), documents: procedure.documents.map { document in
                ProcedureView.Document(name: document.name, detail: "\(Display.documentForm(document.form)(l)); \(Phrase.copies(l)): \(document.copies)",
                                       form: document.templateURL.map { PageFrame.Link(href: $0, label: Phrase.downloadForm(l)) })
            },
            feesHeading: Phrase.fee(l), free: procedure.fees.isEmpty ? Display.money(.zero, l) : nil,
            fees: procedure.fees.map { ProcedureView.Fee(name: $0.name, amount: Display.money($0.amount, l)) },
            channelsHeading: Phrase.channels(l),
            channels: [Fact(label: Phrase.onlinePaymentAllowed(l), value: flag(procedure.allowsOnlinePayment)),
                       Fact(label: Phrase.postalIntakeAllowed(l), value: flag(procedure.allowsPostalIntake)),
                       Fact(label: Phrase.postalDeliveryAllowed(l), value: flag(procedure.allowsPostalDelivery))],
            legalHeading: Phrase.legalBasis(l), legalBasis: procedure.legalBasis))
    }
}
