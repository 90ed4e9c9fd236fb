import Contracts
import Hummingbird
import ServiceKit

/// Builds the notifications service: common runtime, endpoints and outbox; its own routes join as its issues land.
public func buildNotificationsApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: NotificationsMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua notifications", summary: "SMS, e-mail and in-app messages"))
    let router = builder.makeRouter()
    return builder.build(router: router)
}
