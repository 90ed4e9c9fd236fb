import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The dossier page: who applied for what, the files, the clock, the history as the process control sheet, and the
/// forms of the actions single-window allows this officer now. Posting one asks single-window with the officer's
/// token; a refusal comes back beside the field it is about, and nothing changes.
struct DossierController {
    let pages: StaffPages
    let documents: DocumentsDesk
    let payments: PaymentsDesk

    enum Text {
        static let applicant = Phrase("Người nộp", "Applicant")
        static let citizenId = Phrase("Số định danh", "Citizen ID")
        static let taxCode = Phrase("Mã số thuế", "Tax code")
        static let phone = Phrase("Điện thoại", "Phone")
        static let address = Phrase("Địa chỉ", "Address")
        static let procedure = Phrase("Thủ tục", "Procedure")
        static let channel = Phrase("Kênh nộp", "Channel")
        static let status = Phrase("Trạng thái", "Status")
        static let received = Phrase("Ngày tiếp nhận", "Received")
        static let due = Phrase("Hẹn trả", "Due")
        static let assignee = Phrase("Người xử lý", "Assignee")
        static let files = Phrase("Thành phần hồ sơ", "Documents")
        static let paper = Phrase("Bản giấy tại quầy", "Paper, at the counter")
        static let view = Phrase("Xem tệp", "View the file")
        static let submitted = Phrase("Nộp lúc", "Submitted")
        static let history = Phrase("Phiếu kiểm soát quá trình giải quyết", "Process control sheet")
        static let at = Phrase("Thời điểm", "When")
        static let who = Phrase("Người thực hiện", "By")
        static let what = Phrase("Việc làm", "Action")
        static let to = Phrase("Trạng thái sau", "Status after")
        static let note = Phrase("Ghi chú", "Note")
        static let actions = Phrase("Xử lý", "Actions")
        static let noActions = Phrase("Không có việc nào bạn có thể làm với hồ sơ này ở trạng thái hiện tại.",
                                      "There is nothing you can do to this dossier in its present state.")
        static let take = Phrase("Nhận xử lý hồ sơ này", "Take this dossier")
        static let taken = Phrase("Bạn đã nhận xử lý hồ sơ.", "You have taken the dossier.")
        static let done = Phrase("Đã lưu: {0}.", "Saved: {0}.")
        static let expired = Phrase("Biểu mẫu đã hết hạn; xin làm lại.", "The form expired; please do it again.")
        static let print = Phrase("In phiếu", "Print")
        static let apology = Phrase("Xin lỗi và hẹn lại ngày trả kết quả", "Apologise and set a new appointment")
        static let apologyHint = Phrase("Lãnh đạo phê duyệt; người nộp nhận phiếu xin lỗi (mẫu 04) qua tin nhắn.",
                                        "Issued by a leader; the applicant receives the letter (form 04) by message.")
        static let apologyReason = Phrase("Lý do chậm trễ", "Why it is late")
        static let newAppointment = Phrase("Ngày hẹn mới", "New appointment date")
        static let previous = Phrase("Hồ sơ trước", "Previous dossier")
        static let next = Phrase("Hồ sơ sau", "Next dossier")
        static let position = Phrase("{0} / {1}", "{0} of {1}")
        static let apologised = Phrase("Đã gửi phiếu xin lỗi và ngày hẹn mới.", "The apology and the new date are sent.")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/dossiers/:id") { request, context -> Response in
            try await self.pages.signedIn(request, context: context) { visit, token in
                let language = visit.language
                let notice: String? = if let done = request.query("done").flatMap(DossierAction.init(rawValue:)) {
                    Text.done.with(ActionForms.title(done)(language))(language)
                } else if request.query("taken") != nil {
                    Text.taken(language)
                } else if request.query("apologised") != nil {
                    Text.apologised(language)
                } else if request.query("drafted") != nil {
                    ResultDraftForm.Text.submitted(language)
                } else if request.query("paid") != nil {
                    FeesSection.Text.paidNow(language)
                } else {
                    nil
                }
                return try await self.show(visit, id: context.parameters.get("id") ?? "", token: token, notice: notice,
                                           from: request.query("queue").flatMap(Queue.init(rawValue:)).map { ($0, Filters(request, queue: $0)) })
            }
        }
        router.post("/dossiers/:id/actions", use: self.act)
        router.post("/dossiers/:id/take", use: self.take)
        router.post("/dossiers/:id/apology", use: self.apologise)
        router.post("/dossiers/:id/result-draft", use: self.draftResult)
        router.post("/dossiers/:id/fee", use: self.takeCash)
        router.get("/dossiers/:id/payments/:payment/receipt") { request, context -> Response in
            try await self.pages.signedIn(request, context: context) { visit, token in
                // Only a payment of this dossier, as payments lists it for this officer.
                let id = context.parameters.get("id") ?? "", payment = context.parameters.get("payment") ?? ""
                let dossier = try await self.pages.desk.dossier(id, as: token, requestID: visit.requestID)
                guard try await self.payments.payments(of: dossier.code, as: token, requestID: visit.requestID).contains(where: { $0.id == payment }) else {
                    throw Problem.notFound("The dossier \(dossier.code) has no such payment.")
                }
                return try await self.payments.receipt(payment, as: token, requestID: visit.requestID)
            }
        }
        router.get("/dossiers/:id/files/:file") { request, context -> Response in
            try await self.pages.signedIn(request, context: context) { visit, token in
                // Only a file of this dossier, as single-window lists it for this officer.
                let id = context.parameters.get("id") ?? "", file = context.parameters.get("file") ?? ""
                let dossier = try await self.pages.desk.dossier(id, as: token, requestID: visit.requestID)
                guard dossier.attachments.contains(where: { $0.fileId == file }) || dossier.result?.fileId == file else {
                    throw Problem.notFound("The dossier \(dossier.code) has no such file.")
                }
                return try await self.documents.file(file, as: token, requestID: visit.requestID)
            }
        }
    }

    struct File { let name: String; let kept: String?; let href: String?; let view: String }
    struct Step { let at: String; let who: String; let what: String; let to: String; let note: String }
    struct View {
        let frame: PageFrame
        let code: String
        let procedure: String
        let facts: [Fact]
        let filesHeading: String
        let files: [File]
        let fees: FeesSection?
        let process: ProcessSheet?
        let historyHeading: String
        let historyHeaders: [String]
        let history: [Step]
        let actionsHeading: String
        let noActions: String?
        let forms: [ActionForms.Form]
        /// Drafting the result for signing (multipart), or what a filed result waits for.
        let draft: ResultDraftForm?
        let waiting: String?
        let csrf: String
        let version: String
        let id: String
        let take: String?
        let errorSummary: ErrorSummary?
        let print: String
        /// The forms that apply to the dossier now, to print.
        let slips: [Slip]
        /// A leader's letter of apology, for a received dossier not settled yet.
        let apology: Apology?
        /// The dossiers before and after this one in the queue it was opened from.
        let neighbours: Neighbours?
    }

    /// Previous and next in the queue the officer came from (its first hundred, with the same filters).
    struct Neighbours: Sendable {
        let queue: String
        let queueLabel: String
        let previous: String?
        let next: String?
        let previousLabel: String
        let nextLabel: String
        let position: String
    }

    /// The neighbours of `id` in a page of its queue (the first hundred, with the queue's filters).
    func neighbours(of id: String, in page: InboxPage, queue: Queue, filters: Filters, language: Language) -> Neighbours? {
        guard let index = page.items.firstIndex(where: { $0.id == id }) else { return nil }
        let suffix = "?queue=\(queue.rawValue)" + (filters.query.isEmpty ? "" : "&" + filters.query)
        func link(_ at: Int) -> String? { page.items.indices.contains(at) ? "/dossiers/\(page.items[at].id.pathSegment)" + suffix : nil }
        return Neighbours(queue: "/queues/\(queue.rawValue)" + (filters.query.isEmpty ? "" : "?" + filters.query), queueLabel: queue.label(language),
                          previous: link(index - 1), next: link(index + 1), previousLabel: Text.previous(language), nextLabel: Text.next(language),
                          position: Text.position.with(String(index + 1), String(page.total))(language))
    }
    struct Apology { let title: String; let hint: String; let reason: FormField; let date: FormField; let button: String }
    struct Slip { let href: String; let label: String }

    /// The page. `from`: the queue it was opened from, whose page gives both the neighbours and the navigation's counts
    /// (every inbox answer carries them); without one, a one-row inbox answer gives the counts.
    func show(_ visit: Visit, id: String, token: String, notice: String? = nil, alert: String? = nil, refused: String? = nil,
              issues: [FieldIssue] = [], values: [String: String] = [:], status: HTTPResponse.Status = .ok,
              from: (queue: Queue, filters: Filters)? = nil) async throws -> Response {
        let query = from.map { FormEncoding.query($0.filters.inboxPairs + [("pageSize", "100")]) } ?? "pageSize=1"
        async let found = self.pages.desk.dossier(id, as: token, requestID: visit.requestID)
        async let inbox = try? self.pages.desk.inbox(query, as: token, requestID: visit.requestID)
        let dossier = try await found
        let counts = await inbox
        let language = visit.language
        let neighbours = from.flatMap { from in counts.flatMap { self.neighbours(of: id, in: $0, queue: from.queue, filters: from.filters, language: language) } }
        async let staff = self.pages.colleagues(visit, token: token)
        // Fees and payments: a page without them (payments down) still shows the dossier.
        async let owed = try? self.payments.fees(of: dossier.code, as: token, requestID: visit.requestID)
        async let paid = (try? self.payments.payments(of: dossier.code, as: token, requestID: visit.requestID)) ?? []
        async let agencyNames = self.pages.agencyNames(of: dossier.process, visit, token: token)
        let names = await self.pages.names(visit, token: token)
        let applicant = dossier.applicant
        var facts = [Fact(label: Text.applicant(language), value: applicant.organisationName.map { "\($0) (\(applicant.fullName))" } ?? applicant.fullName)]
        if let id = applicant.citizenId { facts.append(Fact(label: Text.citizenId(language), value: id)) }
        if let tax = applicant.taxCode { facts.append(Fact(label: Text.taxCode(language), value: tax)) }
        facts += [Fact(label: Text.phone(language), value: applicant.phone), Fact(label: Text.address(language), value: applicant.address),
                  Fact(label: Text.channel(language), value: Display.channel(dossier.channel)(language)),
                  Fact(label: Text.status(language), value: dossier.statusName),
                  Fact(label: Text.submitted(language), value: Display.dateTime(dossier.submittedAt)),
                  Fact(label: Text.received(language), value: dossier.clock.receivedAt.map(Display.dateTime) ?? "—"),
                  Fact(label: Text.due(language), value: dossier.clock.dueAt.map(Display.dateTime) ?? "—"),
                  Fact(label: Text.assignee(language), value: dossier.assignedTo.map { names[$0] ?? $0 } ?? "—")]
        let files = dossier.attachments.map { attachment in
            File(name: attachment.documentName, kept: attachment.fileId == nil ? Text.paper(language) : nil,
                 href: attachment.fileId.map { "/dossiers/\(dossier.id.pathSegment)/files/\($0.pathSegment)" }, view: Text.view(language))
        }
        let history = dossier.history.map { event in
            Step(at: Display.dateTime(event.at), who: (names[event.actor] ?? event.actor) + (Display.role(event.role).map { " (\($0(language)))" } ?? ""),
                 what: DossierAction(rawValue: event.action).map { ActionForms.title($0)(language) } ?? event.action,
                 to: Display.status(event.toStatus, language), note: [Display.comment(event, language), event.detail].compactMap { $0 }.joined(separator: " · "))
        }
        let colleagues = await staff
        let forms = ActionForms.forms(for: dossier, language: language, staff: colleagues, names: names, refused: refused, issues: issues,
                                      values: values)
        let draft = ResultDraftForm(dossier, leaders: colleagues.filter { $0.roles.contains(.leader) }, language: language,
                                    issues: refused == "draft" ? issues : [], values: refused == "draft" ? values : [:])
        // The apology form's refusals carry its fields' names.
        let apologyIssues = refused == "apology" ? issues.map { $0.named("apology-" + $0.field) } : []
        let open = !dossier.status.isFinal
        let me = visit.session?.accountID
        let view = View(frame: self.pages.frame(visit, title: Phrase(dossier.code, dossier.code), counts: counts, notice: notice, alert: alert),
                        code: dossier.code, procedure: dossier.procedureName, facts: facts, filesHeading: Text.files(language), files: files,
                        fees: FeesSection(dossier, owed: await owed, payments: await paid, language: language,
                                          payer: refused == "fee" ? values["payer"] : nil, issues: refused == "fee" ? issues : []),
                        process: ProcessSheet(dossier.process, agencyNames: await agencyNames, names: names, now: self.pages.now(), language: language),
                        historyHeading: Text.history(language),
                        historyHeaders: [Text.at, Text.who, Text.what, Text.to, Text.note].map { $0(language) }, history: history,
                        actionsHeading: Text.actions(language), noActions: forms.isEmpty && draft == nil ? Text.noActions(language) : nil, forms: forms,
                        draft: draft, waiting: ResultDraftForm.waiting(dossier, names: names, language: language),
                        csrf: visit.csrfToken, version: String(dossier.version), id: dossier.id,
                        take: open && dossier.assignedTo != me && visit.session?.has(.officer) == true ? Text.take(language) : nil,
                        errorSummary: ErrorSummary(refused == "apology" ? apologyIssues : refused == "draft" || refused == "fee" ? issues
                                                   : issues.compactMap { issue in DossierAction(rawValue: refused ?? "").map { ActionForms.formIssue(issue, action: $0) } },
                                                   language: language),
                        print: Text.print(language), slips: Self.slips(dossier, language: language),
                        apology: (visit.session?.has(.leader) == true || visit.session?.has(.admin) == true)
                            && dossier.clock.dueAt != nil && dossier.clock.finishedAt == nil && !dossier.status.isFinal
                            ? Apology(title: Text.apology(language), hint: Text.apologyHint(language),
                                      reason: FormField("apology-reason", label: Text.apologyReason, language: language,
                                                        value: refused == "apology" ? values["reason"] ?? "" : "", required: true, textarea: true,
                                                        issues: apologyIssues),
                                      date: FormField("apology-newAppointment", label: Text.newAppointment, language: language,
                                                      value: refused == "apology" ? values["newAppointment"] ?? "" : "", type: "date", required: true,
                                                      issues: apologyIssues),
                                      button: Text.apology(language))
                            : nil,
                        neighbours: neighbours)
        return try self.pages.page(visit, "dossier", view, status: status)
    }

    /// Form 01 once received, 02 while a supplement is asked, 03 once refused, 04 with an apology, 05 always.
    static func slips(_ dossier: DossierView, language: Language) -> [Slip] {
        var forms: [(String, Phrase)] = []
        if dossier.clock.receivedAt != nil { forms.append(("01", Phrase("Giấy tiếp nhận và hẹn trả (01)", "Receipt and appointment (01)"))) }
        if dossier.supplementRequest != nil { forms.append(("02", Phrase("Phiếu yêu cầu bổ sung (02)", "Supplement request (02)"))) }
        if dossier.status == .refused { forms.append(("03", Phrase("Phiếu từ chối (03)", "Refusal (03)"))) }
        if dossier.apology != nil { forms.append(("04", Phrase("Phiếu xin lỗi, hẹn lại (04)", "Apology and new date (04)"))) }
        forms.append(("05", Phrase("Phiếu kiểm soát (05)", "Process control sheet (05)")))
        return forms.map { Slip(href: "/dossiers/\(dossier.id.pathSegment)/print/\($0.0)", label: $0.1(language)) }
    }

    /// A posted decision on the dossier. `form` names the form the fields came from (nil: a button without fields);
    /// `call` asks the service and answers where to go next. A refusal of the fields (422) shows the page again with
    /// them beside their fields and what was typed kept (a button's, as an alert); a change made meanwhile (409) shows
    /// the page as it is now, saying so; anything else goes to `signedIn`'s problem page. Nothing is read twice.
    func decide(_ request: Request, context: ServiceRequestContext, form: @escaping ([String: String]) throws -> String?,
                _ call: @escaping (Visit, String, String, [String: String]) async throws -> String) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let id = context.parameters.get("id") ?? ""
            guard let fields = try await self.pages.form(request) else {
                return try await self.show(visit, id: id, token: token, alert: Text.expired(visit.language), status: .forbidden)
            }
            let name = try form(fields)
            do {
                return self.pages.redirect(visit, to: try await call(visit, token, id, fields))
            } catch let problem as Problem where problem.statusCode == 422 && name != nil {
                return try await self.show(visit, id: id, token: token, refused: name, issues: problem.errors ?? [],
                                           values: Self.typed(fields, prefix: name ?? ""), status: .unprocessableContent)
            } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
                return try await self.show(visit, id: id, token: token, alert: problem.detail, status: problem.status)
            }
        }
    }

    /// A form's own fields without its prefix (`receive-comment` → `comment`), to send and to refill it.
    static func typed(_ fields: [String: String], prefix: String) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in fields where key.hasPrefix(prefix + "-") { values[String(key.dropFirst(prefix.count + 1))] = value }
        values["version"] = fields["version"]
        return values
    }

    /// The action a posted form names, if the console offers it; else 400.
    static func action(_ fields: [String: String]) throws -> DossierAction {
        guard let action = fields["action"].flatMap(DossierAction.init(rawValue:)), ActionForms.offered.contains(action) else {
            throw Problem.badRequest("The form names no action the console offers.")
        }
        return action
    }

    @Sendable func act(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.decide(request, context: context, form: { try Self.action($0).rawValue }) { visit, token, id, fields in
            let action = try Self.action(fields)
            _ = try await self.pages.desk.act(ActionForms.request(action, fields: Self.typed(fields, prefix: action.rawValue)), on: id, as: token,
                                              requestID: visit.requestID)
            return "/dossiers/\(id.pathSegment)?done=\(action.rawValue)"
        }
    }

    @Sendable func apologise(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.decide(request, context: context, form: { _ in "apology" }) { visit, token, id, fields in
            let values = Self.typed(fields, prefix: "apology")
            // A date that does not read is sent as today, which single-window refuses as not after the due date.
            let date = LocalDate(iso: values["newAppointment"] ?? "") ?? LocalDate(self.pages.now())
            try await self.pages.desk.apologise(id, reason: values["reason"] ?? "", newAppointment: date,
                                                expectedVersion: Int(fields["version"] ?? "") ?? -1, as: token, requestID: visit.requestID)
            return "/dossiers/\(id.pathSegment)?apologised=1"
        }
    }

    @Sendable func take(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.decide(request, context: context, form: { _ in nil }) { visit, token, id, fields in
            guard let me = visit.session?.accountID else { throw Problem.unauthorized("Sign in first.") }
            _ = try await self.pages.desk.assign(id, to: me, expectedVersion: Int(fields["version"] ?? "") ?? -1, as: token, requestID: visit.requestID)
            return "/dossiers/\(id.pathSegment)?taken=1"
        }
    }
}
