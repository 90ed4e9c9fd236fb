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
            var visit = try await self.pages.visit(request, context: context)
            guard let token = try await self.pages.accessToken(&visit) else { return self.pages.signInFirst(visit) }
            let notice: String?
            if let done = request.query("done").flatMap(DossierAction.init(rawValue:)) {
                notice = Text.done.with(ActionForms.title(done)(visit.language))(visit.language)
            } else {
                notice = request.query("taken") != nil ? Text.taken(visit.language)
                    : request.query("apologised") != nil ? Text.apologised(visit.language) : nil
            }
            let id = context.parameters.get("id") ?? ""
            var neighbours: Neighbours?
            if let queue = request.query("queue").flatMap(Queue.init(rawValue:)) {
                neighbours = await self.neighbours(of: id, in: queue, filters: Filters(request), visit: visit, token: token)
            }
            return try await self.show(visit, id: id, token: token, notice: notice, neighbours: neighbours)
        }
        router.post("/dossiers/:id/actions", use: self.act)
        router.post("/dossiers/:id/take", use: self.take)
        router.post("/dossiers/:id/apology", use: self.apologise)
    }

    struct Fact { let label: String; let value: String }
    struct File { let name: String; let kept: String }
    struct Step { let at: String; let who: String; let what: String; let to: String; let note: String }
    struct View {
        let frame: PageFrame
        let code: String
        let procedure: String
        let facts: [Fact]
        let filesHeading: String
        let files: [File]
        let historyHeading: String
        let historyHeaders: [String]
        let history: [Step]
        let actionsHeading: String
        let noActions: String?
        let forms: [ActionForms.Form]
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

    func neighbours(of id: String, in queue: Queue, filters: Filters, visit: Visit, token: String) async -> Neighbours? {
        let query = FormEncoding.query(queue.inboxQuery + filters.pairs + [("pageSize", "100")])
        guard let page = try? await self.pages.desk.inbox(query, as: token, requestID: visit.requestID),
              let index = page.items.firstIndex(where: { $0.id == id }) else { return nil }
        let suffix = "?queue=\(queue.rawValue)" + (filters.query.isEmpty ? "" : "&" + filters.query)
        func link(_ at: Int) -> String? { page.items.indices.contains(at) ? "/dossiers/\(page.items[at].id.pathSegment)" + suffix : nil }
        let language = visit.language
        return Neighbours(queue: "/queues/\(queue.rawValue)" + (filters.query.isEmpty ? "" : "?" + filters.query), queueLabel: queue.label(language),
                          previous: link(index - 1), next: link(index + 1), previousLabel: Text.previous(language), nextLabel: Text.next(language),
                          position: Text.position.with(String(index + 1), String(page.total))(language))
    }
    struct Apology { let title: String; let hint: String; let reason: FormField; let date: FormField; let button: String }
    struct Slip { let href: String; let label: String }

    func show(_ visit: Visit, id: String, token: String, notice: String? = nil, alert: String? = nil, refused: String? = nil,
              issues: [FieldIssue] = [], values: [String: String] = [:], status: HTTPResponse.Status = .ok, neighbours: Neighbours? = nil) async throws -> Response {
        let dossier: DossierView
        let counts: InboxPage?
        do {
            async let found = self.pages.desk.dossier(id, as: token, requestID: visit.requestID)
            async let inbox = try? self.pages.desk.inbox("pageSize=1", as: token, requestID: visit.requestID)
            dossier = try await found
            counts = await inbox
        } catch let problem as Problem {
            return try self.pages.problemPage(visit, problem)
        }
        let language = visit.language
        let names = await self.pages.names(visit, token: token)
        let applicant = dossier.applicant
        var facts = [Fact(label: Text.applicant(language), value: applicant.organisationName.map { "\($0) (\(applicant.fullName))" } ?? applicant.fullName)]
        if let id = applicant.citizenId { facts.append(Fact(label: Text.citizenId(language), value: id)) }
        if let tax = applicant.taxCode { facts.append(Fact(label: Text.taxCode(language), value: tax)) }
        facts += [Fact(label: Text.phone(language), value: applicant.phone), Fact(label: Text.address(language), value: applicant.address),
                  Fact(label: Text.channel(language), value: ConsolePhrases.channel(dossier.channel)(language)),
                  Fact(label: Text.status(language), value: dossier.statusName),
                  Fact(label: Text.received(language), value: dossier.clock.receivedAt.map(Display.dateTime) ?? "—"),
                  Fact(label: Text.due(language), value: dossier.clock.dueAt.map(Display.dateTime) ?? "—"),
                  Fact(label: Text.assignee(language), value: dossier.assignedTo.map { names[$0] ?? $0 } ?? "—")]
        let files = dossier.attachments.map { File(name: $0.documentName, kept: $0.fileId == nil ? Text.paper(language) : String($0.fileId!.prefix(12))) }
        let history = dossier.history.map { event in
            Step(at: Display.dateTime(event.at), who: (names[event.actor] ?? event.actor) + (ConsolePhrases.role(event.role).map { " (\($0(language)))" } ?? ""),
                 what: DossierAction(rawValue: event.action).map { ActionForms.title($0)(language) } ?? event.action,
                 to: Display.status(event.toStatus, language), note: [event.comment, event.detail].compactMap { $0 }.joined(separator: " · "))
        }
        let forms = ActionForms.forms(for: dossier, language: language, refused: refused, issues: issues, values: values)
        // The apology form's refusals carry its fields' names.
        let apologyIssues = refused == "apology" ? issues.map { FieldIssue(field: "apology-\($0.field)", code: $0.code, vi: $0.vi, en: $0.en) } : []
        let open = !dossier.status.isFinal
        let me = visit.session?.accountID
        let view = View(frame: self.pages.frame(visit, title: Phrase(dossier.code, dossier.code), counts: counts, notice: notice, alert: alert),
                        code: dossier.code, procedure: dossier.procedureName, facts: facts, filesHeading: Text.files(language), files: files,
                        historyHeading: Text.history(language),
                        historyHeaders: [Text.at, Text.who, Text.what, Text.to, Text.note].map { $0(language) }, history: history,
                        actionsHeading: Text.actions(language), noActions: forms.isEmpty ? Text.noActions(language) : nil, forms: forms,
                        csrf: visit.csrfToken, version: String(dossier.version), id: dossier.id,
                        take: open && dossier.assignedTo != me && visit.session?.has(.officer) == true ? Text.take(language) : nil,
                        errorSummary: ErrorSummary(refused == "apology" ? apologyIssues
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

    @Sendable func act(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var visit = try await self.pages.visit(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard let token = try await self.pages.accessToken(&visit) else { return self.pages.signInFirst(visit) }
        guard let fields = try await self.pages.form(request) else {
            return try await self.show(visit, id: id, token: token, alert: Text.expired(visit.language), status: .forbidden)
        }
        guard let action = fields["action"].flatMap(DossierAction.init(rawValue:)), ActionForms.offered.contains(action) else {
            return try self.pages.problemPage(visit, Problem.badRequest("The form names no action the console offers."))
        }
        // The form's own fields, without the action's prefix, for the request and for refilling the form.
        let prefix = action.rawValue + "-"
        var values: [String: String] = [:]
        for (key, value) in fields where key.hasPrefix(prefix) { values[String(key.dropFirst(prefix.count))] = value }
        values["version"] = fields["version"]
        do {
            let dossier = try await self.pages.desk.dossier(id, as: token, requestID: visit.requestID)
            _ = try await self.pages.desk.act(ActionForms.request(action, fields: values, dossier: dossier), on: id, as: token, requestID: visit.requestID)
            return self.pages.redirect(visit, to: "/dossiers/\(id.pathSegment)?done=\(action.rawValue)")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await self.show(visit, id: id, token: token, refused: action.rawValue, issues: problem.errors ?? [], values: values,
                                       status: .unprocessableContent)
        } catch let problem as Problem where problem.statusCode == 409 {
            return try await self.show(visit, id: id, token: token, alert: problem.detail, status: .conflict)
        } catch let problem as Problem {
            return try self.pages.problemPage(visit, problem)
        }
    }

    @Sendable func apologise(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var visit = try await self.pages.visit(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard let token = try await self.pages.accessToken(&visit) else { return self.pages.signInFirst(visit) }
        guard let fields = try await self.pages.form(request) else {
            return try await self.show(visit, id: id, token: token, alert: Text.expired(visit.language), status: .forbidden)
        }
        let values = ["reason": fields["apology-reason"] ?? "", "newAppointment": fields["apology-newAppointment"] ?? ""]
        // A date that does not read is sent as today, which single-window refuses as not after the due date.
        let date = LocalDate(iso: values["newAppointment"] ?? "") ?? LocalDate(self.pages.now())
        do {
            _ = try await self.pages.desk.apologise(id, reason: values["reason"] ?? "", newAppointment: date,
                                                    expectedVersion: Int(fields["version"] ?? "") ?? -1, as: token, requestID: visit.requestID)
            return self.pages.redirect(visit, to: "/dossiers/\(id.pathSegment)?apologised=1")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await self.show(visit, id: id, token: token, refused: "apology", issues: problem.errors ?? [], values: values,
                                       status: .unprocessableContent)
        } catch let problem as Problem where problem.statusCode == 409 {
            return try await self.show(visit, id: id, token: token, alert: problem.detail, status: .conflict)
        } catch let problem as Problem {
            return try self.pages.problemPage(visit, problem)
        }
    }

    @Sendable func take(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var visit = try await self.pages.visit(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard let token = try await self.pages.accessToken(&visit), let me = visit.session?.accountID else { return self.pages.signInFirst(visit) }
        guard let fields = try await self.pages.form(request) else {
            return try await self.show(visit, id: id, token: token, alert: Text.expired(visit.language), status: .forbidden)
        }
        do {
            _ = try await self.pages.desk.assign(id, to: me, expectedVersion: Int(fields["version"] ?? "") ?? -1, as: token, requestID: visit.requestID)
            return self.pages.redirect(visit, to: "/dossiers/\(id.pathSegment)?taken=1")
        } catch let problem as Problem where problem.statusCode == 409 || problem.statusCode == 422 {
            return try await self.show(visit, id: id, token: token, alert: problem.detail, status: problem.status)
        } catch let problem as Problem {
            return try self.pages.problemPage(visit, problem)
        }
    }
}
