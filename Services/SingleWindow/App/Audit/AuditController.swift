import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// The dossiers' side of the audit trail: every action on a dossier (its history, written in the transaction of the
/// action), searched by the person who acted or by the dossier, in a period, for the province's admin.
struct AuditController {
    let database: Database
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/audit/dossiers", use: self.search)
        openAPI.add("GET", "/v1/audit/dossiers", summary: "Admins: actions on dossiers by ?actor= (an account) or on ?dossier= (a code), from ?from= "
                    + "to ?to= (yyyy-MM-dd, default the last 30 days), newest first, at most ?limit= (500)", tag: "audit",
                    responses: [200: ("Entries", Schema.array(Schema.anyObject)), 400: ("Neither actor nor dossier, or a bad period", nil),
                                403: ("Not an admin", nil)], token: true)
    }

    @Sendable func search(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try context.requireRole(.admin)
        let actor = request.query("actor").flatMap { $0.isEmpty ? nil : $0 }
        let code = request.query("dossier").flatMap { $0.isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        guard actor != nil || code != nil else { throw Problem.badRequest("Name the person (actor=) or the dossier (dossier=) to search the trail of.") }
        let period = try ReportPeriod(request, today: LocalDate(self.now())) { $0.adding(days: -30) }
        let limit = try request.integerQuery("limit", default: 200, range: 1...500)
        struct Row: Decodable { let body: String; let code: String }
        let (start, end) = (period.startMilliseconds, period.endMilliseconds)
        let rows = try await self.database.read { db in
            var select = db.select().column(SQLColumn("body", table: "e")).column(SQLColumn("code", table: "d"))
                .from(SQLAlias(SQLIdentifier("dossier_events"), as: SQLIdentifier("e")))
                .join(SQLAlias(SQLIdentifier("dossiers"), as: SQLIdentifier("d")), method: SQLJoinMethod.inner,
                      on: SQLColumn("id", table: "d"), .equal, SQLColumn("dossier_id", table: "e"))
                .where(SQLColumn("at", table: "e"), .greaterThanOrEqual, SQLBind(start)).where(SQLColumn("at", table: "e"), .lessThan, SQLBind(end))
            if let actor { select = select.where(SQLColumn("actor", table: "e"), .equal, SQLBind(actor)) }
            if let code { select = select.where(SQLColumn("code", table: "d"), .equal, SQLBind(code)) }
            return try await select.orderBy(SQLOrderBy(expression: SQLColumn("at", table: "e"), direction: SQLDirection.descending)).limit(limit)
                .all(decoding: Row.self)
        }
        let entries = try rows.map { row in
            let event = try JSONDecoder.motcua.decode(DossierEventView.self, from: Data(row.body.utf8))
            let move = [event.fromStatus?.vietnameseName, event.toStatus.vietnameseName].compactMap { $0 }.joined(separator: " → ")
            return AuditEntry(at: event.at, actor: event.actor, action: event.action, target: "dossier \(row.code)",
                              detail: [move, event.comment, event.detail].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · "),
                              address: nil, source: "single-window")
        }
        return try Response.json(entries)
    }
}
