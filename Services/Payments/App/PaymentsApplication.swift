import Contracts
import Hummingbird
import ServiceKit

/// Builds the payments service: common runtime, endpoints and outbox; its own routes join as its issues land.
public func buildPaymentsApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: PaymentsMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua payments", summary: "Fee payments through the bank gateway"))
    let router = builder.makeRouter()
    return builder.build(router: router)
}
