import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import SQLKit

/// An officer's worklist: the open dossiers of their agency, filtered (`InboxQuery`), a page at a time, with the
/// counts the console's navigation shows; and the same list as a CSV file.
struct InboxController {
    let database: Database
    let calendar: WorkingCalendar
    /// The service's clock (tests move it), which decides what is due soon and what is late.
    let now: @Sendable () -> Date
    /// The most rows one export writes; a larger list is refused with 400 asking for a narrower filter.
    static let exportLimit = 50_000

    static var open: [DossierStatus] { InboxQuery.open }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/inbox", use: self.inbox)
        router.get("/v1/inbox/export", use: self.export)
        let filters = "?status=, ?assignedTo=me|none|<subject>, ?due=soon|overdue, ?procedure=, ?sector=, ?step= (the step's title), ?channel=, "
            + "?from=&to= (received, YYYY-MM-DD), ?sort=due|-due|submitted|-submitted, "
            + "?q= (code, name without diacritics, citizen ID, tax code or phone), ?agency= (admins)"
        openAPI.add("GET", "/v1/inbox", summary: "Open dossiers of the caller's agency: " + filters
                    + "; pageSize, after (the previous answer's nextCursor; page= with OFFSET for older callers)", tag: "dossiers",
                    responses: [200: ("A page of the inbox with counts by status, queue and step", Schema.anyObject), 400: ("A bad filter", nil),
                                403: ("Not staff", nil)], token: true)
        openAPI.add("GET", "/v1/inbox/export", summary: "The same list, every row, as CSV that Excel opens with Vietnamese intact (UTF-8 with BOM): "
                    + filters, tag: "dossiers",
                    responses: [200: ("text/csv", nil), 400: ("A bad filter, or more than \(Self.exportLimit) rows", nil), 403: ("Not staff", nil)],
                    token: true, contentType: "text/csv")
    }

    struct Row: Decodable { let body: String; let due_key: Int64; let submitted_at: Int64; let id: String }

    /// One keyset page of the filtered list, `limit` rows after `after`, each with its whole body (the export).
    func rows(_ query: InboxQuery, after: InboxCursor?, limit: Int, offset: Int = 0, in db: any SQLDatabase) async throws -> [Row] {
        try await self.page(query, columns: ["body", "submitted_at", "id"], after: after, limit: limit, offset: offset, in: db).all(decoding: Row.self)
    }

    /// A line of the list as its columns hold it (`InboxColumns`): no body to decode.
    struct ItemRow: Decodable {
        let id: String, code: String, procedure_name: String?, applicant_name: String?, status: Int, channel: String
        let received_at: Int64?, due_at: Int64?, paused_at: Int64?, submitted_at: Int64, assigned_to: String?, version: Int
        let step_title: String?, step_due_at: Int64?, due_key: Int64

        var item: InboxItem {
            InboxItem(id: self.id, code: self.code, procedureName: self.procedure_name ?? "", applicantName: self.applicant_name ?? "",
                      status: DossierStatus(rawValue: self.status) ?? .submitted, receivedAt: self.received_at.map(Date.init(epochMilliseconds:)),
                      dueAt: self.due_at.map(Date.init(epochMilliseconds:)), assignedTo: self.assigned_to, channel: IntakeChannel(rawValue: self.channel),
                      paused: self.paused_at != nil, version: self.version, submittedAt: Date(epochMilliseconds: self.submitted_at),
                      step: self.step_title, stepDueAt: self.step_due_at.map(Date.init(epochMilliseconds:)))
        }
    }

    static let itemColumns = ["id", "code", "procedure_name", "applicant_name", "status", "channel", "received_at", "due_at", "paused_at", "submitted_at",
                              "assigned_to", "version", "step_title", "step_due_at"]

    private func page(_ query: InboxQuery, columns: [String], after: InboxCursor?, limit: Int, offset: Int, in db: any SQLDatabase) -> SQLSelectBuilder {
        var select = query.apply(to: db.select().columns(columns.map { SQLColumn($0) }).column(InboxSort.dueKey, as: "due_key").from("dossiers"))
        if let after { select = select.where(after.condition) }
        return query.sort.apply(to: select).limit(limit).offset(offset)
    }

    @Sendable func inbox(_ request: Request, context: ServiceRequestContext) async throws -> InboxPage {
        let identity = try context.requireRole(.officer, .leader, .admin)
        let now = self.now()
        let query = try InboxQuery(request, identity: identity, calendar: self.calendar, now: now)
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 20, range: 1...100)
        let after = try request.query("after").map { try InboxCursor(text: $0, sort: query.sort) }
        struct Count: Decodable { let status: Int; let step_title: String?; let n: Int; let mine: Int; let due_soon: Int; let overdue: Int }
        let agency = query.agency
        let soon = self.calendar.adding(workingDays: 1, to: now).epochMilliseconds
        let instant = now.epochMilliseconds
        let open = SQLList(Self.open.map { SQLBind($0.rawValue) })
        let (found, counts, total) = try await self.database.read { db in
            // Keyset paging (`after`, the answer's `nextCursor`) in the order asked (`InboxSort`: by default the
            // earliest due first, then the earliest submitted); a deep page costs what the first does. `page` still works, with OFFSET, for older callers.
            let found = try await self.page(query, columns: Self.itemColumns, after: after, limit: pageSize + 1,
                                            offset: after == nil ? (page - 1) * pageSize : 0, in: db).all(decoding: ItemRow.self)
            let total = try await query.apply(to: db.select().from("dossiers")).countRows()
            // The navigation's counts in one pass over the agency's open dossiers: by status and step, and the
            // caller's, due within a working day and late among them (a running clock only).
            let counts = try await db.raw("""
                SELECT status, step_title, COUNT(*) AS n,
                    SUM(CASE WHEN assigned_to = \(bind: identity.subject) THEN 1 ELSE 0 END) AS mine,
                    SUM(CASE WHEN paused_at IS NULL AND due_at >= \(bind: instant) AND due_at < \(bind: soon) THEN 1 ELSE 0 END) AS due_soon,
                    SUM(CASE WHEN paused_at IS NULL AND due_at < \(bind: instant) THEN 1 ELSE 0 END) AS overdue
                FROM dossiers WHERE agency_code = \(bind: agency) AND status IN (\(open)) GROUP BY status, step_title
                """).all(decoding: Count.self)
            return (found, counts, total)
        }
        let queues = ["mine": counts.reduce(0) { $0 + $1.mine }, "dueSoon": counts.reduce(0) { $0 + $1.due_soon },
                      "overdue": counts.reduce(0) { $0 + $1.overdue }]
        let rows = found.prefix(pageSize)
        let next = found.count > pageSize ? rows.last.map { InboxCursor(sort: query.sort, dueKey: $0.due_key, submittedAt: $0.submitted_at, id: $0.id).text } : nil
        return InboxPage(items: rows.map(\.item), total: total, page: page, pageSize: pageSize,
                         countsByStatus: Dictionary(counts.map { (String($0.status), $0.n) }, uniquingKeysWith: +), queueCounts: queues,
                         nextCursor: next,
                         countsByStep: Dictionary(counts.compactMap { count in count.step_title.map { ($0, count.n) } }, uniquingKeysWith: +))
    }

    /// The filtered list as CSV, read in keyset batches so a long list never sits in memory at once.
    @Sendable func export(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin)
        let query = try InboxQuery(request, identity: identity, calendar: self.calendar, now: self.now())
        let total = try await self.database.read { try await query.apply(to: $0.select().from("dossiers")).countRows() }
        guard total <= Self.exportLimit else {
            throw Problem.badRequest("The list has \(total) dossiers, more than the \(Self.exportLimit) one file holds; narrow it by date or procedure.")
        }
        let header = CSVText.byteOrderMark + CSVText.row(["Mã hồ sơ", "Thủ tục", "Người nộp", "Kênh", "Trạng thái", "Ngày tiếp nhận", "Hạn trả",
                                                         "Người xử lý"])
        let database = self.database
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: header))
            var after: InboxCursor?
            repeat {
                let from = after
                let batch = try await database.read { try await self.rows(query, after: from, limit: 500, in: $0) }
                var text = ""
                for row in batch {
                    let dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
                    text += CSVText.row([dossier.code, dossier.procedureName, dossier.applicant.organisationName ?? dossier.applicant.fullName,
                                         dossier.channel.rawValue, dossier.status.vietnameseName,
                                         dossier.clock.receivedAt.map(VietnamTime.rfc3339) ?? "", dossier.clock.dueAt.map(VietnamTime.rfc3339) ?? "",
                                         dossier.assignedTo ?? ""])
                }
                if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                after = batch.count == 500 ? batch.last.map { InboxCursor(sort: query.sort, dueKey: $0.due_key, submittedAt: $0.submitted_at, id: $0.id) } : nil
            } while after != nil
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"ho-so-\(query.agency).csv\""], body: body)
    }
}

extension InboxPage: ResponseEncodable {}

extension StoredDossier {
    /// The dossier as a line of a list: the officer's inbox, the citizen's "My dossiers".
    var inboxItem: InboxItem {
        InboxItem(id: self.id, code: self.code, procedureName: self.procedureName, applicantName: self.applicant.fullName, status: self.status,
                  receivedAt: self.clock.receivedAt, dueAt: self.clock.dueAt, assignedTo: self.assignedTo, channel: self.channel,
                  paused: self.clock.pausedAt != nil, version: self.version, submittedAt: self.submittedAt,
                  step: self.process.flatMap { $0.isFinished ? nil : $0.step.title }, stepDueAt: self.process.flatMap { $0.isFinished ? nil : $0.dueAt })
    }
}
