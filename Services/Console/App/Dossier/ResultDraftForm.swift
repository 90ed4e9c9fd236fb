import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// Drafting the result and submitting it for signing, from the dossier page: the officer uploads the result file
/// (stored in documents under their own token), gives its number and the signer as printed, and chooses the leader;
/// single-window files it, documents opens the leader's sign request, and the dossier goes on to the leader's step.
/// While it waits, the page says for whom.
struct ResultDraftForm {
    let title: String
    let hint: String
    let fields: [FormField]
    let button: String

    enum Text {
        static let title = Phrase("Dự thảo kết quả và trình ký", "Draft the result and submit it for signing")
        static let hint = Phrase("Tải lên tệp kết quả (PDF); lãnh đạo được chọn nhận yêu cầu ký số và duyệt bằng mã xác thực trên điện thoại.",
                                 "Upload the result file (PDF); the leader chosen receives the sign request and approves it with the code on their phone.")
        static let file = Phrase("Tệp kết quả", "Result file")
        static let number = Phrase("Số, ký hiệu", "Number")
        static let numberHint = Phrase("Ví dụ: 15/2026/GCNKH", "For example 15/2026/GCNKH")
        static let signer = Phrase("Chức danh người ký (in trên kết quả)", "Signer as printed on the result")
        static let leader = Phrase("Lãnh đạo ký", "Leader who signs")
        static let choose = Phrase("Chọn lãnh đạo", "Choose the leader")
        static let waiting = Phrase("Chờ {0} ký số: kết quả số {1}, trình lúc {2}.", "Waiting for {0} to sign: result {1}, submitted {2}.")
        static let submitted = Phrase("Đã trình ký kết quả.", "The result is submitted for signing.")
        static let noFile = Phrase("Chọn tệp kết quả để tải lên.", "Choose the result file to upload.")
        static let expired = Phrase("Biểu mẫu đã hết hạn hoặc quá lớn; xin làm lại.", "The form expired or is too large; please do it again.")
    }

    /// The form for a dossier in processing without a result waiting for its signature; nil otherwise.
    init?(_ dossier: DossierView, leaders: [StaffMember], language: Language, issues: [FieldIssue] = [], values: [String: String] = [:]) {
        guard dossier.status == .processing, dossier.resultDraft == nil else { return nil }
        func field(_ name: String, _ label: Phrase, hint: Phrase? = nil, type: String = "text", options: [FormField.Option] = []) -> FormField {
            FormField("draft-\(name)", label: label, language: language, value: values[name] ?? "", hint: hint, type: type, required: true,
                      options: options, issues: issues)
        }
        self.title = Text.title(language)
        self.hint = Text.hint(language)
        self.fields = [
            field("file", Text.file, type: "file"),
            field("number", Text.number, hint: Text.numberHint),
            field("signer", Text.signer),
            field("leader", Text.leader, options: [FormField.Option(value: "", label: Text.choose(language))]
                + leaders.sorted { $0.fullName < $1.fullName }.map { FormField.Option(value: $0.id, label: $0.fullName) }),
        ]
        self.button = Text.title(language)
    }

    /// What the page says while a filed result waits for its leader.
    static func waiting(_ dossier: DossierView, names: [String: String], language: Language) -> String? {
        dossier.resultDraft.map { draft in
            Text.waiting.with(names[draft.leader] ?? draft.leader, draft.number, Display.dateTime(draft.requestedAt))(language)
        }
    }

    /// Single-window's field names as the form's.
    static func formIssue(_ issue: FieldIssue) -> FieldIssue {
        issue.named("draft-" + (issue.field == "fileId" ? "file" : issue.field))
    }
}

extension DossierController {
    /// The largest result file the form takes (documents applies its own limit too).
    static let largestResult = 25 * 1024 * 1024

    @Sendable func draftResult(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let id = context.parameters.get("id") ?? ""
            guard let form = try await self.pages.formWithFiles(request, limit: Self.largestResult) else {
                return try await self.show(visit, id: id, token: token, alert: ResultDraftForm.Text.expired(visit.language), status: .forbidden)
            }
            var values: [String: String] = [:]
            for name in ["number", "signer", "leader"] { values[name] = form.fields["draft-" + name]?.trimmingCharacters(in: .whitespacesAndNewlines) }
            func refused(_ issues: [FieldIssue]) async throws -> Response {
                try await self.show(visit, id: id, token: token, refused: "draft", issues: issues.map(ResultDraftForm.formIssue), values: values,
                                    status: .unprocessableContent)
            }
            guard let file = form.file("draft-file") else {
                return try await refused([FieldIssue(field: "fileId", code: "required", vi: ResultDraftForm.Text.noFile(.vi), en: ResultDraftForm.Text.noFile(.en))])
            }
            let stored: UploadedFile
            do {
                stored = try await self.documents.store(file, as: token, requestID: visit.requestID)
            } catch let problem as Problem where [400, 413, 415].contains(problem.statusCode) {
                return try await refused([FieldIssue(field: "fileId", code: "file.refused", vi: problem.detail, en: problem.detail)])
            }
            let draft = ResultDraftRequest(fileId: stored.id, number: values["number"] ?? "", signer: values["signer"] ?? "", leader: values["leader"] ?? "",
                                           expectedVersion: Int(form.fields["version"] ?? "") ?? -1)
            do {
                _ = try await self.pages.desk.draftResult(id, draft, as: token, requestID: visit.requestID)
            } catch let problem as Problem where problem.statusCode == 422 {
                return try await refused(problem.errors ?? [])
            } catch let problem as Problem where problem.statusCode == 409 {
                return try await self.show(visit, id: id, token: token, alert: problem.detail, status: .conflict)
            }
            return self.pages.redirect(visit, to: "/dossiers/\(id.pathSegment)?drafted=1")
        }
    }
}
