import Contracts
import Hummingbird
import ServiceKit

/// Builds the documents service: common runtime, endpoints and outbox; its own routes join as its issues land.
public func buildDocumentsApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: DocumentsMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua documents", summary: "Stored files, official documents, PKI and signatures"))
    let router = builder.makeRouter()
    return builder.build(router: router)
}
