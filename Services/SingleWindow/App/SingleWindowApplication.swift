import Contracts
import DomainKit
import Hummingbird
import ServiceKit

/// Builds the single-window service: agencies, the procedure catalog, and (as issue 3 lands) dossiers.
public func buildSingleWindowApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: SingleWindowMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    let agencies = AgencyRepository(database: runtime.database)
    let procedures = ProcedureRepository(database: runtime.database)
    if let text = settings.environment["DEMO_DATA"], !text.isEmpty, text != "0" {
        guard let size = text == "1" ? .full : DemoSeeder.Size(rawValue: text) else {
            throw ConfigurationError.invalid("DEMO_DATA", text, "handwritten, full or 1")
        }
        try await DemoSeeder(database: runtime.database, agencies: agencies, procedures: procedures).seedIfEmpty(size, logger: runtime.logger)
    }
    var builder = ServiceApplicationBuilder(
        runtime: runtime,
        openAPI: OpenAPIDocument(title: "MotCua single-window", summary: "Receives, processes and settles administrative-procedure dossiers")
    )
    let router = builder.makeRouter()
    AgencyController(agencies: agencies).register(on: router, openAPI: &builder.openAPI)
    CatalogController(procedures: procedures, agencies: agencies,
                      importer: CatalogImporter(database: runtime.database, procedures: procedures, agencies: agencies))
        .register(on: router, openAPI: &builder.openAPI)
    let dossiers = DossierRepository(database: runtime.database)
    let calendar = WorkingCalendar.vietnam
    DossierController(
        intake: DossierIntake(runtime: runtime, dossiers: dossiers, procedures: procedures, agencies: agencies, calendar: calendar),
        actions: DossierActions(runtime: runtime, dossiers: dossiers, procedures: procedures, calendar: calendar),
        dossiers: dossiers, agencies: agencies
    ).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
