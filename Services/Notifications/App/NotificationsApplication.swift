import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Builds the notifications service: message templates, messages (from other services, and from dossier events) and
/// the in-app inbox; the senders that hand SMS and e-mail to their channels land with the rest of issue 4.
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
    let notifications = NotificationRepository(database: runtime.database)
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua notifications", summary: "SMS, e-mail and in-app messages"))
    let messages = DossierMessages(templates: templates, notifications: notifications, composer: composer,
                                   portalURL: try settings.value("PORTAL_PUBLIC_URL", default: "http://127.0.0.1:8080"), now: clock,
                                   logger: runtime.logger)
    for type in DossierMessages.types {
        builder.eventHandlers[type] = { envelope, db in try await messages.handle(envelope, in: db) }
    }
    let router = builder.makeRouter()
    TemplateController(templates: templates, database: runtime.database, composer: composer).register(on: router, openAPI: &builder.openAPI)
    NotificationController(notifications: notifications, templates: templates, composer: composer, database: runtime.database, now: clock)
        .register(on: router, openAPI: &builder.openAPI)
    InboxController(notifications: notifications, database: runtime.database, now: clock).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
