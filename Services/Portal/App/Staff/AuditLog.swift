import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// The portal's side of the audit trail: every change to a staff account, who made it, when and from where, written in
/// the transaction of the change (`StaffController`); searched by the person who acted or the account changed, in a
/// period, by the province's admin. Nothing here updates or deletes an entry.
struct AuditLog: Sendable {
    let database: Database

    func add(_ entry: AuditEntry, in db: any SQLDatabase) async throws {
        try await db.insert(into: "audit_log").columns("id", "at", "actor", "action", "target", "detail", "address")
            .values(SQLBind(TimeOrderedID.make(at: entry.at)), SQLBind(entry.at.epochMilliseconds), SQLBind(entry.actor), SQLBind(entry.action),
                    SQLBind(entry.target), SQLBind(entry.detail), SQLBind(entry.address))
            .run()
    }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/api/v1/audit", use: self.search)
        openAPI.add("GET", "/api/v1/audit", summary: "Admins: changes to staff accounts by ?actor= or to ?target= (account <id>), from ?from= to ?to= "
                    + "(yyyy-MM-dd, default the last 30 days), newest first", tag: "accounts",
                    responses: [200: ("Entries", Schema.array(Schema.anyObject)), 400: ("Neither actor nor target, or a bad date", nil),
                                403: ("Not an admin", nil)], token: true)
    }

    @Sendable func search(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try context.requireRole(.admin)
        let actor = request.query("actor").flatMap { $0.isEmpty ? nil : $0 }
        let target = request.query("target").flatMap { $0.isEmpty ? nil : $0 }
        guard actor != nil || target != nil else { throw Problem.badRequest("Name the person (actor=) or the account (target=) to search the trail of.") }
        let today = LocalDate(Date())
        let from = try request.dateQuery("from") ?? today.adding(days: -30), to = try request.dateQuery("to") ?? today
        struct Row: Decodable { let at: Int64; let actor: String; let action: String; let target: String; let detail: String?; let address: String? }
        let rows = try await self.database.read { db in
            var select = db.select().columns("at", "actor", "action", "target", "detail", "address").from("audit_log")
                .where("at", .greaterThanOrEqual, from.instant().epochMilliseconds).where("at", .lessThan, to.adding(days: 1).instant().epochMilliseconds)
            if let actor { select = select.where("actor", .equal, actor) }
            if let target { select = select.where("target", .equal, target) }
            return try await select.orderBy("at", .descending).limit(500).all(decoding: Row.self)
        }
        return try Response.json(rows.map {
            AuditEntry(at: Date(epochMilliseconds: $0.at), actor: $0.actor, action: $0.action, target: $0.target, detail: $0.detail, address: $0.address,
                       source: Topology.portal)
        })
    }
}
