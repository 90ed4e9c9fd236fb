import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import PageKit
import ServiceKit

/// The leader's desk, made for a 360 px phone: what waits for their signature, the document to read first, approval
/// with the one-time code of their authenticator app, or refusal with a reason the officer reads.
struct DeskController {
    let pages: StaffPages
    let documents: DocumentsDesk

    enum Text {
        static let title = Phrase("Chờ ký duyệt", "Waiting for my signature")
        static let none = Phrase("Không có văn bản nào chờ bạn ký.", "Nothing waits for your signature.")
        static let requestedBy = Phrase("Người trình", "Asked by")
        static let expires = Phrase("Hết hạn", "Expires")
        static let read = Phrase("Xem văn bản", "Read the document")
        static let dossier = Phrase("Xem hồ sơ", "Open the dossier")
        static let code = Phrase("Mã xác thực (6 chữ số trên ứng dụng)", "Authenticator code (6 digits)")
        static let approve = Phrase("Ký duyệt", "Sign")
        static let reason = Phrase("Lý do từ chối (gửi người trình)", "Why you refuse (sent to the officer)")
        static let refuse = Phrase("Từ chối ký", "Refuse to sign")
        static let signed = Phrase("Đã ký.", "Signed.")
        static let refused = Phrase("Đã từ chối; người trình sẽ nhận được lý do.", "Refused; the officer gets your reason.")
        static let expired = Phrase("Biểu mẫu đã hết hạn; xin làm lại.", "The form expired; please do it again.")
        static let several = Phrase("Ký nhiều văn bản một lần", "Sign several at once")
        static let severalHint = Phrase("Đánh dấu các văn bản đã đọc, rồi nhập một mã xác thực.", "Tick the documents you have read, then enter one code.")
        static let pick = Phrase("Chọn để ký cùng lúc", "Pick to sign together")
        static let signTicked = Phrase("Ký các văn bản đã chọn", "Sign the ticked documents")
        static let noneTicked = Phrase("Chưa chọn văn bản nào.", "No document was ticked.")
        static let signedSeveral = Phrase("Đã ký {0} văn bản.", "{0} documents signed.")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/desk", use: self.desk)
        router.get("/desk/:id/document", use: self.document)
        router.post("/desk/:id/approve") { request, context in try await self.decide(request, context: context, approve: true) }
        router.post("/desk/:id/refuse") { request, context in try await self.decide(request, context: context, approve: false) }
        router.post("/desk/approve", use: self.approveSeveral)
    }

    struct Card {
        let id: String
        let reason: String
        let facts: String
        let read: String
        let readLabel: String
        let dossier: String?
        let dossierLabel: String
        let code: FormField
        let approve: String
        let reasonField: FormField
        let refuse: String
        let pick: String
    }
    /// One code for the ticked requests, when more than one waits.
    struct Several { let title: String; let hint: String; let code: FormField; let button: String }
    struct View {
        let frame: PageFrame; let heading: String; let none: String?; let cards: [Card]; let csrf: String; let errorSummary: ErrorSummary?
        let several: Several?
    }

    @Sendable func desk(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let notice = if let count = request.query("signed").flatMap(Int.init), count > 1 {
                Text.signedSeveral.with(String(count))(language)
            } else if request.query("signed") != nil {
                Text.signed(language)
            } else {
                request.query("refused") != nil ? Text.refused(language) : nil
            }
            return try await self.show(visit, token: token, notice: notice)
        }
    }

    func show(_ visit: Visit, token: String, notice: String? = nil, alert: String? = nil, failed: String? = nil, issues: [FieldIssue] = [],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = visit.language
        let pending = try await self.documents.pending(as: token, requestID: visit.requestID)
        let names = await self.pages.names(visit, token: token)
        // The refusal's issues as the refused card's fields are named (`code-<request>`).
        let named = issues.map { $0.named("\($0.field)-\(failed ?? "")") }
        let cards = pending.map { item in
            let fieldIssues = item.id == failed ? named : []
            return Card(id: item.id, reason: item.reason ?? item.documentId,
                        facts: "\(Text.requestedBy(language)): \(names[item.requestedBy] ?? item.requestedBy) · "
                            + "\(Text.expires(language)): \(Display.dateTime(item.expiresAt))",
                        read: "/desk/\(item.id.pathSegment)/document", readLabel: Text.read(language),
                        dossier: item.dossierId.map { "/dossiers/\($0.pathSegment)" }, dossierLabel: Text.dossier(language),
                        code: FormField("code-\(item.id)", label: Text.code, language: language, autocomplete: "one-time-code", inputmode: "numeric",
                                        required: true, issues: fieldIssues),
                        approve: Text.approve(language),
                        reasonField: FormField("reason-\(item.id)", label: Text.reason, language: language, textarea: true, issues: fieldIssues),
                        refuse: Text.refuse(language), pick: Text.pick(language))
        }
        let severalIssues = failed == "several" ? issues.map { $0.named("code-several") } : []
        let view = View(frame: self.pages.frame(visit, title: Text.title, notice: notice, alert: alert), heading: Text.title(language),
                        none: cards.isEmpty ? Text.none(language) : nil, cards: cards, csrf: visit.csrfToken,
                        errorSummary: ErrorSummary(failed == "several" ? severalIssues : named, language: language),
                        several: cards.count > 1
                            ? Several(title: Text.several(language), hint: Text.severalHint(language),
                                      code: FormField("code-several", label: Text.code, language: language, autocomplete: "one-time-code",
                                                      inputmode: "numeric", required: true, issues: severalIssues),
                                      button: Text.signTicked(language))
                            : nil)
        return try self.pages.page(visit, "desk", view, status: status)
    }

    /// The document of a request, shown in the browser (a PDF opens in its viewer).
    @Sendable func document(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let signRequest = try await self.documents.request(context.parameters.get("id") ?? "", as: token, requestID: visit.requestID)
            return try await self.documents.file(signRequest.documentId, as: token, requestID: visit.requestID)
        }
    }

    /// The ticked requests signed with one code: a wrong code is said beside the code field, nothing signed.
    @Sendable func approveSeveral(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            guard let fields = try await self.pages.form(request) else {
                return try await self.show(visit, token: token, alert: Text.expired(visit.language), status: .forbidden)
            }
            let ids = fields.keys.filter { $0.hasPrefix("pick-") }.map { String($0.dropFirst("pick-".count)) }.sorted()
            guard !ids.isEmpty else { return try await self.show(visit, token: token, alert: Text.noneTicked(visit.language), status: .unprocessableContent) }
            do {
                try await self.documents.approve(ids, code: (fields["code-several"] ?? "").filter(\.isNumber), as: token, requestID: visit.requestID)
                return self.pages.redirect(visit, to: "/desk?signed=\(ids.count)")
            } catch let problem as Problem where problem.statusCode == 422 {
                return try await self.show(visit, token: token, failed: "several", issues: problem.errors ?? [], status: .unprocessableContent)
            } catch let problem as Problem where [403, 409, 423].contains(problem.statusCode) {
                return try await self.show(visit, token: token, alert: problem.detail, status: problem.status)
            }
        }
    }

    func decide(_ request: Request, context: ServiceRequestContext, approve: Bool) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let id = context.parameters.get("id") ?? ""
            guard let fields = try await self.pages.form(request) else {
                return try await self.show(visit, token: token, alert: Text.expired(visit.language), status: .forbidden)
            }
            do {
                if approve {
                    try await self.documents.approve(id, code: (fields["code-\(id)"] ?? "").filter(\.isNumber), as: token, requestID: visit.requestID)
                    return self.pages.redirect(visit, to: "/desk?signed=1")
                }
                try await self.documents.refuse(id, reason: fields["reason-\(id)"] ?? "", as: token, requestID: visit.requestID)
                return self.pages.redirect(visit, to: "/desk?refused=1")
            } catch let problem as Problem where problem.statusCode == 422 {
                return try await self.show(visit, token: token, failed: id, issues: problem.errors ?? [], status: .unprocessableContent)
            } catch let problem as Problem where [409, 423].contains(problem.statusCode) {
                // Locked after too many wrong codes, or decided meanwhile: said at the top of the list that remains.
                return try await self.show(visit, token: token, alert: problem.detail, status: problem.status)
            }
        }
    }
}
