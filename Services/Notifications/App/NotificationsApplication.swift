import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Builds the notifications service: message templates and messages (and, as issue 4 lands, their delivery and the inbox).
public func buildNotificationsApplication(
    _ settings: ServiceSettings, clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: NotificationsMigrations.all, subscriptions: Subscriptions.table, announce: EventType.serviceStarted
    )
    let templates = TemplateRepository(database: runtime.database)
    let composer = MessageComposer(
        unicodeSMS: try settings.value("SMS_UNICODE", default: "false") == "true",
        maximumSMSSegments: Int(try settings.value("SMS_MAX_SEGMENTS", default: "3")) ?? 3
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua notifications", summary: "SMS, e-mail and in-app messages"))
    let router = builder.makeRouter()
    TemplateController(templates: templates, database: runtime.database, composer: composer).register(on: router, openAPI: &builder.openAPI)
    NotificationController(notifications: NotificationRepository(database: runtime.database), templates: templates, composer: composer,
                           database: runtime.database, now: clock).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
