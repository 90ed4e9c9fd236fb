import Contracts
import Hummingbird
import ServiceKit

/// Builds the sandbox service: the partners MotCua talks to, simulated on their real protocols. The brandname SMS
/// gateway (eSMS-shaped) and the bank gateway (VNPay-compatible) are here; VNPost and the national portal join with their issues.
public func buildSandboxApplication(_ settings: ServiceSettings) async throws -> some ApplicationProtocol {
    let loopbackOnly = try LoopbackOnly(settings: settings)
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: SandboxMigrations.all, subscriptions: Subscriptions.table, publishers: Publishers.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua sandbox", summary: "Simulated partners: bank gateway, SMS gateway, VNPost, national portal"))
    let router = builder.makeRouter()
    router.add(middleware: loopbackOnly)
    let gateway = SMSGateway(credentials: .init(
        apiKey: try settings.value("SANDBOX_SMS_API_KEY", default: SandboxDefaults.smsAPIKey),
        secretKey: try settings.value("SANDBOX_SMS_SECRET_KEY", default: SandboxDefaults.smsSecretKey),
        brandnames: Set(try settings.value("SANDBOX_SMS_BRANDNAMES", default: SandboxDefaults.smsBrandname).split(separator: ",").map(String.init))
    ))
    builder.extraServices.append(ReportPoster(gateway: gateway, logger: runtime.logger))
    SMSGatewayController(gateway: gateway).register(on: router, openAPI: &builder.openAPI)
    let bank = BankGateway(merchant: .init(tmnCode: try settings.value("SANDBOX_BANK_TMN_CODE", default: SandboxDefaults.bankTmnCode),
                                           secret: try settings.value("SANDBOX_BANK_SECRET", default: SandboxDefaults.bankSecret)))
    let configuredIPN = try settings.value("SANDBOX_BANK_IPN_URL", default: "")
    // The merchant's IPN URL as configured, else the payments service's, found through discovery.
    let ipnBase = runtime.baseURL(configured: configuredIPN, discovering: Topology.payments)
    let ipnPath = configuredIPN.isEmpty ? VNPay.ipnPath : ""
    let ipnURL: @Sendable () async throws -> String = { try await ipnBase() + ipnPath }
    BankController(gateway: bank, ipn: IPNSender(gateway: bank, ipnURL: ipnURL, logger: runtime.logger)).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
