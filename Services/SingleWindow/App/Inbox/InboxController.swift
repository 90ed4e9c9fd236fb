import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// An officer's worklist: the open dossiers of their agency, filtered by status, assignee and deadline.
struct InboxController {
    let database: Database
    let calendar: WorkingCalendar

    static let open: [DossierStatus] = [.submitted, .received, .processing, .supplementRequested, .awaitingFee, .resultReady]

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/inbox", use: self.inbox)
        openAPI.add("GET", "/v1/inbox", summary: "Open dossiers of the caller's agency: ?status=, ?assignedTo=me|<subject>, ?due=soon|overdue, "
                    + "?agency= (admins), pageSize, after (the previous answer's nextCursor; page= with OFFSET for older callers)", tag: "dossiers",
                    responses: [200: ("A page of the inbox with counts by status", Schema.anyObject), 400: ("A bad filter", nil),
                                403: ("Not staff", nil)], token: true)
    }

    @Sendable func inbox(_ request: Request, context: ServiceRequestContext) async throws -> InboxPage {
        let identity = try context.requireRole(.officer, .leader, .admin)
        let agency: String
        if identity.has(.admin), let requested = request.query("agency") { agency = requested } else {
            guard let own = identity.agency else { throw Problem.forbidden("Your account has no agency; ask an administrator.") }
            agency = own
        }
        var statuses = Self.open
        if let text = request.query("status"), !text.isEmpty {
            guard let status = Int(text).flatMap(DossierStatus.init(rawValue:)) else { throw Problem.badRequest("status must be a status code 1-10.") }
            statuses = [status]
        }
        let assignee = request.query("assignedTo").map { $0 == "me" ? identity.subject : $0 }
        let now = Date()
        let soon = self.calendar.adding(workingDays: 1, to: now).epochMilliseconds
        // The clock runs (not paused) and the due date falls in [from, before).
        var dueWindow: (from: Int64?, before: Int64)?
        switch request.query("due") {
        case nil, "": break
        case "overdue": dueWindow = (nil, now.epochMilliseconds)
        // Due within the next working day, not yet late.
        case "soon": dueWindow = (now.epochMilliseconds, soon)
        default: throw Problem.badRequest("due must be soon or overdue.")
        }
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 20, range: 1...100)
        let after = try request.query("after").map(InboxCursor.init(text:))
        struct Row: Decodable { let body: String; let due_key: Int64; let submitted_at: Int64; let id: String }
        struct Count: Decodable { let status: Int; let n: Int }
        let codes = statuses.map(\.rawValue)
        let window = dueWindow
        let filter: @Sendable (SQLSelectBuilder) -> SQLSelectBuilder = { select in
            var select = select.where("agency_code", .equal, agency).where("status", .in, codes)
            if let assignee { select = select.where("assigned_to", .equal, assignee) }
            if let window {
                select = select.where("due_at", .lessThan, window.before).where("paused_at", .is, SQLLiteral.null)
                if let from = window.from { select = select.where("due_at", .greaterThanOrEqual, from) }
            }
            return select
        }
        let (found, counts, total, queues) = try await self.database.read { db in
            // Keyset paging (`after`, the answer's `nextCursor`): the earliest due first, then the earliest submitted;
            // a deep page costs what the first does. `page` still works, with OFFSET, for older callers.
            var select = filter(db.select().column("body").column(InboxCursor.sortKey, as: "due_key").column("submitted_at").column("id").from("dossiers"))
            if let after { select = select.where(after.condition) }
            let found = try await select.orderBy(InboxCursor.sortKey).orderBy("submitted_at").orderBy("id")
                .limit(pageSize + 1).offset(after == nil ? (page - 1) * pageSize : 0).all(decoding: Row.self)
            let total = try await filter(db.select().from("dossiers")).countRows()
            let counts = try await db.select().column("status").column(SQLFunction.countAll, as: "n").from("dossiers")
                .where("agency_code", .equal, agency).where("status", .in, Self.open.map(\.rawValue)).groupBy("status").all(decoding: Count.self)
            let open = Self.open.map(\.rawValue)
            let running: @Sendable (SQLSelectBuilder) -> SQLSelectBuilder = {
                $0.where("agency_code", .equal, agency).where("status", .in, open).where("paused_at", .is, SQLLiteral.null)
            }
            let queues = [
                "mine": try await db.select().from("dossiers").where("agency_code", .equal, agency).where("status", .in, open)
                    .where("assigned_to", .equal, identity.subject).countRows(),
                "dueSoon": try await running(db.select().from("dossiers")).where("due_at", .greaterThanOrEqual, now.epochMilliseconds)
                    .where("due_at", .lessThan, soon).countRows(),
                "overdue": try await running(db.select().from("dossiers")).where("due_at", .lessThan, now.epochMilliseconds).countRows(),
            ]
            return (found, counts, total, queues)
        }
        let rows = found.prefix(pageSize)
        let items = try rows.map { try JSONDecoder.motcua.decode(StoredDossier.self, from: Data($0.body.utf8)).inboxItem }
        let next = found.count > pageSize ? rows.last.map { InboxCursor(dueKey: $0.due_key, submittedAt: $0.submitted_at, id: $0.id).text } : nil
        return InboxPage(items: Array(items), total: total, page: page, pageSize: pageSize,
                         countsByStatus: Dictionary(uniqueKeysWithValues: counts.map { (String($0.status), $0.n) }), queueCounts: queues,
                         nextCursor: next)
    }
}

extension InboxPage: ResponseEncodable {}

/// Where a page of the inbox ends: the last row's sort key (its due date, or the largest value when it has none),
/// submission time and id, as one opaque URL-safe text. A made-up one is refused with 400.
struct InboxCursor: Sendable {
    static let sortKey = SQLRaw("COALESCE(due_at, 9223372036854775807)")
    let dueKey: Int64
    let submittedAt: Int64
    let id: String

    init(dueKey: Int64, submittedAt: Int64, id: String) {
        self.dueKey = dueKey
        self.submittedAt = submittedAt
        self.id = id
    }

    init(text: String) throws {
        let parts = text.split(separator: "~", maxSplits: 2).map(String.init)
        guard parts.count == 3, let due = Int64(parts[0]), let submitted = Int64(parts[1]), !parts[2].isEmpty, parts[2].count <= 64,
              parts[2].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw Problem.badRequest("after must be the nextCursor of an earlier answer.")
        }
        self.init(dueKey: due, submittedAt: submitted, id: parts[2])
    }

    var text: String { "\(self.dueKey)~\(self.submittedAt)~\(self.id)" }

    /// Rows after this one in the inbox's order.
    var condition: SQLQueryString {
        "(\(Self.sortKey) > \(bind: self.dueKey) OR (\(Self.sortKey) = \(bind: self.dueKey) AND (submitted_at > \(bind: self.submittedAt) OR (submitted_at = \(bind: self.submittedAt) AND id > \(bind: self.id)))))"
    }
}

extension StoredDossier {
    /// The dossier as a line of a list: the officer's inbox, the citizen's "My dossiers".
    var inboxItem: InboxItem {
        InboxItem(id: self.id, code: self.code, procedureName: self.procedureName, applicantName: self.applicant.fullName, status: self.status,
                  receivedAt: self.clock.receivedAt, dueAt: self.clock.dueAt, assignedTo: self.assignedTo, channel: self.channel,
                  paused: self.clock.pausedAt != nil)
    }
}
