import DomainKit
import Logging
import ServiceKit

/// Fills an empty single-window database with Kiên Giang's agencies and a catalog, when `DEMO_DATA` asks for it:
/// `handwritten` for the 44 written procedures, `full` (or `1`) for the province's full-size catalog.
struct DemoSeeder: Sendable {
    let database: Database
    let agencies: AgencyRepository
    let procedures: ProcedureRepository

    enum Size: String {
        case handwritten
        case full
    }

    func seedIfEmpty(_ size: Size, logger: Logger) async throws {
        let seeded = try await self.database.transaction { db -> Int in
            guard try await self.agencies.count(in: db) == 0 else { return 0 }
            try await self.agencies.save(KienGiangAgencies.all, in: db)
            var catalog = DemoProcedures.all
            if size == .full { catalog += CatalogGenerator.additions(to: catalog) }
            for procedure in catalog { try await self.procedures.save(procedure, in: db) }
            return catalog.count
        }
        if seeded > 0 { logger.info("demo data loaded", metadata: ["procedures": "\(seeded)", "agencies": "\(KienGiangAgencies.all.count)"]) }
    }
}
