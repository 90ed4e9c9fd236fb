import Contracts
import Hummingbird
import ServiceKit

/// Builds the notifications service: message templates (and, as issue 4 lands, messages, their delivery and the inbox).
public func buildNotificationsApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: NotificationsMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    let templates = TemplateRepository(database: runtime.database)
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua notifications", summary: "SMS, e-mail and in-app messages"))
    let router = builder.makeRouter()
    TemplateController(
        templates: templates, database: runtime.database,
        unicodeSMS: try settings.value("SMS_UNICODE", default: "false") == "true",
        maximumSMSSegments: Int(try settings.value("SMS_MAX_SEGMENTS", default: "3")) ?? 3
    ).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
