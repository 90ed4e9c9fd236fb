import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Builds the payments service: online payments through the VNPay-compatible bank gateway (the sandbox's, found
/// through discovery, unless `BANK_GATEWAY_URL` is set), counter payments, refunds, reconciliation and reports.
/// - Parameter clock: the service's time (tests move it to expire payments).
public func buildPaymentsApplication(
    _ settings: ServiceSettings, clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    // Every setting is read before the database opens, so a wrong one stops the start with nothing left open.
    let publicURL = try settings.value("PAYMENTS_PUBLIC_URL", default: "http://\(settings.advertiseAddress):\(settings.port)")
    let gatewaySetting = try settings.gatewayURL("BANK_GATEWAY_URL")
    let apiSetting = settings.environment["BANK_API_URL"]?.isEmpty == false ? try settings.gatewayURL("BANK_API_URL") : gatewaySetting
    let account = VNPayMerchant.Account(tmnCode: try settings.value("BANK_TMN_CODE", default: SandboxDefaults.bankTmnCode, requiredInProduction: true),
                                        secret: try settings.secret("BANK_SECRET", generateLocally: false) ?? SandboxDefaults.bankSecret)
    let serverIP = try settings.value("PAYMENTS_SERVER_IP", default: "127.0.0.1")
    let expiry = try settings.seconds("PAYMENT_EXPIRY_SECONDS", default: 15 * 60)
    let returnOrigins = try ReturnOrigins(settings: settings)
    let sweeping = try settings.value("PAYMENT_SWEEP", default: "on") != "off"
    let sweepEvery = try settings.seconds("PAYMENT_SWEEP_SECONDS", default: 30)
    let queryAfter = try settings.seconds("PAYMENT_QUERY_AFTER_SECONDS", default: 5 * 60)

    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: PaymentsMigrations.all, subscriptions: Subscriptions.table, publishers: Publishers.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua payments", summary: "Fee payments through the bank gateway"))
    let merchant = VNPayMerchant(account: account, gatewayURL: runtime.baseURL(configured: gatewaySetting, discovering: Topology.sandbox),
                                 apiURL: runtime.baseURL(configured: apiSetting, discovering: Topology.sandbox),
                                 returnURL: publicURL + GatewayController.returnPath, http: runtime.http, serverIP: serverIP)
    let workflow = PaymentWorkflow(runtime: runtime, payments: PaymentRepository(database: runtime.database), merchant: merchant, now: clock)
    let payments = PaymentController(intake: PaymentIntake(workflow: workflow, expiry: expiry, returnOrigins: returnOrigins), publicURL: publicURL)
    let refunds = RefundController(workflow: workflow, payments: payments)
    if sweeping {
        builder.extraServices.append(PaymentSweeper(workflow: workflow, refunds: refunds, interval: .milliseconds(Int(sweepEvery * 1000)),
                                                    quietFor: queryAfter))
    }
    let router = builder.makeRouter()
    payments.register(on: router, openAPI: &builder.openAPI)
    refunds.register(on: router, openAPI: &builder.openAPI)
    GatewayController(workflow: workflow).register(on: router, openAPI: &builder.openAPI)
    ReportsController(workflow: workflow).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
