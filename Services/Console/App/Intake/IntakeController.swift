import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// Counter intake (tiếp nhận tại quầy): find the procedure by typing (diacritics optional), take the applicant's
/// details and tick the documents handed in, and receive: single-window checks everything (the 12-digit citizen ID,
/// the phone, the documents the procedure requires) and, for an officer at the counter, receives it at once with its
/// appointment date — or, for an incomplete dossier, asks for what is missing (form 02; the clock does not start) or
/// refuses it with the reason (form 03). A refusal comes back beside its field and nothing is stored.
struct IntakeController {
    let pages: StaffPages
    /// Where the counter's scans are stored, under the officer's token.
    let documents: DocumentsDesk

    enum Text {
        static let title = Phrase("Tiếp nhận tại quầy", "Counter intake")
        static let find = Phrase("Tìm thủ tục", "Find the procedure")
        static let findHint = Phrase("Gõ tên thủ tục, không cần dấu: \"dang ky khai sinh\".", "Type the procedure's name, diacritics optional.")
        static let search = Phrase("Tìm", "Search")
        static let none = Phrase("Không có thủ tục nào khớp ở cơ quan của bạn.", "No procedure of your agency matches.")
        static let days = Phrase("{0} ngày làm việc", "{0} working days")
        static let applicant = Phrase("Người nộp hồ sơ", "Applicant")
        static let kind = Phrase("Người nộp là", "The applicant is")
        static let person = Phrase("Cá nhân", "A person")
        static let organisation = Phrase("Tổ chức, doanh nghiệp", "An organisation")
        static let fullName = Phrase("Họ và tên", "Full name")
        static let fullNameHint = Phrase("Với tổ chức: người đến nộp.", "For an organisation: the person handing it in.")
        static let citizenId = Phrase("Số định danh cá nhân (12 chữ số)", "Citizen ID (12 digits)")
        static let phone = Phrase("Số điện thoại", "Phone")
        static let email = Phrase("Thư điện tử (không bắt buộc)", "E-mail (optional)")
        static let address = Phrase("Địa chỉ", "Address")
        static let organisationName = Phrase("Tên tổ chức", "Organisation's name")
        static let taxCode = Phrase("Mã số thuế", "Tax code")
        static let documents = Phrase("Thành phần hồ sơ đã nhận (bản giấy)", "Documents received (paper)")
        static let copies = Phrase("{0} bản", "{0} copies")
        static let delivery = Phrase("Nhận kết quả", "Result delivered")
        static let deliveryAddress = Phrase("Địa chỉ nhận qua bưu chính", "Postal address for the result")
        static let receive = Phrase("Tiếp nhận và in giấy hẹn", "Receive and print the appointment slip")
        static let expired = Phrase("Biểu mẫu đã hết hạn; xin nhập lại.", "The form expired; please enter it again.")
        static let incomplete = Phrase("Hồ sơ chưa đủ hoặc không thuộc thẩm quyền?", "Incomplete, or not for this agency?")
        static let incompleteHint = Phrase("Yêu cầu bổ sung: các giấy tờ chưa đánh dấu ở trên và những giấy tờ ghi thêm dưới đây; thời hạn giải quyết chưa bắt đầu. Từ chối: ghi rõ lý do.",
                                           "Ask for a supplement: the documents left unticked above and any listed below; the legal clock does not start. Refuse: give the reason.")
        static let reason = Phrase("Lý do (in trên phiếu cho người nộp)", "Reason (printed on the slip for the applicant)")
        static let otherDocuments = Phrase("Giấy tờ khác cần bổ sung, hoàn thiện", "Other documents to add or correct")
        static let otherDocumentsHint = Phrase("Mỗi dòng một giấy tờ.", "One document per line.")
        static let deadline = Phrase("Hạn nộp bổ sung", "Supplement deadline")
        static let askSupplement = Phrase("Yêu cầu bổ sung và in phiếu (mẫu 02)", "Ask for a supplement and print the slip (form 02)")
        static let refuse = Phrase("Từ chối tiếp nhận và in phiếu (mẫu 03)", "Refuse and print the slip (form 03)")
        static let scan = Phrase("Bản quét (số hóa)", "Scanned copy (digitised)")
        static let scanned = Phrase("Đã tải bản quét lên; chọn tệp khác để thay.", "The scan is uploaded; choose another file to replace it.")
        static let reuse = Phrase("Dùng lại từ hồ sơ trước", "Reuse from an earlier dossier")
        static let noReuse = Phrase("Không dùng lại", "Do not reuse")
        static let fromDossier = Phrase("{0} — hồ sơ {1}", "{0} — dossier {1}")
        static let lookup = Phrase("Tìm giấy tờ đã nộp trước đây (theo số định danh)", "Find documents handed in before (by citizen ID)")
        static let lookupNone = Phrase("Không có giấy tờ điện tử nào từ hồ sơ trước của số định danh này.", "No earlier dossier of this citizen ID has files.")
        static let lookupFound = Phrase("Có {0} giấy tờ điện tử từ hồ sơ trước; chọn ở từng thành phần để dùng lại.",
                                        "{0} files from earlier dossiers; choose them beside each document to reuse them.")
        static let fileRefused = Phrase("Tệp quét của \"{0}\" không được nhận: {1}", "The scan of \"{0}\" was refused: {1}")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/intake", use: self.search)
        router.get("/intake/:code", use: self.form)
        router.post("/intake/:code", use: self.receive)
    }

    struct Found { let href: String; let code: String; let name: String; let sector: String; let days: String }
    struct SearchView { let frame: PageFrame; let heading: String; let query: FormField; let search: String; let results: [Found]; let none: String? }

    @Sendable func search(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let text = String((request.query("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
            var results: [Found] = []
            if !text.isEmpty {
                let query = FormEncoding.query([("q", text)] + (visit.session?.agency.map { [("agency", $0)] } ?? []) + [("pageSize", "20")])
                results = try await self.pages.desk.procedures(query, as: token, requestID: visit.requestID).items.map {
                    Found(href: "/intake/\($0.code.pathSegment)", code: $0.code, name: $0.name, sector: $0.sector,
                          days: Text.days.with(String($0.processingDays))(language))
                }
            }
            let view = SearchView(frame: self.pages.frame(visit, title: Text.title), heading: Text.title(language),
                                  query: FormField("q", label: Text.find, language: language, value: text, hint: Text.findHint, type: "search"),
                                  search: Text.search(language), results: results, none: !text.isEmpty && results.isEmpty ? Text.none(language) : nil)
            return try self.pages.page(visit, "intake-search", view)
        }
    }

    struct Choice { let name: String; let value: String; let label: String; let checked: Bool; let id: String }
    /// A document of the checklist; ticked, it posts its name, so the intake needs not read the procedure again. Beside
    /// it, its scan (a file input) and, when the applicant's earlier dossiers have files, a choice of one to reuse.
    struct DocumentLine {
        let id: String; let name: String; let value: String; let label: String; let copies: String; let checked: Bool
        let scan: String; let scanLabel: String
        /// A scan uploaded with a form that was then refused: kept, so it need not be chosen again.
        let scanned: String?; let scannedLabel: String
        let index: String
        let reuse: FormField?
    }
    /// A file of one of the applicant's earlier dossiers at this agency.
    struct EarlierFile: Sendable { let documentName: String; let fileId: String; let code: String }
    struct FormView {
        let frame: PageFrame
        let heading: String
        let procedure: String
        let code: String
        let errorSummary: ErrorSummary?
        let csrf: String
        let kindLabel: String
        let kinds: [Choice]
        let fields: [FormField]
        let organisation: [FormField]
        let documentsLabel: String
        let documents: [DocumentLine]
        let documentsError: String?
        let deliveryLabel: String
        let deliveries: [Choice]
        let deliveryAddress: FormField
        let submit: String
        let incomplete: String
        let incompleteHint: String
        /// Open when a decision other than receiving was just refused, so its fields and errors show.
        let deciding: Bool
        let decisionFields: [FormField]
        let askSupplement: String
        let refuse: String
        let lookup: String
        /// What the look-up of earlier files found.
        let lookupResult: String?
    }

    @Sendable func form(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try await self.show(visit, code: context.parameters.get("code") ?? "", token: token)
        }
    }

    func show(_ visit: Visit, code: String, token: String, values: [String: String] = [:], issues: [FieldIssue] = [], alert: String? = nil,
              earlier: [EarlierFile]? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let procedure = try await self.pages.desk.procedure(code, as: token, requestID: visit.requestID)
        let language = visit.language
        let fresh = values.isEmpty
        let issues = issues.map(Self.formIssue)
        func field(_ name: String, _ label: Phrase, hint: Phrase? = nil, type: String = "text", autocomplete: String? = nil, inputmode: String? = nil,
                   required: Bool = false, textarea: Bool = false) -> FormField {
            FormField(name, label: label, language: language, value: values[name] ?? "", hint: hint, type: type, autocomplete: autocomplete,
                      inputmode: inputmode, required: required, textarea: textarea, issues: issues)
        }
        let kind = values["kind"] ?? "person"
        let delivery = values["delivery"] ?? DeliveryMethod.counter.rawValue
        let view = FormView(
            frame: self.pages.frame(visit, title: Text.title, alert: alert), heading: Text.title(language), procedure: procedure.name, code: procedure.code,
            errorSummary: ErrorSummary(issues, language: language), csrf: visit.csrfToken, kindLabel: Text.kind(language),
            kinds: [("person", Text.person), ("organisation", Text.organisation)].map {
                Choice(name: "kind", value: $0.0, label: $0.1(language), checked: kind == $0.0, id: "kind-\($0.0)")
            },
            fields: [field("fullName", Text.fullName, hint: Text.fullNameHint, autocomplete: "off", required: true),
                     field("citizenId", Text.citizenId, inputmode: "numeric", required: true),
                     field("phone", Text.phone, type: "tel", inputmode: "tel", required: true),
                     field("email", Text.email, type: "email"), field("address", Text.address, required: true)],
            organisation: [field("organisationName", Text.organisationName), field("taxCode", Text.taxCode, inputmode: "numeric")],
            documentsLabel: Text.documents(language),
            documents: procedure.documents.enumerated().map { index, document in
                let reusable = (earlier ?? []).sorted { first, _ in VietnameseText.searchKey(first.documentName) == VietnameseText.searchKey(document.name) }
                // Just looked up: the earlier file of the same document is offered first and chosen.
                let chosen = values["reuse-\(index)"] ?? reusable.first { VietnameseText.searchKey($0.documentName) == VietnameseText.searchKey(document.name) }
                    .map { "\($0.fileId) \($0.code)" } ?? ""
                return DocumentLine(
                    id: "doc-\(index)", name: "doc-\(index)", value: document.name, label: document.name,
                    copies: Text.copies.with(String(document.copies))(language), checked: fresh || values["doc-\(index)"] != nil,
                    scan: "scan-\(index)", scanLabel: Text.scan(language),
                    scanned: values["scanned-\(index)"].flatMap { $0.isEmpty ? nil : $0 }, scannedLabel: Text.scanned(language), index: String(index),
                    reuse: reusable.isEmpty ? nil : FormField(
                        "reuse-\(index)", label: Text.reuse, language: language, value: chosen,
                        options: [FormField.Option(value: "", label: Text.noReuse(language))] + reusable.map {
                            FormField.Option(value: "\($0.fileId) \($0.code)", label: Text.fromDossier.with($0.documentName, $0.code)(language))
                        }))
            },
            documentsError: issues.first { $0.field == "documents" }?.message(language),
            deliveryLabel: Text.delivery(language),
            deliveries: DeliveryMethod.allCases.map {
                Choice(name: "delivery", value: $0.rawValue, label: Display.delivery($0)(language), checked: delivery == $0.rawValue, id: "delivery-\($0.rawValue)")
            },
            deliveryAddress: field("deliveryAddress", Text.deliveryAddress),
            submit: Text.receive(language), incomplete: Text.incomplete(language), incompleteHint: Text.incompleteHint(language),
            deciding: !["receive", "lookup"].contains(values["decision"] ?? "receive"),
            // Not `required` in the page: receiving needs none of them; single-window asks for them with a decision.
            decisionFields: [field("reason", Text.reason, textarea: true), field("otherDocuments", Text.otherDocuments, hint: Text.otherDocumentsHint, textarea: true),
                             field("deadline", Text.deadline, type: "date")],
            askSupplement: Text.askSupplement(language), refuse: Text.refuse(language), lookup: Text.lookup(language),
            lookupResult: earlier.map { $0.isEmpty ? Text.lookupNone(language) : Text.lookupFound.with(String($0.count))(language) })
        return try self.pages.page(visit, "intake-form", view, status: status)
    }

    /// Single-window's field names as the form's.
    static func formIssue(_ issue: FieldIssue) -> FieldIssue {
        var field = issue.field
        if field.hasPrefix("applicant.") { field = String(field.dropFirst("applicant.".count)) }
        if field == "delivery.address" { field = "deliveryAddress" }
        if field == "delivery.method" { field = "delivery" }
        if field.hasPrefix("attachments") { field = "documents" }
        switch field {
        case "decision.reason": field = "reason"
        case "decision.supplement.deadline": field = "deadline"
        case "decision.supplement", "decision.supplement.documents": field = "otherDocuments"
        default: break
        }
        return issue.named(field)
    }

    /// The most a counter intake's scans may weigh together (documents limits each file too).
    static let largestIntake = 60 * 1024 * 1024

    /// The documents handed in, in the checklist's order, by the names it posted (single-window checks them against
    /// the procedure): each scanned (its stored file), reused (an earlier dossier's file, which that dossier's code
    /// names) or on paper (ticked).
    static func attachments(_ fields: [String: String]) -> [Attachment] {
        let indices = Set(fields.keys.compactMap { key -> Int? in
            guard let dash = key.firstIndex(of: "-"), ["doc", "name", "scanned", "reuse"].contains(String(key[..<dash])) else { return nil }
            return Int(key[key.index(after: dash)...])
        }).sorted()
        return indices.compactMap { index in
            guard let name = fields["name-\(index)"] ?? fields["doc-\(index)"], !name.isEmpty else { return nil }
            if let scanned = fields["scanned-\(index)"], !scanned.isEmpty { return Attachment(documentName: name, fileId: scanned) }
            let reused = (fields["reuse-\(index)"] ?? "").split(separator: " ").map(String.init)
            if reused.count == 2 { return Attachment(documentName: name, fileId: reused[0], reusedFrom: reused[1]) }
            return fields["doc-\(index)"] != nil ? Attachment(documentName: name, fileId: nil) : nil
        }
    }

    /// The files of the applicant's earlier dossiers at this agency (the last few, found by citizen ID), to reuse.
    func earlierFiles(of citizenId: String?, visit: Visit, token: String) async throws -> [EarlierFile] {
        guard let citizenId, citizenId.filter(\.isNumber).count >= 9 else { return [] }
        let statuses = DossierStatus.allCases.map { String($0.rawValue) }.joined(separator: ",")
        let found = try await self.pages.desk.inbox(FormEncoding.query([("q", citizenId), ("status", statuses), ("pageSize", "5")]), as: token,
                                                    requestID: visit.requestID)
        var files: [EarlierFile] = []
        for item in found.items {
            let dossier = try await self.pages.desk.dossier(item.id, as: token, requestID: visit.requestID)
            for attachment in dossier.attachments {
                if let file = attachment.fileId, !files.contains(where: { $0.fileId == file }) {
                    files.append(EarlierFile(documentName: attachment.documentName, fileId: file, code: dossier.code))
                }
            }
        }
        return files
    }

    @Sendable func receive(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let code = context.parameters.get("code") ?? ""
            guard let form = try await self.pages.formWithFiles(request, limit: Self.largestIntake) else {
                return try await self.show(visit, code: code, token: token, alert: Text.expired(visit.language), status: .forbidden)
            }
            guard let agency = visit.session?.agency else { throw Problem.forbidden("Your account has no agency; ask an administrator to set it.") }
            var fields = form.fields
            var values = fields
            values.removeValue(forKey: "csrf")
            if values.isEmpty { values["kind"] = "person" }
            func text(_ name: String) -> String? {
                let value = (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                return value.isEmpty ? nil : value
            }
            if fields["decision"] == "lookup" {
                return try await self.show(visit, code: code, token: token, values: values,
                                           earlier: try await self.earlierFiles(of: text("citizenId"), visit: visit, token: token))
            }
            // Scans are stored first (under the officer's token), so a form refused afterwards keeps them.
            for file in form.files where file.field.hasPrefix("scan-") && file.bytes.readableBytes > 0 {
                let index = String(file.field.dropFirst("scan-".count))
                do {
                    let stored = try await self.documents.store(file, as: token, requestID: visit.requestID)
                    fields["scanned-\(index)"] = stored.id
                    values["scanned-\(index)"] = stored.id
                } catch let problem as Problem where [400, 413, 415].contains(problem.statusCode) {
                    return try await self.show(visit, code: code, token: token, values: values,
                                               alert: Text.fileRefused.with(fields["name-\(index)"] ?? file.filename, problem.detail)(visit.language),
                                               status: .unprocessableContent)
                }
            }
            let organisation = fields["kind"] == "organisation"
            let applicant = Applicant(kind: organisation ? .organisation : .person, fullName: text("fullName") ?? "", citizenId: text("citizenId"),
                                      organisationName: organisation ? text("organisationName") : nil, taxCode: organisation ? text("taxCode") : nil,
                                      phone: text("phone") ?? "", email: text("email"), address: text("address") ?? "")
            let handed = Self.attachments(fields)
            let method = fields["delivery"].flatMap(DeliveryMethod.init(rawValue:)) ?? .counter
            let kind = fields["decision"].flatMap(CounterDecision.Kind.init(rawValue:)) ?? .receive
            var decision: CounterDecision?
            switch kind {
            case .receive: decision = nil
            case .refuse: decision = CounterDecision(kind: .refuse, reason: text("reason"))
            case .requestSupplement:
                // What is missing: the checklist's documents left unticked, and those written in.
                let procedure = try await self.pages.desk.procedure(code, as: token, requestID: visit.requestID)
                let ticked = Set(handed.map(\.documentName))
                let other = (text("otherDocuments") ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let missing = procedure.documents.map(\.name).filter { !ticked.contains($0) } + other
                // A deadline that does not read as a date is sent as today, which single-window refuses as not in the future.
                decision = CounterDecision(kind: .requestSupplement, reason: text("reason"), supplement: SupplementRequirement(
                    documents: missing, deadline: text("deadline").flatMap(LocalDate.init(iso:)) ?? LocalDate(self.pages.now())))
            }
            let submission = SubmitDossierRequest(procedureCode: code, agencyCode: agency, channel: .counter, applicant: applicant, attachments: handed,
                                                  delivery: .init(method: method, address: method == .post ? text("deliveryAddress") : nil),
                                                  decision: decision)
            do {
                let dossier = try await self.pages.desk.submit(submission, as: token, requestID: visit.requestID)
                // The slip to hand over: the appointment once received, the supplement request or the refusal otherwise.
                let next = switch kind {
                case .receive: "?done=receive"
                case .requestSupplement: "/print/02"
                case .refuse: "/print/03"
                }
                return self.pages.redirect(visit, to: "/dossiers/\(dossier.id.pathSegment)" + next)
            } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 400 {
                let issues = problem.errors ?? []
                return try await self.show(visit, code: code, token: token, values: values, issues: issues,
                                           alert: issues.isEmpty ? problem.detail : nil, status: .unprocessableContent)
            }
        }
    }
}
