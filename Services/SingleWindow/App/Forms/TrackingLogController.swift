import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// Circular 01/2018 form 06, the agency's dossier tracking log ("Sổ theo dõi hồ sơ"): every dossier the agency received
/// in a period, one line each, with its appointment, settlement and hand-over — as data for printing.
struct TrackingLogController {
    let database: Database
    /// Agencies, from memory.
    let catalog: CatalogIndex

    typealias Line = TrackingLog.Line
    typealias Log = TrackingLog

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/agencies/:code/forms/06", use: self.log)
        openAPI.add("GET", "/v1/agencies/:code/forms/06", summary: "Circular 01/2018 form 06, the agency's tracking log: dossiers received "
                    + "from ?from= to ?to= (yyyy-MM-dd, default this month), in order of receipt; page, pageSize (≤ 500)", tag: "dossiers",
                    responses: [200: ("The log's lines", Schema.anyObject), 400: ("A bad period or page", nil),
                                403: ("Not staff of the agency", nil), 404: ("No such agency", nil)], token: true)
    }

    @Sendable func log(_ request: Request, context: ServiceRequestContext) async throws -> Log {
        let identity = try context.requireRole(.officer, .leader, .clerk, .admin)
        let code = try context.parameters.require("code")
        let snapshot = try await self.catalog.snapshot()
        let above = identity.agency.map { snapshot.tree.contains(code, under: $0) } ?? false
        guard identity.has(.admin) || above else {
            throw Problem.forbidden("The tracking log of \(code) is for its own staff and those above it; your account is for \(identity.agency ?? "no agency").")
        }
        guard let agency = try await self.catalog.agency(code) else { throw Problem.notFound("There is no agency with the code \(code).") }
        let period = try ReportPeriod(request, today: LocalDate(Date())) { LocalDate(year: $0.year, month: $0.month, day: 1)! }
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 100, range: 1...500)
        struct Row: Decodable { let body: String }
        let (rows, total) = try await self.database.read { db in
            let filter = { (select: SQLSelectBuilder) in
                select.from("dossiers").where("agency_code", .equal, code)
                    .where("received_at", .greaterThanOrEqual, period.startMilliseconds).where("received_at", .lessThan, period.endMilliseconds)
            }
            let rows = try await filter(db.select().column("body")).orderBy("received_at").orderBy("code")
                .limit(pageSize).offset((page - 1) * pageSize).all(decoding: Row.self)
            return (rows, try await filter(db.select()).countRows())
        }
        let first = (page - 1) * pageSize + 1
        let lines = try rows.enumerated().map { index, row in
            let dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
            return Line(number: first + index, dossierCode: dossier.code, procedureName: dossier.procedureName,
                        applicantName: dossier.applicant.fullName, applicantAddress: dossier.applicant.address, applicantPhone: dossier.applicant.phone,
                        receivedAt: dossier.clock.receivedAt, appointmentAt: dossier.clock.dueAt, newAppointment: dossier.apology?.newAppointment,
                        finishedAt: dossier.clock.finishedAt, timeliness: dossier.clock.timeliness?.rawValue, deliveredAt: dossier.handover?.at,
                        deliveryMethod: dossier.handover?.method.rawValue, status: dossier.status.vietnameseName)
        }
        return Log(form: "06", title: "Sổ theo dõi hồ sơ", agencyCode: code, agencyName: agency.name, from: period.from, to: period.to,
                   total: total, page: page, pageSize: pageSize, lines: lines)
    }
}

extension TrackingLog: ResponseEncodable {}
