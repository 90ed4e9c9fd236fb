import Contracts
import Hummingbird
import ServiceKit

/// Builds the single-window service: common runtime, endpoints and outbox; its own routes join as its issues land.
public func buildSingleWindowApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: SingleWindowMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua single-window", summary: "Receives, processes and settles administrative-procedure dossiers"))
    let router = builder.makeRouter()
    return builder.build(router: router)
}
