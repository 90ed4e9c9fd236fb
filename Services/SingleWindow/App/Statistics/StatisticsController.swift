import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// Settlement statistics for publication (Decree 61/2018, art. 33): an agency and everything under it, for a period.
/// Computed with SQL aggregates that read the same on SQLite and PostgreSQL.
struct StatisticsController {
    let database: Database
    /// Agencies, from memory.
    let catalog: CatalogIndex

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/statistics", use: self.statistics)
        router.get("/v1/statistics/settled", use: self.settled)
        openAPI.add("GET", "/v1/statistics/settled", summary: "Recently settled dossiers of ?agency= and the agencies under it (?limit=, at most "
                    + "100): code, procedure, agency, status, when and how timely — no personal data", tag: "statistics",
                    responses: [200: ("Settled dossiers", Schema.array(Schema.anyObject)), 404: ("No such agency", nil)])
        openAPI.add("GET", "/v1/statistics", summary: "Received by channel, in progress, overdue, resolved early/on time/late, supplement requests, "
                    + "refusals and satisfaction for ?agency= (and the agencies under it) from ?from= to ?to= (yyyy-MM-dd, default this year)",
                    tag: "statistics", responses: [200: ("Statistics", Schema.anyObject), 400: ("A bad period", nil), 404: ("No such agency", nil)])
    }

    @Sendable func statistics(_ request: Request, context: ServiceRequestContext) async throws -> DossierStatistics {
        let code = request.query("agency") ?? "H33"
        guard try await self.catalog.agency(code) != nil else { throw Problem.notFound("There is no agency with the code \(code).") }
        let period = try ReportPeriod(request, today: LocalDate(Date())) { LocalDate(year: $0.year, month: 1, day: 1)! }
        let (from, to) = (period.from, period.to)
        let subtree = try await self.subtree(of: code)
        let start = period.startMilliseconds
        let end = period.endMilliseconds
        let now = Date().epochMilliseconds

        struct Keyed: Decodable { let key: String?; let n: Int }
        struct Bucketed: Decodable { let bucket: Int; let n: Int }
        let months = ReportsController.months(of: period)
        let bucket = ReportQueries.bucket("submitted_at", bounds: months.ends)
        struct Ratings: Decodable { let n: Int; let total: Int? }
        let count = SQLFunction.countAll
        return try await self.database.read { db in
            func scoped(_ select: SQLSelectBuilder) -> SQLSelectBuilder { select.from("dossiers").where("agency_code", .in, subtree) }
            let channels = try await scoped(db.select().column("channel", as: "key").column(count, as: "n"))
                .where("submitted_at", .greaterThanOrEqual, start).where("submitted_at", .lessThan, end).groupBy("channel").all(decoding: Keyed.self)
            // Month by month in the same pass over the index (the portal's chart asked once a month before).
            let monthly = try await db.raw("SELECT " + bucket + " AS bucket, COUNT(*) AS n FROM dossiers WHERE agency_code IN \(SQLBind.group(subtree)) "
                                           + "AND submitted_at >= \(bind: start) AND submitted_at < \(bind: end) GROUP BY 1").all(decoding: Bucketed.self)
            var byMonth = Dictionary(uniqueKeysWithValues: months.labels.map { ($0, 0) })
            for row in monthly where row.bucket < months.labels.count { byMonth[months.labels[row.bucket], default: 0] += row.n }
            let inProgress = try await scoped(db.select()).where("status", .in, [1, 2, 4, 5, 6]).countRows()
            let overdue = try await scoped(db.select())
                .where("status", .in, [2, 4, 5, 6]).where("due_at", .lessThan, now).where("paused_at", .is, SQLLiteral.null).countRows()
            let resolved = try await scoped(db.select().column("timeliness", as: "key").column(count, as: "n"))
                .where("finished_at", .greaterThanOrEqual, start).where("finished_at", .lessThan, end)
                .where("timeliness", .isNot, SQLLiteral.null).groupBy("timeliness").all(decoding: Keyed.self)
            let refused = try await scoped(db.select()).where("status", .equal, DossierStatus.refused.rawValue)
                .where("submitted_at", .greaterThanOrEqual, start).where("submitted_at", .lessThan, end).countRows()
            let supplements = try await db.select().from("dossier_events")
                .join("dossiers", on: SQLColumn("dossier_id", table: "dossier_events"), .equal, SQLColumn("id", table: "dossiers"))
                .where(SQLColumn("action", table: "dossier_events"), .equal, SQLBind(DossierAction.requestSupplement.rawValue))
                .where(SQLColumn("at", table: "dossier_events"), .greaterThanOrEqual, SQLBind(start))
                .where(SQLColumn("at", table: "dossier_events"), .lessThan, SQLBind(end))
                .where(SQLColumn("agency_code", table: "dossiers"), .in, SQLBind.group(subtree))
                .countRows()
            let ratings = try await scoped(db.select().column(SQLFunction("COUNT", args: SQLColumn("rating")), as: "n")
                .column(SQLRaw("CAST(SUM(rating) AS BIGINT)"), as: "total"))
                .where("submitted_at", .greaterThanOrEqual, start).where("submitted_at", .lessThan, end).first(decoding: Ratings.self)
            let rated = ratings?.n ?? 0
            return DossierStatistics(
                agencyCode: code, agencies: subtree.count, from: from, to: to,
                receivedByChannel: Dictionary(uniqueKeysWithValues: channels.map { ($0.key ?? "unknown", $0.n) }),
                inProgress: inProgress, overdueInProgress: overdue,
                resolved: Dictionary(uniqueKeysWithValues: resolved.map { ($0.key ?? "unknown", $0.n) }),
                supplementRequests: supplements, refused: refused, ratings: rated,
                averageRating: rated > 0 ? Double(ratings?.total ?? 0) / Double(rated) : nil, receivedByMonth: byMonth
            )
        }
    }

    @Sendable func settled(_ request: Request, context: ServiceRequestContext) async throws -> [SettledDossier] {
        let code = request.query("agency") ?? "H33"
        guard try await self.catalog.agency(code) != nil else { throw Problem.notFound("There is no agency with the code \(code).") }
        let limit = try request.integerQuery("limit", default: 20, range: 1...100)
        let subtree = try await self.subtree(of: code)
        struct Row: Decodable { let body: String }
        let rows = try await self.database.read { db in
            try await db.select().column("body").from("dossiers").where("agency_code", .in, subtree).where("finished_at", .isNot, SQLLiteral.null)
                .orderBy("finished_at", .descending).limit(limit).all(decoding: Row.self)
        }
        var settled: [SettledDossier] = []
        for row in rows {
            let dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
            guard let finished = dossier.clock.finishedAt else { continue }
            let agency = try await self.catalog.agency(dossier.agencyCode)?.name ?? dossier.agencyCode
            settled.append(SettledDossier(code: dossier.code, procedureName: dossier.procedureName, agencyName: agency, status: dossier.status,
                                          finishedAt: finished, timeliness: dossier.clock.timeliness))
        }
        return settled
    }

    private func subtree(of code: String) async throws -> [String] { try await self.catalog.snapshot().tree.subtree(of: code) }
}

extension DossierStatistics: ResponseEncodable {}
