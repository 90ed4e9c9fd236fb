import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// What tests change in the notifications service: the channels messages go to (fakes in unit tests). Tests that
/// drive the senders by hand turn them off with `SENDERS=off`, as an operator would.
struct NotificationsOverrides: Sendable {
    var channels: [MessageTemplate.Channel: any MessageChannel]?
    /// Given the app's queue, for tests that play sender replicas themselves.
    var queue: (@Sendable (DeliveryQueue) -> Void)?
}

/// Builds the notifications service: message templates, messages (from other services, and from dossier events),
/// the in-app inbox and preferences, and the delivery pipeline — senders that hand SMS and e-mail to their
/// gateways, delivery reports, dead letters.
public func buildNotificationsApplication(
    _ settings: ServiceSettings, clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    try await buildNotificationsApplication(settings, clock: clock, overrides: NotificationsOverrides())
}

func buildNotificationsApplication(
    _ settings: ServiceSettings, clock: @escaping @Sendable () -> Date, overrides: NotificationsOverrides
) async throws -> some ApplicationProtocol {
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: NotificationsMigrations.all, subscriptions: Subscriptions.table, publishers: Publishers.table, announce: EventType.serviceStarted
    )
    let unicodeSMS = try settings.value("SMS_UNICODE", default: "false") == "true"
    let composer = MessageComposer(unicodeSMS: unicodeSMS, maximumSMSSegments: try settings.integer("SMS_MAX_SEGMENTS", default: 3, range: 1...10))
    let policy = try DeliveryPolicy.from(settings)
    let templates = TemplateRepository(database: runtime.database)
    let notifications = NotificationRepository(database: runtime.database, policy: policy)
    let preferences = PreferenceRepository(database: runtime.database)
    let queue = DeliveryQueue(database: runtime.database, policy: policy)
    overrides.queue?(queue)
    let callback = SMSCallback(
        baseURL: try settings.value("SMS_CALLBACK_URL", default: "http://\(settings.advertiseAddress):\(settings.port)"),
        secret: try settings.secret("SMS_CALLBACK_SECRET")
    )

    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua notifications", summary: "SMS, e-mail and in-app messages"))
    let messages = DossierMessages(templates: templates, notifications: notifications, preferences: preferences, composer: composer, policy: policy,
                                   portalURL: try settings.value("PORTAL_PUBLIC_URL", default: "http://127.0.0.1:8080"), now: clock,
                                   logger: runtime.logger)
    for type in DossierMessages.types {
        builder.eventHandlers[type] = { envelope, db in try await messages.handle(envelope, in: db) }
    }
    let documentMessages = DocumentMessages(templates: templates, notifications: notifications, composer: composer, policy: policy,
                                            client: runtime.client, now: clock, logger: runtime.logger)
    builder.eventHandlers[EventType.documentDispatched] = { envelope, db in try await documentMessages.handle(envelope, in: db) }
    builder.eventHandlers[EventType.documentSignRequested] = { envelope, db in try await documentMessages.signRequested(envelope, in: db) }
    if try settings.value("SENDERS", default: "on") != "off" {
        let channels = try overrides.channels ?? deliveryChannels(settings, runtime: runtime, callback: callback, unicode: unicodeSMS, now: clock)
        builder.extraServices.append(Sender(
            queue: queue, channels: channels,
            settings: Sender.Settings(workers: try settings.integer("SENDER_WORKERS", default: 4, range: 1...64),
                                      batchSize: try settings.integer("SENDER_BATCH", default: 100, range: 1...1000),
                                      lease: try settings.seconds("DELIVERY_LEASE_SECONDS", default: 30)),
            now: clock, logger: runtime.logger
        ))
    }
    let router = builder.makeRouter()
    TemplateController(templates: templates, database: runtime.database, composer: composer).register(on: router, openAPI: &builder.openAPI)
    let perSecond = try settings.integer("GLOBAL_RATE_PER_SECOND", default: 5000, range: 1...1_000_000)
    let admission = MessageAdmission(
        perRecipient: RateLimiter(perMinute: try settings.integer("RECIPIENT_RATE_PER_MINUTE", default: 10, range: 1...100_000),
                                  burst: try settings.integer("RECIPIENT_RATE_BURST", default: 10, range: 1...100_000)),
        overall: RateLimiter(perMinute: 60 * perSecond, burst: perSecond)
    )
    NotificationController(
        notifications: notifications, templates: templates, composer: composer, policy: policy,
        batcher: WriteBatcher(database: runtime.database, maximum: 128, conflictKey: { $0.claimID },
                              write: { try await notifications.accept($0, admission: admission, in: $1) }),
        database: runtime.database, now: clock
    ).register(on: router, openAPI: &builder.openAPI)
    InboxController(notifications: notifications, database: runtime.database, now: clock).register(on: router, openAPI: &builder.openAPI)
    PreferencesController(preferences: preferences, database: runtime.database, now: clock).register(on: router, openAPI: &builder.openAPI)
    DeliveryController(queue: queue, notifications: notifications, callback: callback, now: clock).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}

/// The channels as configured: SMS through the eSMS-shaped gateway at `SMS_GATEWAY_URL` (or the sandbox's, found
/// through discovery, when that is not set); e-mail through the SMTP server at `SMTP_URL`.
private func deliveryChannels(_ settings: ServiceSettings, runtime: ServiceRuntime, callback: SMSCallback, unicode: Bool,
                              now: @escaping @Sendable () -> Date) throws
    -> [MessageTemplate.Channel: any MessageChannel] {
    let gatewayURL = runtime.baseURL(configured: try settings.gatewayURL("SMS_GATEWAY_URL"), discovering: Topology.sandbox)
    let sms = ESMSChannel(http: ESMSChannel.client, gatewayURL: gatewayURL, account: ESMSChannel.Account(
        apiKey: try settings.value("SMS_API_KEY", default: SandboxDefaults.smsAPIKey, requiredInProduction: true),
        // The sandbox's credentials on a laptop; in production the gateway's own, checked like every secret.
        secretKey: try settings.secret("SMS_SECRET_KEY", generateLocally: false) ?? SandboxDefaults.smsSecretKey,
        brandname: try settings.value("SMS_BRANDNAME", default: SandboxDefaults.smsBrandname, requiredInProduction: true),
        unicode: unicode
    ), callback: callback)
    var channels: [MessageTemplate.Channel: any MessageChannel] = [.sms: sms]
    let smtp = try settings.value("SMTP_URL", default: "", requiredInProduction: true)
    if smtp.isEmpty {
        runtime.logger.warning("SMTP_URL is not set: e-mail messages are kept and wait until a mail server is configured")
    } else {
        let caFile = try settings.value("SMTP_CA_FILE", default: "")
        channels[.email] = SMTPChannel(server: SMTPChannel.Server(
            url: smtp, username: try settings.value("SMTP_USERNAME", default: ""), password: try settings.value("SMTP_PASSWORD", default: ""),
            requireTLS: try settings.value("SMTP_REQUIRE_TLS", default: "true") != "false", caFile: caFile.isEmpty ? nil : caFile,
            fromAddress: try settings.value("SMTP_FROM", default: "thongbao@dichvucong.kiengiang.gov.vn"),
            fromName: try settings.value("SMTP_FROM_NAME", default: "Cổng Dịch vụ công tỉnh Kiên Giang")
        ), now: now)
    }
    return channels
}
