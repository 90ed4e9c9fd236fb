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
                    + "?agency= (admins), page, pageSize", tag: "dossiers",
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
        var dueBefore: Int64?
        switch request.query("due") {
        case nil, "": break
        case "overdue": dueBefore = now.epochMilliseconds
        // Due within the next working day.
        case "soon": dueBefore = self.calendar.adding(workingDays: 1, to: now).epochMilliseconds
        default: throw Problem.badRequest("due must be soon or overdue.")
        }
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 20, range: 1...100)
        struct Row: Decodable { let body: String }
        struct Count: Decodable { let status: Int; let n: Int }
        let codes = statuses.map(\.rawValue)
        let deadline = dueBefore
        let filter: @Sendable (SQLSelectBuilder) -> SQLSelectBuilder = { select in
            var select = select.where("agency_code", .equal, agency).where("status", .in, codes)
            if let assignee { select = select.where("assigned_to", .equal, assignee) }
            if let deadline { select = select.where("due_at", .lessThan, deadline).where("paused_at", .is, SQLLiteral.null) }
            return select
        }
        let (rows, counts, total) = try await self.database.read { db in
            let rows = try await filter(db.select().column("body").from("dossiers"))
                .orderBy(SQLRaw("CASE WHEN due_at IS NULL THEN 1 ELSE 0 END")).orderBy("due_at").orderBy("submitted_at")
                .limit(pageSize).offset((page - 1) * pageSize).all(decoding: Row.self)
            let total = try await filter(db.select().from("dossiers")).countRows()
            let counts = try await db.select().column("status").column(SQLFunction.countAll, as: "n").from("dossiers")
                .where("agency_code", .equal, agency).where("status", .in, Self.open.map(\.rawValue)).groupBy("status").all(decoding: Count.self)
            return (rows, counts, total)
        }
        let items = try rows.map { try JSONDecoder.motcua.decode(StoredDossier.self, from: Data($0.body.utf8)).inboxItem }
        return InboxPage(items: items, total: total, page: page, pageSize: pageSize,
                         countsByStatus: Dictionary(uniqueKeysWithValues: counts.map { (String($0.status), $0.n) }))
    }
}

extension InboxPage: ResponseEncodable {}

extension StoredDossier {
    /// The dossier as a line of a list: the officer's inbox, the citizen's "My dossiers".
    var inboxItem: InboxItem {
        InboxItem(id: self.id, code: self.code, procedureName: self.procedureName, applicantName: self.applicant.fullName, status: self.status,
                  receivedAt: self.clock.receivedAt, dueAt: self.clock.dueAt, assignedTo: self.assignedTo)
    }
}
