import Contracts
import Hummingbird
import ServiceKit

/// Builds the sandbox service: common runtime, endpoints and outbox; its own routes join as its issues land.
public func buildSandboxApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: SandboxMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua sandbox", summary: "Simulated partners: bank gateway, SMS gateway, VNPost, national portal"))
    let router = builder.makeRouter()
    return builder.build(router: router)
}
