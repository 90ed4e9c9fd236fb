import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import PageKit
import ServiceKit

/// The procedure catalog for the province's administrator: find a procedure, change what it requires (levels, fees,
/// time limit, documents, the agencies that carry it out, its internal steps) and publish the change as a new version
/// — dossiers already received keep the version they came in under; and the catalog's import and export. Every
/// change goes through single-window's import, one row of the catalog's CSV layout, so it is checked exactly as a
/// file would be and its refusals come back beside the fields.
struct CatalogAdminController {
    let pages: StaffPages

    enum Text {
        static let title = Phrase("Danh mục thủ tục", "Procedure catalog")
        static let adminOnly = Phrase("Danh mục thủ tục do quản trị tỉnh quản lý.", "The catalog is the province administrator's.")
        static let search = Phrase("Tìm thủ tục (mã hoặc tên, không cần dấu)", "Find a procedure (code or name, diacritics optional)")
        static let find = Phrase("Tìm", "Search")
        static let publish = Phrase("Công bố phiên bản mới", "Publish as a new version")
        static let published = Phrase("Đã công bố phiên bản mới; hồ sơ đã tiếp nhận giữ phiên bản cũ.",
                                      "Published as a new version; dossiers already received keep theirs.")
        static let unchanged = Phrase("Không có thay đổi nào để công bố.", "Nothing changed to publish.")
        static let versions = Phrase("Các phiên bản", "Versions")
        static let version = Phrase("Phiên bản", "Version")
        static let publishedAt = Phrase("Công bố lúc", "Published")
        static let by = Phrase("Người công bố", "By")
        static let fee = Phrase("Tổng phí, lệ phí", "Fees in all")
        static let days = Phrase("Thời hạn (ngày làm việc)", "Time limit (working days)")
        static let importTitle = Phrase("Nhập, xuất danh mục", "Import and export")
        static let file = Phrase("Tệp danh mục (CSV hoặc JSON, như tệp xuất ra)", "Catalog file (CSV or JSON, as exported)")
        static let dryRun = Phrase("Chỉ kiểm tra, chưa ghi", "Check only, write nothing")
        static let importButton = Phrase("Nhập danh mục", "Import")
        static let exportCSV = Phrase("Xuất CSV", "Export CSV")
        static let exportJSON = Phrase("Xuất JSON", "Export JSON")
        static let report = Phrase("Đã ghi {0} thủ tục; {1} dòng bị từ chối.", "{0} procedures written; {1} rows refused.")
        static let checked = Phrase("Kiểm tra xong: {0} dòng bị từ chối; chưa ghi gì.", "Checked: {0} rows refused; nothing written.")
        static let back = Phrase("Về danh mục", "Back to the catalog")
    }

    /// The editable columns of the CSV layout, with their labels and how a list is written.
    static let fields: [(column: String, label: Phrase, hint: Phrase?, textarea: Bool)] = [
        ("name", Phrase("Tên thủ tục", "Name"), nil, false),
        ("sector", Phrase("Lĩnh vực", "Sector"), nil, false),
        ("levels", Phrase("Cấp thực hiện", "Levels"), Phrase("province; department; district; commune, cách nhau bằng ;", "separated by ;"), false),
        ("agencyCodes", Phrase("Cơ quan thực hiện (mã)", "Agencies (codes)"), Phrase("Mã cơ quan, cách nhau bằng ;", "Agency codes, separated by ;"), false),
        ("serviceLevel", Phrase("Mức độ dịch vụ công (1-4)", "Service level (1-4)"), nil, false),
        ("processingDays", Text.days, nil, false),
        ("fees", Phrase("Phí, lệ phí", "Fees"), Phrase("tên=số tiền, cách nhau bằng ;", "name=amount, separated by ;"), true),
        ("documents", Phrase("Thành phần hồ sơ", "Required documents"), Phrase("tên|số bản|loại|mẫu, cách nhau bằng ;", "name|copies|form|template, separated by ;"), true),
        ("steps", Phrase("Quy trình nội bộ", "Internal steps"), Phrase("bước|người thực hiện|% thời gian, cách nhau bằng ;", "title|performer|share, separated by ;"), true),
        ("resultType", Phrase("Kết quả", "Result"), nil, false),
        ("legalBasis", Phrase("Căn cứ pháp lý", "Legal basis"), Phrase("Cách nhau bằng ;", "Separated by ;"), true),
        ("allowsOnlinePayment", Phrase("Thanh toán trực tuyến (true/false)", "Online payment (true/false)"), nil, false),
        ("allowsPostalIntake", Phrase("Nhận hồ sơ qua bưu chính (true/false)", "Postal intake (true/false)"), nil, false),
        ("allowsPostalDelivery", Phrase("Trả kết quả qua bưu chính (true/false)", "Postal delivery (true/false)"), nil, false),
    ]

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/admin/catalog", use: self.list)
        router.get("/admin/catalog/export", use: self.export)
        router.post("/admin/catalog/import", use: self.importFile)
        router.get("/admin/catalog/:code") { request, context in try await self.edit(request, context: context) }
        router.post("/admin/catalog/:code", use: self.publish)
    }

    struct ListView {
        struct Line { let href: String; let code: String; let name: String; let days: String; let fee: String }
        let frame: PageFrame
        let heading: String
        let search: FormField
        let find: String
        let headers: [String]
        let lines: [Line]
        let importTitle: String
        let csrf: String
        let file: FormField
        let dryRun: String
        let importButton: String
        let exportCSV: String
        let exportJSON: String
        let exportCSVLabel: String
        let exportJSONLabel: String
        let report: String?
        let rejected: [String]
    }

    func listPage(_ visit: Visit, _ request: Request, token: String, report: ImportReport? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = visit.language
        let q = request.query("q") ?? ""
        let page = try await self.pages.desk.procedures(FormEncoding.query([("q", q), ("pageSize", "50")]), as: token, requestID: visit.requestID)
        let lines = page.items.map { item in
            ListView.Line(href: "/admin/catalog/" + item.code, code: item.code, name: item.name, days: String(item.processingDays),
                          fee: Display.money(item.totalFee, language))
        }
        let summary = report.map { report in
            report.dryRun ? Text.checked.with(String(report.rejected.count))(language)
                          : Text.report.with(String(report.imported), String(report.rejected.count))(language)
        }
        let rejected = (report?.rejected ?? []).prefix(50).map { row in
            "#\(row.row) \(row.code ?? ""): " + row.errors.map { "\($0.field): " + (language == .vi ? $0.vi : $0.en) }.joined(separator: "; ")
        }
        let view = ListView(
            frame: self.pages.frame(visit, title: Text.title), heading: Text.title(language),
            search: FormField("q", label: Text.search, language: language, value: q, type: "search"), find: Text.find(language),
            headers: [Phrase("Mã", "Code"), Phrase("Tên thủ tục", "Name"), Text.days, Text.fee].map { $0(language) }, lines: lines,
            importTitle: Text.importTitle(language), csrf: visit.csrfToken,
            file: FormField("file", label: Text.file, language: language, type: "file", accept: ".csv,.json,text/csv,application/json"),
            dryRun: Text.dryRun(language), importButton: Text.importButton(language),
            exportCSV: "/admin/catalog/export?format=csv", exportJSON: "/admin/catalog/export?format=json",
            exportCSVLabel: Text.exportCSV(language), exportJSONLabel: Text.exportJSON(language), report: summary, rejected: Array(rejected))
        return try self.pages.page(visit, "catalog", view, status: status)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            return try await self.listPage(visit, request, token: token)
        }
    }

    @Sendable func export(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, _ in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            let format = request.query("format") == "json" ? "json" : "csv"
            let answer = try await self.pages.desk.exportCatalog(format: format, requestID: visit.requestID)
            return Response(status: .ok, headers: [.contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/json", .cacheControl: "no-store",
                                                   .contentDisposition: "attachment; filename=\"danh-muc-thu-tuc.\(format)\""],
                            body: .init(byteBuffer: ByteBuffer(data: answer.body)))
        }
    }

    @Sendable func importFile(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            guard let form = try await self.pages.formWithFiles(request, limit: 32 << 20), let file = form.file("file") else {
                return try self.pages.problemPage(visit, Problem.badRequest(Text.file(visit.language)))
            }
            let data = Data(file.bytes.readableBytesView)
            let format = file.filename.lowercased().hasSuffix(".json") || data.first == UInt8(ascii: "[") ? "json" : "csv"
            let report = try await self.pages.desk.importCatalog(data, format: format, dryRun: form.fields["dryRun"] != nil, as: token,
                                                                 requestID: visit.requestID)
            return try await self.listPage(visit, request, token: token, report: report)
        }
    }

    struct EditView {
        struct Version { let version: String; let at: String; let by: String; let days: String; let fee: String }
        let frame: PageFrame
        let heading: String
        let errorSummary: ErrorSummary?
        let csrf: String
        let action: String
        let fields: [FormField]
        let publish: String
        let versionsLabel: String
        let headers: [String]
        let versions: [Version]
        let back: String
        let backLabel: String
    }

    func editPage(_ visit: Visit, code: String, token: String, cells: [String: String]? = nil, issues: [FieldIssue] = [], notice: String? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = visit.language
        let row = try await self.pages.desk.procedureRow(code, as: token, requestID: visit.requestID)
        let versions = try await self.pages.desk.versions(code, as: token, requestID: visit.requestID)
        let names = await self.pages.names(visit, token: token)
        let values = cells ?? row.cells
        let view = EditView(
            frame: self.pages.frame(visit, title: Text.title, notice: notice),
            heading: code + " · " + (row.cells["name"] ?? ""), errorSummary: ErrorSummary(issues, language: language), csrf: visit.csrfToken,
            action: "/admin/catalog/" + code,
            fields: Self.fields.map { field in
                FormField(field.column, label: field.label, language: language, value: values[field.column] ?? "", hint: field.hint, textarea: field.textarea,
                          rows: 4, issues: issues)
            },
            publish: Text.publish(language), versionsLabel: Text.versions(language),
            headers: [Text.version, Text.publishedAt, Text.by, Text.days, Text.fee].map { $0(language) },
            versions: versions.map { version in
                EditView.Version(version: String(version.version), at: Display.dateTime(version.publishedAt),
                                 by: version.publishedBy.map { names[$0] ?? $0 } ?? "—", days: String(version.processingDays),
                                 fee: Display.money(version.totalFee, language))
            },
            back: "/admin/catalog?q=" + FormEncoding.encode(code), backLabel: Text.back(language))
        return try self.pages.page(visit, "procedure", view, status: status)
    }

    func edit(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            let done: [String: Phrase] = ["published": Text.published, "unchanged": Text.unchanged]
            return try await self.editPage(visit, code: try context.parameters.require("code"), token: token,
                                           notice: request.query("done").flatMap { done[$0] }?(visit.language))
        }
    }

    /// The form's cells as one row of the CSV layout, imported: a new version when anything changed.
    @Sendable func publish(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            guard let form = try await self.pages.form(request) else {
                return try self.pages.expiredForm(visit)
            }
            let code = try context.parameters.require("code")
            let row = try await self.pages.desk.procedureRow(code, as: token, requestID: visit.requestID)
            var cells = row.cells
            for field in Self.fields { if let value = form[field.column] { cells[field.column] = value.replacingOccurrences(of: "\r\n", with: " ") } }
            let csv = CSVText.row(row.columns) + CSVText.row(row.columns.map { cells[$0] ?? "" })
            let report = try await self.pages.desk.importCatalog(Data(csv.utf8), format: "csv", dryRun: false, as: token, requestID: visit.requestID)
            if let refused = report.rejected.first {
                return try await self.editPage(visit, code: code, token: token, cells: cells, issues: refused.errors, status: .unprocessableContent)
            }
            let after = try await self.pages.desk.procedureRow(code, as: token, requestID: visit.requestID)
            return self.pages.redirect(visit, to: "/admin/catalog/\(code)?done=" + (after.version > row.version ? "published" : "unchanged"))
        }
    }
}
