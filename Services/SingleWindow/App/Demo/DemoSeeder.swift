import Foundation
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
        /// The full catalog and a year of dossiers (`DemoYear`).
        case year
    }

    /// `size` year: how many dossiers (`DEMO_DOSSIERS`, default the province's year; five years' worth spreads over five years).
    func seedIfEmpty(_ size: Size, dossiers count: Int = DemoYear.total, logger: Logger) async throws {
        let seeded = try await self.database.transaction { db -> Int in
            guard try await self.agencies.count(in: db) == 0 else { return 0 }
            try await self.agencies.save(KienGiangAgencies.all, in: db)
            var catalog = DemoProcedures.all
            if size != .handwritten { catalog += CatalogGenerator.additions(to: catalog) }
            for procedure in catalog { try await self.procedures.save(procedure, in: db) }
            return catalog.count
        }
        if seeded > 0 { logger.info("demo data loaded", metadata: ["procedures": "\(seeded)", "agencies": "\(KienGiangAgencies.all.count)"]) }
        if seeded > 0, size == .year {
            var catalog = DemoProcedures.all
            catalog += CatalogGenerator.additions(to: catalog)
            let started = ContinuousClock.now
            let made = try await DemoYear(dossiers: DossierRepository(database: self.database), calendar: .vietnam)
                .load(procedures: catalog, agencies: KienGiangAgencies.all, now: Date(), total: count, logger: logger, in: self.database)
            logger.info("demo year took \(ContinuousClock.now - started)", metadata: ["dossiers": "\(made)"])
        }
    }
}
