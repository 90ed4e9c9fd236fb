import Contracts
import DomainKit
import Hummingbird
import ServiceKit

/// What a dossier owes, by its code: the payments service asks before it takes money, so that a payment's total
/// is always the procedure's fees.
struct DossierFeesController {
    let dossiers: DossierRepository
    let catalog: CatalogIndex

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/dossiers/by-code/:code/fees", use: self.fees)
        openAPI.add("GET", "/v1/dossiers/by-code/:code/fees", summary: "The fees a dossier owes (its procedure's fee items), with its status "
                    + "and applicant account (services, staff of its agency, the applicant)", tag: "dossiers",
                    responses: [200: ("The fees", Schema.anyObject), 404: ("No such dossier (or not yours)", nil)], token: true)
    }

    @Sendable func fees(_ request: Request, context: ServiceRequestContext) async throws -> DossierFees {
        let identity = try context.requireIdentity()
        let code = try context.parameters.require("code")
        guard let dossier = try await self.dossiers.find(code: code) else { throw Problem.notFound("There is no dossier with the code \(code).") }
        _ = try DossierActions.actingRole(identity, for: dossier)
        let fees = try await Self.owed(by: dossier, catalog: self.catalog)
        var agencyName = dossier.agencyName
        if agencyName == nil { agencyName = try await self.catalog.agency(dossier.agencyCode)?.name }
        return DossierFees(dossierId: dossier.id, code: dossier.code, agencyCode: dossier.agencyCode, agencyName: agencyName,
                           procedureCode: dossier.procedureCode,
                           status: dossier.status, submittedBy: dossier.submittedBy,
                           items: fees.map { FeeItem(name: $0.name, amount: $0.amount) })
    }

    /// The fees a dossier owes: those of the catalog version it came in under, kept with it; for a dossier from before
    /// versions were kept, the catalog's.
    static func owed(by dossier: StoredDossier, catalog: CatalogIndex) async throws -> [Procedure.Fee] {
        if let fees = dossier.fees { return fees }
        guard let procedure = try await catalog.procedure(dossier.procedureCode) else {
            throw Problem.notFound("The dossier's procedure \(dossier.procedureCode) is no longer in the catalog.")
        }
        return procedure.fees
    }
}

extension DossierFees: ResponseEncodable {}
