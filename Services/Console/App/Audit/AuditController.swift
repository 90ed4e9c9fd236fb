import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The audit trail for the province's admin: what one person did (on dossiers, at single-window; to staff accounts,
/// at the portal) or what was done to one dossier, in a period, newest first, from the services that keep it. Nobody
/// can change an entry: the services only ever add them, in the transaction of the change.
struct AuditController {
    let pages: StaffPages

    enum Text {
        static let title = Phrase("Nhật ký hệ thống", "Audit trail")
        static let adminOnly = Phrase("Nhật ký hệ thống do quản trị tỉnh tra cứu.", "The audit trail is the province administrator's.")
        static let actor = Phrase("Người thực hiện", "Person")
        static let anyone = Phrase("— Chọn người —", "— Choose a person —")
        static let dossier = Phrase("Mã hồ sơ", "Dossier code")
        static let from = Phrase("Từ ngày", "From")
        static let to = Phrase("Đến ngày", "To")
        static let find = Phrase("Tra cứu", "Search")
        static let ask = Phrase("Chọn một người hoặc nhập mã hồ sơ để tra cứu.", "Choose a person or enter a dossier code to search.")
        static let none = Phrase("Không có thao tác nào trong khoảng này.", "Nothing was done in this period.")
        static let csv = Phrase("Tải CSV (mở bằng Excel)", "Download CSV (opens in Excel)")
        static let account = Phrase("tài khoản", "account")
    }

    static let headers = [Phrase("Thời điểm", "When"), Phrase("Người thực hiện", "Who"), Phrase("Thao tác", "Action"), Phrase("Đối tượng", "On"),
                          Phrase("Chi tiết", "Detail"), Phrase("Từ địa chỉ", "From"), Phrase("Nguồn", "Kept by")]

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/admin/audit") { request, context in try await self.search(request, context: context, csv: false) }
        router.get("/admin/audit/export") { request, context in try await self.search(request, context: context, csv: true) }
    }

    struct View {
        let frame: PageFrame
        let heading: String
        let actor: FormField
        let dossier: FormField
        let from: FormField
        let to: FormField
        let find: String
        let message: String?
        let headers: [String]
        let rows: [[String]]
        let export: String?
        let exportLabel: String
    }

    func search(_ request: Request, context: ServiceRequestContext, csv: Bool) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            let language = visit.language
            let pairs = request.queryPairs(["actor", "dossier", "from", "to"])
            let values = Dictionary(pairs) { first, _ in first }
            let staff = try await self.pages.accounts.staffAccounts(agency: nil, as: token, requestID: visit.requestID)
            var names = Dictionary(staff.map { ($0.id, $0.fullName) }) { first, _ in first }
            if let session = visit.session { names[session.accountID] = session.fullName }
            var entries: [AuditEntry] = []
            let asked = values["actor"] != nil || values["dossier"] != nil
            if asked {
                let query = FormEncoding.query(pairs)
                entries += try await self.pages.desk.audit(query, as: token, requestID: visit.requestID)
                // A person's changes to staff accounts too (a dossier's trail has none).
                if values["actor"] != nil, values["dossier"] == nil {
                    entries += try await self.pages.accounts.audit(query, as: token, requestID: visit.requestID)
                }
            }
            entries.sort { $0.at > $1.at }
            let rows = entries.map { entry in
                [Display.dateTime(entry.at), names[entry.actor] ?? entry.actor, entry.action,
                 entry.target.hasPrefix("account ")
                    ? Text.account(language) + " " + (names[String(entry.target.dropFirst(8))] ?? String(entry.target.dropFirst(8))) : entry.target,
                 entry.detail ?? "", entry.address ?? "", entry.source]
            }
            if csv {
                return self.pages.csv([Self.headers.map { $0(language) }] + rows, name: "nhat-ky", visit: visit)
            }
            let people = [FormField.Option(value: "", label: Text.anyone(language))]
                + staff.sorted { $0.fullName < $1.fullName }.map { FormField.Option(value: $0.id, label: $0.fullName + " · " + $0.phone) }
            let view = View(
                frame: self.pages.frame(visit, title: Text.title), heading: Text.title(language),
                actor: FormField("actor", label: Text.actor, language: language, value: values["actor"] ?? "", options: people),
                dossier: FormField("dossier", label: Text.dossier, language: language, value: values["dossier"] ?? ""),
                from: FormField("from", label: Text.from, language: language, value: values["from"] ?? "", type: "date"),
                to: FormField("to", label: Text.to, language: language, value: values["to"] ?? "", type: "date"), find: Text.find(language),
                message: !asked ? Text.ask(language) : rows.isEmpty ? Text.none(language) : nil,
                headers: Self.headers.map { $0(language) }, rows: rows,
                export: asked && !rows.isEmpty ? "/admin/audit/export?" + FormEncoding.query(pairs) : nil, exportLabel: Text.csv(language))
            return try self.pages.page(visit, "audit", view)
        }
    }
}
