import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOHTTP1
import PageKit
import ServiceKit

extension Phrase {
    static let submitTitle = Phrase("Nộp hồ sơ trực tuyến", "Submit a dossier online")
    static let applicant = Phrase("Người nộp hồ sơ", "Applicant")
    static let address = Phrase("Địa chỉ thường trú", "Permanent address")
    static let chooseAgency = Phrase("Nơi nộp hồ sơ", "Where to submit")
    static let chooseAgencyPrompt = Phrase("— Chọn cơ quan —", "— Choose an agency —")
    static let documentsToAttach = Phrase("Tệp đính kèm theo thành phần hồ sơ", "Files for the required documents")
    static let fileHint = Phrase("PDF, ảnh JPG/PNG, Word hoặc Excel, tối đa 20 MB", "PDF, JPG/PNG image, Word or Excel, up to 20 MB")
    static let fileKept = Phrase("Đã nhận tệp; chỉ chọn lại nếu muốn thay.", "File received; choose again only to replace it.")
    static let delivery = Phrase("Nhận kết quả", "Receive the result")
    static let deliveryCounter = Phrase("Tại Bộ phận Một cửa", "At the one-stop counter")
    static let deliveryPost = Phrase("Qua bưu chính công ích", "By public post")
    static let deliveryOnline = Phrase("Trực tuyến (bản điện tử có chữ ký số)", "Online (a digitally signed copy)")
    static let deliveryAddress = Phrase("Địa chỉ nhận kết quả qua bưu chính", "Address for delivery by post")
    static let sendDossier = Phrase("Nộp hồ sơ", "Submit")
    static let fileMissing = Phrase("Chọn tệp cho thành phần này.", "Choose a file for this document.")
    static let fileRefused = Phrase("Tệp không được nhận: {0}", "The file was not accepted: {0}")
    static let formAlreadyUsed = Phrase("Biểu mẫu này đã được dùng để nộp một hồ sơ khác. Hãy mở lại trang nộp hồ sơ.",
                                        "This form was already used for another dossier. Please open the submission page again.")
    static let agencyMissing = Phrase("Chọn cơ quan nhận hồ sơ.", "Choose the agency that receives the dossier.")
    static let addressMissing = Phrase("Nhập địa chỉ.", "Enter the address.")
}

/// Online submission of a level 3 or 4 procedure: a form built from the procedure's required documents, files
/// stored by documents under the citizen's name, the dossier made in single-window with the form's key as its
/// idempotency key.
struct SubmissionPages {
    let visitors: Visitors
    let singleWindow: SingleWindowGateway
    let documents: DocumentsGateway
    let submissions: SubmissionRepository
    let issuer: TokenIssuer
    let maximumBytes: Int

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/procedures/:code/submit") { request, context in
            let visitor = try await self.visitors.visitor(request)
            let code = try context.parameters.require("code")
            guard let account = visitor.account, account.phoneVerifiedAt != nil else {
                return visitor.redirect(to: "/login?next=" + FormEncoding.encode("/procedures/\(code)/submit"))
            }
            return try await self.withProcedure(code, visitor, context) { procedure, agencies in
                try self.form(visitor, procedure, agencies, FormState(values: Self.prefill(account)), key: UUID().uuidString.lowercased(), kept: false)
            }
        }
        router.post("/procedures/:code/submit") { request, context in
            let visitor = try await self.visitors.visitor(request)
            let code = try context.parameters.require("code")
            guard let account = visitor.account, account.phoneVerifiedAt != nil else {
                return visitor.redirect(to: "/login?next=" + FormEncoding.encode("/procedures/\(code)/submit"))
            }
            let form: MultipartForm
            do {
                form = try await MultipartForm.read(request, limit: self.maximumBytes)
            } catch MultipartForm.Failure.tooLarge {
                return Layout.message(visitor, title: .submitTitle, text: Phrase.fileRefused.with("> \(self.maximumBytes / 1_048_576) MB"),
                                      status: .contentTooLarge)
            } catch {
                return Layout.message(visitor, title: .submitTitle, text: .formExpired, status: .badRequest)
            }
            guard self.visitors.carriesToken(form.fields, request) else {
                return Layout.formExpired(visitor)
            }
            guard let key = form.fields["key"], key.count >= 16, key.count <= 64 else {
                return Layout.message(visitor, title: .submitTitle, text: .formExpired, status: .badRequest)
            }
            return try await self.withProcedure(code, visitor, context) { procedure, agencies in
                try await self.submit(visitor, account, procedure, agencies, form, key: key, context: context)
            }
        }
    }

    static func describe(_ openAPI: inout OpenAPIDocument) {
        openAPI.add("GET", "/procedures/:code/submit", summary: "Online submission form (signed-in citizen; level 3 and 4)", tag: "pages",
                    responses: [200: ("HTML", nil), 303: ("Sign in first", nil)], contentType: "text/html")
        openAPI.add("POST", "/procedures/:code/submit", summary: "Submit (multipart/form-data: csrf, key, agencyCode, applicant.*, doc-N files, "
                        + "delivery.method, delivery.address); the same key makes one dossier", tag: "pages",
                    responses: [303: ("To the dossier's page", nil), 422: ("The form with its errors", nil)], contentType: "text/html")
    }

    static func prefill(_ account: AccountRecord) -> [String: String] {
        ["applicant.fullName": account.fullName, "applicant.citizenId": account.citizenId ?? "", "applicant.phone": account.phone,
         "applicant.email": account.email ?? "", "delivery.method": DeliveryMethod.counter.rawValue]
    }

    private func withProcedure(_ code: String, _ visitor: Visitor, _ context: ServiceRequestContext,
                               _ body: (Procedure, [Agency]) async throws -> Response) async throws -> Response {
        let procedure: Procedure?
        let agencies: [Agency]
        do {
            async let found = self.singleWindow.procedure(code, requestID: context.requestID)
            async let all = self.singleWindow.agencies(requestID: context.requestID)
            (procedure, agencies) = try await (found, all)
        } catch {
            return Layout.failed(visitor, title: .submitTitle, error, logger: context.logger)
        }
        guard let procedure else { return Layout.message(visitor, title: .submitTitle, text: .procedureMissing, status: .notFound) }
        guard procedure.serviceLevel.acceptsOnlineSubmission else {
            return Layout.message(visitor, title: .submitTitle, text: .notOnline, status: .conflict)
        }
        let levels = Dictionary(agencies.map { ($0.code, $0.level) }, uniquingKeysWith: { first, _ in first })
        return try await body(procedure, agencies.filter { IntakeRules.handles(procedure, agency: $0, namedAgencyLevels: levels) })
    }

    private func submit(_ visitor: Visitor, _ account: AccountRecord, _ procedure: Procedure, _ agencies: [Agency], _ form: MultipartForm,
                        key: String, context: ServiceRequestContext) async throws -> Response {
        let submission = try await self.submissions.claim(key, account: account.id, now: self.visitors.now())
        guard submission.account == account.id else {
            return Layout.message(visitor, title: .submitTitle, text: .formAlreadyUsed, status: .conflict)
        }
        if let done = submission.dossierId { return visitor.redirect(to: "/my/dossiers/\(done)?submitted=1") }
        var state = FormState(values: form.fields)
        // The form's own checks first, so that nothing is stored for a form that cannot go.
        if !agencies.contains(where: { $0.code == form.fields["agencyCode"] }) {
            state.issues.append(Self.issue("agencyCode", .agencyMissing))
        }
        if (form.fields["applicant.address"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            state.issues.append(Self.issue("applicant.address", .addressMissing))
        }
        if submission.attachments == nil {
            for (index, _) in procedure.documents.enumerated() where form.file("doc-\(index)") == nil {
                state.issues.append(Self.issue("doc-\(index)", .fileMissing))
            }
        }
        guard state.issues.isEmpty else {
            return try self.form(visitor, procedure, agencies, state, key: key, kept: submission.attachments != nil, status: .unprocessableContent)
        }
        let token = try await self.issuer.token(for: account.identity, lifetime: 300)
        var attachments = submission.attachments ?? []
        if submission.attachments == nil {
            do {
                attachments = try await self.upload(procedure, form, token: token, requestID: context.requestID, state: &state)
            } catch {
                return try self.form(visitor, procedure, agencies, FormState(values: form.fields, issues: [Self.issue("agencyCode", .serviceDown)]),
                                 key: key, kept: false, status: .serviceUnavailable)
            }
            guard state.issues.isEmpty else {
                return try self.form(visitor, procedure, agencies, state, key: key, kept: false, status: .unprocessableContent)
            }
            attachments = try await self.submissions.attach(attachments, to: key)
        }
        let method = form.fields["delivery.method"].flatMap(DeliveryMethod.init(rawValue:)) ?? .counter
        let address = form.fields["delivery.address"]?.trimmingCharacters(in: .whitespaces)
        let email = form.fields["applicant.email"]?.trimmingCharacters(in: .whitespaces)
        let request = SubmitDossierRequest(
            procedureCode: procedure.code, agencyCode: form.fields["agencyCode"] ?? "", channel: .online,
            applicant: Applicant(fullName: form.fields["applicant.fullName"] ?? account.fullName, citizenId: form.fields["applicant.citizenId"],
                                 phone: form.fields["applicant.phone"] ?? account.phone, email: email?.isEmpty == false ? email : nil,
                                 address: form.fields["applicant.address"] ?? ""),
            attachments: attachments, delivery: .init(method: method, address: address?.isEmpty == false ? address : nil))
        let response: ServiceResponse
        do {
            response = try await self.singleWindow.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers",
                                                               body: try StreamingJSON.encode(request), headers: [("Idempotency-Key", key)],
                                                               requestID: context.requestID, idempotent: true, authorization: "Bearer " + token)
        } catch {
            return try self.form(visitor, procedure, agencies, FormState(values: form.fields, issues: [Self.issue("agencyCode", .serviceDown)]),
                             key: key, kept: true, status: .serviceUnavailable)
        }
        switch response.status {
        case 200, 201:
            let dossier = try response.decode(DossierView.self)
            try await self.submissions.complete(key, dossierId: dossier.id, code: dossier.code)
            return visitor.redirect(to: "/my/dossiers/\(dossier.id)?submitted=1")
        case 409:
            return Layout.message(visitor, title: .submitTitle, text: .formAlreadyUsed, status: .conflict)
        case 400..<500:
            let issues = response.problem.errors ?? [FieldIssue(field: "agencyCode", code: "refused", vi: response.problem.detail, en: response.problem.detail)]
            return try self.form(visitor, procedure, agencies, FormState(values: form.fields, issues: issues), key: key, kept: true,
                             status: .unprocessableContent)
        default:
            return try self.form(visitor, procedure, agencies, FormState(values: form.fields, issues: [Self.issue("agencyCode", .serviceDown)]),
                             key: key, kept: true, status: .serviceUnavailable)
        }
    }

    /// Stores each required document's file; a file documents refuses becomes an error next to its input.
    private func upload(_ procedure: Procedure, _ form: MultipartForm, token: String, requestID: String?,
                        state: inout FormState) async throws -> [Attachment] {
        var attachments: [Attachment] = []
        for (index, document) in procedure.documents.enumerated() {
            guard let file = form.file("doc-\(index)") else { continue }
            do {
                let stored = try await self.documents.upload(file, token: token, requestID: requestID)
                attachments.append(Attachment(documentName: document.name, fileId: stored.id))
            } catch let problem as Problem where (400..<500).contains(Int(problem.status.code)) {
                state.issues.append(Self.issue("doc-\(index)", Phrase.fileRefused.with(problem.detail)))
            }
        }
        return attachments
    }

    static func issue(_ field: String, _ phrase: Phrase) -> FieldIssue {
        FieldIssue(field: field, code: "form", vi: phrase.vi, en: phrase.en)
    }

    /// The online submission form's model for `submission.mustache`: the agency, the applicant, a file input per
    /// document the procedure asks for, and how the result comes back.
    struct View {
        struct Method { var value: String; var label: String; var checked: Bool; var first: Bool }
        var frame: PageFrame
        var procedureHref: String
        var procedureName: String
        var heading: String
        var level: String
        var errorSummary: ErrorSummary?
        var action: String
        var csrf: String
        var key: String
        var agency: FormField
        var applicantLegend: String
        var applicant: [FormField]
        var documentsLegend: String
        var documents: [FormField]
        var deliveryLegend: String
        var deliveryError: String?
        var methods: [Method]
        var deliveryAddress: FormField
        var submit: String
    }

    func form(_ visitor: Visitor, _ procedure: Procedure, _ agencies: [Agency], _ state: FormState, key: String, kept: Bool,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        let agencyOptions = [FormField.Option(value: "", label: Phrase.chooseAgencyPrompt(l))] + agencies.map { FormField.Option(value: $0.code, label: $0.name) }
        let documents = procedure.documents.enumerated().map { index, document in
            let hint = Phrase("\(Display.documentForm(document.form).vi), \(document.copies) bản. \(Phrase.fileHint.vi)",
                              "\(Display.documentForm(document.form).en), \(document.copies) copies. \(Phrase.fileHint.en)")
            var input = FieldInput(type: "file", hint: kept ? Phrase(hint.vi + " " + Phrase.fileKept.vi, hint.en + " " + Phrase.fileKept.en) : hint,
                                       required: !kept, keepsValue: false)
            input.accept = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.xml"
            return state.field("doc-\(index)", Phrase(document.name, document.name), l, input)
        }
        var methods: [(DeliveryMethod, Phrase)] = [(.counter, .deliveryCounter)]
        if procedure.allowsPostalDelivery { methods.append((.post, .deliveryPost)) }
        if procedure.serviceLevel == .fullyOnline { methods.append((.online, .deliveryOnline)) }
        let chosen = state["delivery.method"].isEmpty ? DeliveryMethod.counter.rawValue : state["delivery.method"]
        let path = "/procedures/\(procedure.code.pathSegment)"
        return try Layout.render(visitor, "submission", View(
            frame: Layout.frame(visitor, title: .submitTitle), procedureHref: path, procedureName: procedure.name, heading: Phrase.submitTitle(l),
            level: Display.serviceLevel(procedure.serviceLevel)(l), errorSummary: state.summary(l), action: path + "/submit", csrf: visitor.csrfToken,
            key: key, agency: state.field("agencyCode", .chooseAgency, l, .init(options: agencyOptions)), applicantLegend: Phrase.applicant(l),
            applicant: [state.field("applicant.fullName", .fullName, l, .init(autocomplete: "name")),
                        state.field("applicant.citizenId", .citizenId, l, .init(inputmode: "numeric", hint: .citizenIdHint)),
                        state.field("applicant.phone", .phone, l, .init(type: "tel", autocomplete: "tel", inputmode: "tel")),
                        state.field("applicant.email", .email, l, .init(type: "email", autocomplete: "email", required: false)),
                        state.field("applicant.address", .address, l, .init(autocomplete: "street-address"))],
            documentsLegend: Phrase.documentsToAttach(l), documents: documents, deliveryLegend: Phrase.delivery(l),
            deliveryError: state.issue("delivery.method")?.text(l),
            methods: methods.enumerated().map { index, method in
                View.Method(value: method.0.rawValue, label: method.1(l), checked: method.0.rawValue == chosen, first: index == 0)
            },
            deliveryAddress: state.field("delivery.address", .deliveryAddress, l, .init(autocomplete: "street-address", required: false)),
            submit: Phrase.sendDossier(l)), status: status)
    }
}
