import Contracts
import Hummingbird
import ServiceKit

/// Builds the portal: the token issuer and its JWKS, the platform status page, and the pages that later issues add.
public func buildPortalApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: PortalMigrations.all, subscriptions: Subscriptions.table, keys: .issuer(issuer),
        announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(
        runtime: runtime,
        openAPI: OpenAPIDocument(title: "MotCua portal", summary: "Public pages, accounts and tokens, the staff console and the mobile API")
    )
    let starts = ServiceStartsRepository(database: runtime.database)
    builder.eventHandlers[EventType.serviceStarted] = { envelope, db in
        try await starts.record(envelope.payload(as: ServiceStarted.self), in: db)
    }
    let router = builder.makeRouter()
    JWKSController(issuer: issuer).register(on: router, openAPI: &builder.openAPI)
    StatusController(probe: StatusProbe(runtime: runtime), starts: starts).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
