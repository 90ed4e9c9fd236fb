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
    /// Each person's columns.
    let preferences: StaffPreferences
    /// The bulk assignments leaders start from a queue, run in the background.
    let jobs: BulkJobs
    /// The catalog's sectors for the filter, kept ten minutes.
    let sectorCache = ExpiringCache<[String]>(lifetime: .seconds(600), capacity: 1)
    static let pageSize = 50

    enum Text {
        static let code = Phrase("Mã hồ sơ", "Code")
        static let procedure = Phrase("Thủ tục", "Procedure")
        static let applicant = Phrase("Người nộp", "Applicant")
        static let channel = Phrase("Kênh", "Channel")
        static let received = Phrase("Nộp / tiếp nhận", "Submitted / received")
        static let submitted = Phrase("nộp {0}", "submitted {0}")
        static let due = Phrase("Hạn trả", "Due")
        static let status = Phrase("Trạng thái, bước", "Status, step")
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
        static let assignTo = Phrase("Giao hồ sơ cho", "Assign dossiers to")
        static let assignTicked = Phrase("Giao các hồ sơ đã chọn", "Assign the ticked dossiers")
        static let assignAll = Phrase("Giao cả {0} hồ sơ của danh sách", "Assign all {0} dossiers of the list")
        static let pick = Phrase("Chọn", "Pick")
        static let noneTicked = Phrase("Chưa chọn hồ sơ nào để giao.", "No dossier was ticked.")
        static let emptyList = Phrase("Danh sách không có hồ sơ nào để giao.", "The list holds no dossier to assign.")
        static let tooMany = Phrase("Danh sách có {0} hồ sơ, quá {1} hồ sơ một lần giao; lọc hẹp hơn (theo ngày, thủ tục).",
                                    "The list holds {0} dossiers, more than the {1} one assignment takes; narrow it (by date, by procedure).")
        static let notStaff = Phrase("Người được giao không thuộc cơ quan của bạn.", "The assignee is not on your agency's staff.")
        static let export = Phrase("Tải danh sách (CSV, mở bằng Excel)", "Download the list (CSV, opens in Excel)")
        static let noColumns = Phrase("Chọn ít nhất một cột.", "Choose at least one column.")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/") { request, context -> Response in
            let visit = try await self.pages.visit(request, context: context)
            guard let session = visit.session else { return self.pages.signInFirst(visit) }
            // Leaders start where dossiers wait for them to decide; officers at the counter's queue; administrators of an
            // agency, who handle no dossiers, at its staff.
            if !session.has(.officer) && !session.has(.leader) && !session.has(.admin) {
                return self.pages.redirect(visit, to: session.has(.clerk) ? "/official/incoming" : "/admin/staff")
            }
            return self.pages.redirect(visit, to: "/queues/" + (session.has(.leader) ? Queue.mine : Queue.received).rawValue)
        }
        router.get("/queues/:queue", use: self.queue)
        router.get("/queues/:queue/export", use: self.export)
        router.post("/queues/:queue/assign", use: self.assign)
        router.post("/queues/:queue/columns", use: self.chooseColumns)
    }

    struct Row {
        let href: String
        let code: String
        /// The columns this person chose, in the table's order.
        let cells: [QueueCell]
        /// For the bulk-assign checkbox: the dossier and the version the leader saw.
        let id: String
        let version: String
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
        let headers: [QueueHeader]
        let rows: [Row]
        let empty: String?
        let paging: Paging?
        let filter: FilterForm
        let export: String
        let exportLabel: String
        /// Leaders hand the ticked dossiers, or the whole list, to one of their staff.
        let bulk: Bulk?
        /// The bulk assignments this person started that are still going.
        let running: [PageFrame.Link]
        let columns: ColumnsForm
    }

    struct Bulk {
        let action: String
        let csrf: String
        let label: String
        let officers: [FilterForm.Option]
        let ticked: String
        /// The button for the whole filtered list, when it holds more than one dossier.
        let all: String?
        let pick: String
    }

    /// The queue a path names, or 404 naming the queues there are.
    static func queue(_ context: ServiceRequestContext) throws -> Queue {
        guard let queue = context.parameters.get("queue").flatMap(Queue.init(rawValue:)) else {
            throw Problem.notFound("There is no such queue; the queues are " + Queue.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        return queue
    }

    @Sendable func queue(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let queue = try Self.queue(context)
            return try await self.queue(visit, queue: queue, token: token, filters: Filters(request, queue: queue), after: request.query("after"))
        }
    }

    func queue(_ visit: Visit, queue: Queue, token: String, filters: Filters, after: String?, notice: String? = nil, alert: String? = nil) async throws -> Response {
        let query = FormEncoding.query(filters.inboxPairs + [("pageSize", String(Self.pageSize))] + (after.map { [("after", $0)] } ?? []))
        let inbox = try await self.pages.desk.inbox(query, as: token, requestID: visit.requestID)
        let language = visit.language
        let me = visit.session?.accountID
        let now = self.pages.now()
        let names = await self.pages.names(visit, token: token)
        let columns = await self.columns(of: visit)
        let rows = inbox.items.map { item in
            Row(href: "/dossiers/\(item.id)?queue=\(queue.rawValue)" + (filters.query.isEmpty ? "" : "&" + filters.query), code: item.code,
                cells: columns.map { column in
                    var cell = self.cell(column, of: item, me: me, names: names, now: now, language: language)
                    cell.style = cell.style.isEmpty ? column.className : column.className + " " + cell.style
                    return cell
                },
                id: item.id, version: item.version.map(String.init) ?? "")
        }
        // Keyset pages: "next" carries where this one ended; "first" starts again (no page numbers, no OFFSET scans).
        let base = "/queues/\(queue.rawValue)?" + filters.query
        let paging = after != nil || inbox.nextCursor != nil
            ? Paging(previous: after == nil ? nil : base, next: inbox.nextCursor.map { base + "&after=" + FormEncoding.encode($0) },
                     previousLabel: Text.first(language), nextLabel: Text.next(language), label: Text.shown.with(String(rows.count))(language))
            : nil
        let view = View(frame: self.pages.frame(visit, title: queue.label, current: queue, counts: inbox, notice: notice, alert: alert),
                        heading: queue.label(language),
                        total: Text.total.with(String(inbox.total))(language),
                        headers: [QueueHeader(label: Text.code(language))]
                            + columns.map { QueueHeader($0, base: "/queues/\(queue.rawValue)?", filters: filters, language: language) },
                        rows: rows, empty: rows.isEmpty ? Text.empty(language) : nil, paging: paging,
                        filter: filters.form(action: "/queues/\(queue.rawValue)",
                                             choices: Filters.Choices(sectors: await self.sectors(visit), steps: inbox.countsByStep ?? [:],
                                                                      staff: await self.pages.colleagues(visit, token: token)),
                                             language: language),
                        export: "/queues/\(queue.rawValue)/export?" + filters.query, exportLabel: Text.export(language),
                        bulk: await self.bulk(visit, queue: queue, token: token, filters: filters, total: inbox.total),
                        running: await self.running(visit),
                        columns: ColumnsForm(action: "/queues/\(queue.rawValue)/columns" + (filters.query.isEmpty ? "" : "?" + filters.query),
                                             chosen: columns, csrf: visit.csrfToken, language: language))
        return try self.pages.page(visit, "queue", view)
    }

    /// The catalog's sectors (none while single-window cannot say: the filter then offers only what is chosen).
    func sectors(_ visit: Visit) async -> [String] {
        if let kept = self.sectorCache.find("all") { return kept }
        guard let sectors = try? await self.pages.desk.sectors(requestID: visit.requestID).map(\.sector) else { return [] }
        self.sectorCache.keep("all", sectors)
        return sectors
    }

    /// The columns this person chose (all, until they choose; all too when their choice cannot be read).
    func columns(of visit: Visit) async -> [QueueColumn] {
        guard let account = visit.session?.accountID else { return QueueColumn.allCases }
        return QueueColumn.chosen(try? await self.preferences.value(QueueColumn.preference, of: account))
    }

    /// One cell of a row.
    func cell(_ column: QueueColumn, of item: InboxItem, me: String?, names: [String: String], now: Date, language: Language) -> QueueCell {
        switch column {
        case .procedure: return QueueCell(text: item.procedureName, style: "", sub: nil, subStyle: "")
        case .applicant: return QueueCell(text: item.applicantName, style: "", sub: nil, subStyle: "")
        case .channel: return QueueCell(text: Display.channel(item.channel)(language), style: "", sub: nil, subStyle: "")
        case .received:
            return QueueCell(text: item.receivedAt.map(Display.dateTime) ?? item.submittedAt.map { Text.submitted.with(Display.dateTime($0))(language) } ?? "—",
                             style: "", sub: nil, subStyle: "")
        case .due:
            let (text, style) = self.due(item, now: now, language: language)
            return QueueCell(text: item.dueAt.map(Display.dateTime) ?? "—", style: "due " + style, sub: text.isEmpty ? nil : text, subStyle: "")
        case .status:
            // The step of the internal process it is at, red once that step is past its time.
            return QueueCell(text: Display.status(item.status, language), style: "", sub: item.step,
                             subStyle: item.stepDueAt.map { $0 < now } == true ? "step late" : "step")
        case .assignee:
            let name = item.assignedTo.map { $0 == me ? Text.me(language) : names[$0] ?? $0 } ?? Text.nobody(language)
            return QueueCell(text: name, style: "", sub: nil, subStyle: "")
        }
    }

    /// Keeps this person's choice of columns (at least one), and goes back to the queue.
    @Sendable func chooseColumns(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let queue = try Self.queue(context)
            let filters = Filters(request, queue: queue)
            let back = "/queues/\(queue.rawValue)" + (filters.query.isEmpty ? "" : "?" + filters.query)
            guard let fields = try await self.pages.form(request), let account = visit.session?.accountID else { return self.pages.redirect(visit, to: back) }
            let chosen = QueueColumn.allCases.filter { fields["column-\($0.rawValue)"] != nil }
            guard !chosen.isEmpty else {
                return try await self.queue(visit, queue: queue, token: token, filters: filters, after: nil, alert: Text.noColumns(visit.language))
            }
            try await self.preferences.set(QueueColumn.preference, to: QueueColumn.stored(chosen), of: account, at: self.pages.now())
            return self.pages.redirect(visit, to: back)
        }
    }

    /// The filtered queue as single-window writes it (CSV with a BOM, every row), under a name with the queue.
    @Sendable func export(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let queue = try Self.queue(context)
            let answer = try await self.pages.desk.export(FormEncoding.query(Filters(request, queue: queue).inboxPairs), as: token,
                                                          requestID: visit.requestID).succeeded()
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                                   .contentDisposition: "attachment; filename=\"\(queue.rawValue)-\(LocalDate(self.pages.now())).csv\""],
                            body: .init(byteBuffer: ByteBuffer(data: answer.body)))
        }
    }

    /// The bulk-assign controls, for leaders and admins, with the agency's staff to choose from.
    func bulk(_ visit: Visit, queue: Queue, token: String, filters: Filters, total: Int) async -> Bulk? {
        // Settled dossiers are no one's to work on.
        guard queue != .done, let session = visit.session, session.has(.leader) || session.has(.admin) else { return nil }
        let staff = await self.pages.colleagues(visit, token: token).filter { $0.roles.contains(.officer) || $0.roles.contains(.leader) }
        guard !staff.isEmpty else { return nil }
        let language = visit.language
        return Bulk(action: "/queues/\(queue.rawValue)/assign" + (filters.query.isEmpty ? "" : "?" + filters.query), csrf: visit.csrfToken,
                    label: Text.assignTo(language), officers: staff.map { FilterForm.Option(value: $0.id, label: $0.fullName, selected: false) },
                    ticked: Text.assignTicked(language), all: total > 1 ? Text.assignAll.with(String(total))(language) : nil,
                    pick: Text.pick(language))
    }

    /// Links to this person's bulk assignments still going, with how far each has got.
    func running(_ visit: Visit) async -> [PageFrame.Link] {
        guard let session = visit.session, session.has(.leader) || session.has(.admin),
              let jobs = try? await self.jobs.unfinished(of: session.accountID) else { return [] }
        return jobs.map { job in
            PageFrame.Link(href: "/bulk/" + job.id, label: BulkController.Text.runningNow.with(job.officerName, String(job.assigned + job.refused),
                                                                                                String(job.total))(visit.language))
        }
    }

    /// Starts a bulk assignment to one of the agency's staff: of the ticked dossiers (at most a page's, each at the
    /// version the leader saw, which the checkbox carries with its code), or of every dossier of the filtered list
    /// (`scope=all`, listed by the runner). It runs in the background; the leader goes to its progress page.
    @Sendable func assign(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let queue = try Self.queue(context)
            let filters = Filters(request, queue: queue)
            guard let fields = try await self.pages.form(request), let session = visit.session, let hash = visit.sessionToken.map(SessionToken.hash) else {
                return self.pages.redirect(visit, to: "/queues/\(queue.rawValue)?" + filters.query)
            }
            let language = visit.language
            let refuse = { (alert: String) in try await self.queue(visit, queue: queue, token: token, filters: filters, after: nil, alert: alert) }
            let staff = await self.pages.colleagues(visit, token: token)
            guard let officer = fields["officer"], let member = staff.first(where: { $0.id == officer }) else { return try await refuse(Text.notStaff(language)) }
            var job = BulkJob(id: UUID().uuidString.lowercased(), accountID: session.accountID, sessionHash: hash, clientAddress: visit.clientAddress,
                              officer: officer, officerName: member.fullName, queue: queue.rawValue, listQuery: nil, state: .running, note: nil,
                              total: 0, assigned: 0, refused: 0, createdAt: self.pages.now(), finishedAt: nil)
            var items: [BulkItem] = []
            if fields["scope"] == "all" {
                let list = FormEncoding.query(filters.inboxPairs)
                let total = try await self.pages.desk.inbox(list + "&pageSize=1", as: token, requestID: visit.requestID).total
                guard total > 0 else { return try await refuse(Text.emptyList(language)) }
                guard total <= self.jobs.limit else { return try await refuse(Text.tooMany.with(String(total), String(self.jobs.limit))(language)) }
                job.listQuery = list
                job.state = .listing
                job.total = total
            } else {
                items = fields.filter { $0.key.hasPrefix("pick-") }.sorted { $0.key < $1.key }.prefix(Self.pageSize).enumerated().map { position, field in
                    let seen = field.value.split(separator: "~", maxSplits: 1).map(String.init)
                    return BulkItem(position: position, dossierID: String(field.key.dropFirst("pick-".count)), code: seen.count > 1 ? seen[1] : "",
                                    expectedVersion: seen.first.flatMap { Int($0) } ?? -1, outcome: nil, detail: nil)
                }
                guard !items.isEmpty else { return try await refuse(Text.noneTicked(language)) }
                job.total = items.count
            }
            try await self.jobs.create(job, items: items)
            return self.pages.redirect(visit, to: "/bulk/" + job.id)
        }
    }

    /// The due date in working days, coloured: on track, due within a working day, late, or stopped.
    func due(_ item: InboxItem, now: Date, language: Language) -> (String, String) {
        guard let due = item.dueAt, !item.status.isFinal else { return ("", "") }
        if item.paused == true { return (Text.paused(language), "paused") }
        if due < now {
            let late = Int(self.calendar.workingDays(from: due, to: now).rounded(.up))
            return (late == 0 ? Text.lateToday(language) : Text.late.with(String(late))(language), "late")
        }
        let left = self.calendar.workingDays(from: now, to: due)
        if left <= 1 { return (Text.underADay(language), "soon") }
        return (Text.daysLeft.with(String(Int(left.rounded(.down))))(language), "on-track")
    }
}
