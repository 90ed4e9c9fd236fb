import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The work queues: one page per queue of single-window's inbox, as the officer's own token lets them see it.
struct QueueController {
    let pages: StaffPages
    let calendar: WorkingCalendar
    static let pageSize = 50

    enum Text {
        static let code = Phrase("Mã hồ sơ", "Code")
        static let procedure = Phrase("Thủ tục", "Procedure")
        static let applicant = Phrase("Người nộp", "Applicant")
        static let channel = Phrase("Kênh", "Channel")
        static let received = Phrase("Tiếp nhận", "Received")
        static let due = Phrase("Hạn trả", "Due")
        static let status = Phrase("Trạng thái", "Status")
        static let assignee = Phrase("Người xử lý", "Assignee")
        static let empty = Phrase("Không có hồ sơ nào trong hàng đợi này.", "There are no dossiers in this queue.")
        static let total = Phrase("{0} hồ sơ", "{0} dossiers")
        static let first = Phrase("Về trang đầu", "First page")
        static let next = Phrase("Trang sau", "Next page")
        static let shown = Phrase("{0} hồ sơ trên trang này", "{0} dossiers on this page")
        static let nobody = Phrase("Chưa giao", "Unassigned")
        static let me = Phrase("Tôi", "Me")
        static let paused = Phrase("Tạm dừng tính giờ", "Clock stopped")
        static let late = Phrase("Quá hạn {0} ngày làm việc", "{0} working days late")
        static let lateToday = Phrase("Quá hạn", "Late")
        static let underADay = Phrase("Còn dưới 1 ngày làm việc", "Under one working day left")
        static let daysLeft = Phrase("Còn {0} ngày làm việc", "{0} working days left")
        static let export = Phrase("Tải danh sách (CSV, mở bằng Excel)", "Download the list (CSV, opens in Excel)")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/") { request, context -> Response in
            let visit = try await self.pages.visit(request, context: context)
            guard let session = visit.session else { return self.pages.signInFirst(visit) }
            // Leaders start where dossiers wait for them to decide; officers at the counter's queue.
            return self.pages.redirect(visit, to: "/queues/" + (session.has(.leader) ? Queue.mine : Queue.received).rawValue)
        }
        router.get("/queues/:queue", use: self.queue)
        router.get("/queues/:queue/export", use: self.export)
    }

    struct Row {
        let href: String
        let code: String
        let procedure: String
        let applicant: String
        let channel: String
        let receivedAt: String
        let dueAt: String
        let dueText: String
        let dueClass: String
        let status: String
        let assignee: String
    }

    struct Paging {
        let previous: String?
        let next: String?
        let previousLabel: String
        let nextLabel: String
        let label: String
    }

    struct View {
        let frame: PageFrame
        let heading: String
        let total: String
        let headers: [String]
        let rows: [Row]
        let empty: String?
        let paging: Paging?
        let filter: FilterForm
        let export: String
        let exportLabel: String
    }

    @Sendable func queue(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var visit = try await self.pages.visit(request, context: context)
        guard let queue = context.parameters.get("queue").flatMap(Queue.init(rawValue:)) else {
            return try self.pages.problemPage(visit, Problem.notFound("There is no such queue."))
        }
        guard let token = try await self.pages.accessToken(&visit) else { return self.pages.signInFirst(visit) }
        let after = request.query("after")
        let filters = Filters(request)
        let query = (queue.inboxQuery + filters.pairs + [("pageSize", String(Self.pageSize))] + (after.map { [("after", $0)] } ?? []))
            .map { "\($0.0)=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        let inbox: InboxPage
        do {
            inbox = try await self.pages.desk.inbox(query, as: token, requestID: visit.requestID)
        } catch let problem as Problem {
            return try self.pages.problemPage(visit, problem)
        }
        let language = visit.language
        let me = visit.session?.accountID
        let now = self.pages.now()
        let rows = inbox.items.map { item in
            let (text, style) = self.due(item, now: now, language: language)
            return Row(href: "/dossiers/\(item.id)", code: item.code, procedure: item.procedureName, applicant: item.applicantName,
                       channel: ConsolePhrases.channel(item.channel)(language), receivedAt: item.receivedAt.map(Display.dateTime) ?? "—",
                       dueAt: item.dueAt.map(Display.dateTime) ?? "—", dueText: text, dueClass: style,
                       status: Display.status(item.status, language),
                       assignee: item.assignedTo == nil ? Text.nobody(language) : item.assignedTo == me ? Text.me(language) : item.assignedTo!)
        }
        // Keyset pages: "next" carries where this one ended; "first" starts again (no page numbers, no OFFSET scans).
        let base = "/queues/\(queue.rawValue)?" + filters.query
        let paging = after != nil || inbox.nextCursor != nil
            ? Paging(previous: after == nil ? nil : base, next: inbox.nextCursor.map { base + "&after=" + FormEncoding.encode($0) },
                     previousLabel: Text.first(language), nextLabel: Text.next(language), label: Text.shown.with(String(rows.count))(language))
            : nil
        let view = View(frame: self.pages.frame(visit, title: queue.label, current: queue, counts: inbox), heading: queue.label(language),
                        total: Text.total.with(String(inbox.total))(language),
                        headers: [Text.code, Text.procedure, Text.applicant, Text.channel, Text.received, Text.due, Text.status, Text.assignee].map { $0(language) },
                        rows: rows, empty: rows.isEmpty ? Text.empty(language) : nil, paging: paging,
                        filter: filters.form(action: "/queues/\(queue.rawValue)", language: language),
                        export: "/queues/\(queue.rawValue)/export?" + filters.query, exportLabel: Text.export(language))
        return try self.pages.page(visit, "queue", view)
    }

    /// The filtered queue as single-window writes it (CSV with a BOM, every row), under a name with the queue.
    @Sendable func export(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var visit = try await self.pages.visit(request, context: context)
        guard let queue = context.parameters.get("queue").flatMap(Queue.init(rawValue:)) else {
            return try self.pages.problemPage(visit, Problem.notFound("There is no such queue."))
        }
        guard let token = try await self.pages.accessToken(&visit) else { return self.pages.signInFirst(visit) }
        let query = (queue.inboxQuery + Filters(request).pairs).map { "\($0.0)=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        let answer = try await self.pages.desk.export(query, as: token, requestID: visit.requestID)
        guard answer.status == 200 else { return try self.pages.problemPage(visit, answer.problem) }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"\(queue.rawValue)-\(LocalDate(self.pages.now())).csv\""],
                        body: .init(byteBuffer: ByteBuffer(data: answer.body)))
    }

    /// The due date in working days, coloured: on track, due within a working day, late, or stopped.
    func due(_ item: InboxItem, now: Date, language: Language) -> (String, String) {
        guard let due = item.dueAt else { return ("", "") }
        if item.paused == true { return (Text.paused(language), "paused") }
        let day = 8.0 * 3600
        if due < now {
            let late = Int((self.calendar.workingSeconds(from: due, to: now) / day).rounded(.up))
            return (late == 0 ? Text.lateToday(language) : Text.late.with(String(late))(language), "late")
        }
        let left = self.calendar.workingSeconds(from: now, to: due) / day
        if left <= 1 { return (Text.underADay(language), "soon") }
        return (Text.daysLeft.with(String(Int(left.rounded(.down))))(language), "on-track")
    }
}
