import Contracts
import DomainKit
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
@testable import PaymentsApp
import SandboxApp
import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

/// The payments service as it runs: with the real single-window (demo catalog) it asks for fees and sends events to,
/// and the sandbox bank that pays and sends IPNs, each on its own port on 127.0.0.1.
struct PaymentsPlatform {
    let payments: any TestClientProtocol
    let singleWindow: any TestClientProtocol
    let bank: any TestClientProtocol
    let paymentsSettings: ServiceSettings
    let singleWindowSettings: ServiceSettings

    static let honTre = "000.55.01.H33"
    static let anSon = "000.55.03.H33"
    /// Đăng ký thường trú: a commune's level-4 procedure with a 20,000 VND fee.
    static let procedure = "1.004194"
    static let fee = VND(20_000)
    static let portalReturn = "http://127.0.0.1:8080/thanh-toan/ket-qua"

    var citizen: Identity { Identity(subject: "citizen-pay-1", roles: [.citizen]) }
    var officer: Identity { Identity(subject: "officer-hontre", roles: [.officer], agency: Self.honTre) }
    var otherOfficer: Identity { Identity(subject: "officer-anson", roles: [.officer], agency: Self.anSon) }
    var admin: Identity { Identity(subject: "admin-1", roles: [.admin]) }

    typealias Body = @Sendable (PaymentsPlatform) async throws -> Void

    /// Runs `body` with the three services live. `environment` adds payments settings; the sweep is off unless asked.
    static func run(environment: [String: String] = [:], clock: TestClock? = nil, _ body: @escaping Body) async throws {
        let singleWindowSettings = try await trustingTestTokens(ServiceSettings.testing(name: "single-window", environment: ["DEMO_DATA": "handwritten"]))
        let singleWindow = try await buildSingleWindowApplication(singleWindowSettings)
        try await singleWindow.test(.live) { singleWindowClient in
            try await self.withBank(singleWindowClient, singleWindowSettings, environment, clock, body)
        }
    }

    private static func withBank(_ singleWindow: any TestClientProtocol, _ singleWindowSettings: ServiceSettings, _ environment: [String: String],
                                 _ clock: TestClock?, _ body: @escaping Body) async throws {
        let sandbox = try await buildSandboxApplication(ServiceSettings.testing(name: "sandbox"))
        try await sandbox.test(.live) { bank in
            try await self.withPayments(singleWindow, singleWindowSettings, bank, environment, clock, body)
        }
    }

    private static func withPayments(_ singleWindow: any TestClientProtocol, _ singleWindowSettings: ServiceSettings,
                                     _ bank: any TestClientProtocol, _ environment: [String: String], _ clock: TestClock?,
                                     _ body: @escaping Body) async throws {
        var settings = try await trustingTestTokens(ServiceSettings.testing(
            name: "payments", environment: ["PAYMENT_SWEEP": "off", "PAYMENTS_PUBLIC_URL": "http://payments.test"].merging(environment) { $1 }))
        let singleWindowPort: Int = try #require(singleWindow.port)
        let bankPort: Int = try #require(bank.port)
        settings.fixedServiceURLs = [Topology.singleWindow: "http://127.0.0.1:\(singleWindowPort)", Topology.sandbox: "http://127.0.0.1:\(bankPort)"]
        let now: @Sendable () -> Date
        if let clock { now = { clock.now } } else { now = { Date() } }
        let payments = try await buildPaymentsApplication(settings, clock: now)
        let paymentsSettings = settings
        try await payments.test(.live) { client in
            // The merchant's IPN URL, set at the bank once the service has its port.
            let port: Int = try #require(client.port)
            _ = try await bank.execute(uri: "/bank/control", method: .post, headers: [.contentType: "application/json"],
                                       body: ByteBuffer(string: #"{"ipnUrl":"http://127.0.0.1:\#(port)\#(VNPay.ipnPath)"}"#)) { _ in }
            try await body(PaymentsPlatform(payments: client, singleWindow: singleWindow, bank: bank, paymentsSettings: paymentsSettings,
                                            singleWindowSettings: singleWindowSettings))
        }
    }

    // MARK: Tokens

    func paymentsToken(_ identity: Identity) async throws -> HTTPFields {
        let issuer = try await TokenIssuer.loadOrCreate(settings: self.paymentsSettings)
        return [.authorization: "Bearer \(try await issuer.token(for: identity))", .contentType: "application/json"]
    }

    func singleWindowToken(_ identity: Identity) async throws -> HTTPFields {
        let issuer = try await TokenIssuer.loadOrCreate(settings: self.singleWindowSettings)
        return [.authorization: "Bearer \(try await issuer.token(for: identity))", .contentType: "application/json"]
    }

    func keyed(_ identity: Identity, key: String = UUID().uuidString) async throws -> HTTPFields {
        var headers = try await self.paymentsToken(identity)
        headers[.idempotencyKey] = key
        return headers
    }

    // MARK: Dossiers

    /// A citizen's online dossier for the permanent-residence procedure at Hòn Tre; `awaitingFee` takes it through
    /// reception and processing to the fee wait.
    func dossier(awaitingFee: Bool = false) async throws -> DossierView {
        let request = SubmitDossierRequest(
            procedureCode: Self.procedure, agencyCode: Self.honTre, channel: .online,
            applicant: Applicant(fullName: "Trần Thị Bích", citizenId: "091195000456", phone: "0912 345 678", email: "bich@example.vn",
                                 address: "Ấp Bãi Nhà, xã Hòn Tre, huyện Kiên Hải"),
            attachments: ["Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "Giấy tờ chứng minh chỗ ở hợp pháp"].map { Attachment(documentName: $0, fileId: nil) },
            delivery: .init(method: .online))
        var dossier = try await self.singleWindow.execute(uri: "/v1/dossiers", method: .post, headers: try await self.singleWindowToken(self.citizen),
                                                          body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(request))) { response in
            try JSONDecoder.motcua.decode(DossierView.self, from: Data(response.body.readableBytesView))
        }
        if awaitingFee {
            for action in [DossierAction.receive, .startProcessing, .requestFee] {
                dossier = try await self.singleWindow.execute(
                    uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: try await self.singleWindowToken(self.officer),
                    body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(DossierActionRequest(action: action, expectedVersion: dossier.version)))
                ) { response in
                    try JSONDecoder.motcua.decode(DossierView.self, from: Data(response.body.readableBytesView))
                }
            }
        }
        return dossier
    }

    func dossierStatus(_ id: String) async throws -> DossierStatus? {
        try await self.singleWindow.execute(uri: "/v1/dossiers/\(id)", method: .get, headers: try await self.singleWindowToken(self.officer)) {
            (try? JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView)))?.status
        }
    }

    /// Waits (up to 10 s) for `count` entries of the dossier's history, as events arrive through the outbox.
    func history(of id: String, including action: String, count: Int = 1) async throws -> [DossierEventView] {
        var history: [DossierEventView] = []
        for _ in 0..<100 {
            history = try await self.singleWindow.execute(uri: "/v1/dossiers/\(id)", method: .get, headers: try await self.singleWindowToken(self.officer)) {
                (try? JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView)))?.history ?? []
            }
            if history.filter({ $0.action == action }).count >= count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return history
    }

    // MARK: Payments

    func createRequest(_ dossier: DossierView, amount: VND = Self.fee, returnUrl: String = Self.portalReturn) -> CreatePaymentRequest {
        CreatePaymentRequest(dossierCode: dossier.code, items: [FeeItem(name: "Lệ phí", amount: amount)], payer: Payer(name: "Trần Thị Bích"),
                             returnUrl: returnUrl)
    }

    /// Creates a payment as the citizen; fails the test unless the service answers 201.
    func create(_ dossier: DossierView) async throws -> PaymentView {
        try await self.payments.execute(uri: "/v1/payments", method: .post, headers: try await self.keyed(self.citizen),
                                        body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(self.createRequest(dossier)))) { response in
            guard response.status == .created else { throw Failure("create answered \(response.status): \(String(buffer: response.body))") }
            return try JSONDecoder.motcua.decode(PaymentView.self, from: Data(response.body.readableBytesView))
        }
    }

    func payment(_ id: String, as identity: Identity? = nil) async throws -> PaymentView {
        try await self.payments.execute(uri: "/v1/payments/\(id)", method: .get, headers: try await self.paymentsToken(identity ?? self.admin)) {
            try JSONDecoder.motcua.decode(PaymentView.self, from: Data($0.body.readableBytesView))
        }
    }

    /// Waits (up to 10 s) for the payment to reach a state, as the bank's IPN arrives on its own.
    func payment(_ id: String, reaching state: PaymentState) async throws -> PaymentView {
        var payment = try await self.payment(id)
        for _ in 0..<200 where payment.state != state {
            try await Task.sleep(for: .milliseconds(50))
            payment = try await self.payment(id)
        }
        return payment
    }

    /// The payer's browser: from our pay URL to the bank's page, the decision, and back through our return URL.
    /// Returns where the portal is asked to show the result (the final Location).
    func payAtBank(_ payment: PaymentView, _ decision: String = "approve") async throws -> String {
        let bankPage = try await self.payments.execute(uri: "/v1/payments/\(payment.id)/pay", method: .get) { response in
            guard response.status == .seeOther, let location = response.headers[.location] else { throw Failure("pay answered \(response.status)") }
            return location
        }
        let page = try await self.bank.execute(uri: Self.pathAndQuery(bankPage), method: .get) { String(buffer: $0.body) }
        guard page.contains("Xác nhận thanh toán") else { throw Failure("the bank page did not open: \(page)") }
        let back = try await self.bank.execute(uri: "/paymentv2/decide", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                               body: ByteBuffer(string: "txnRef=\(payment.reference)&decision=\(decision)")) { response in
            guard response.status == .seeOther, let location = response.headers[.location] else { throw Failure("decide answered \(response.status)") }
            return location
        }
        return try await self.payments.execute(uri: Self.pathAndQuery(back), method: .get) { response in
            guard response.status == .seeOther, let location = response.headers[.location] else { throw Failure("return answered \(response.status)") }
            return location
        }
    }

    /// A signed IPN query for a payment, as the bank would send it, with some parameters changed or added.
    func ipn(_ payment: PaymentView, responseCode: String = "00", status: String = "00", amount: VND? = nil, txnRef: String? = nil,
             secret: String = SandboxDefaults.bankSecret) -> [String: String] {
        var parameters = [
            "vnp_Amount": VNPay.amount(amount ?? payment.amount), "vnp_BankCode": "NCB", "vnp_OrderInfo": "Nop phi ho so \(payment.dossierCode)",
            "vnp_PayDate": VNPay.timestamp(Date()), "vnp_ResponseCode": responseCode, "vnp_TmnCode": SandboxDefaults.bankTmnCode,
            "vnp_TransactionNo": "14999001", "vnp_TransactionStatus": status, "vnp_TxnRef": txnRef ?? payment.reference,
        ]
        parameters["vnp_SecureHash"] = VNPay.signature(parameters, secret: secret)
        return parameters
    }

    /// Sends an IPN to the payments service; its RspCode.
    func sendIPN(_ parameters: [String: String]) async throws -> String {
        let query = VNPay.signingString(parameters) + "&vnp_SecureHash=" + (parameters["vnp_SecureHash"] ?? "")
        return try await self.payments.execute(uri: VNPay.ipnPath + "?" + query, method: .get) { response in
            try JSONDecoder().decode(VNPay.IPNAnswer.self, from: Data(response.body.readableBytesView)).RspCode
        }
    }

    func bankControl(_ json: String) async throws {
        _ = try await self.bank.execute(uri: "/bank/control", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json)) { _ in }
    }

    static func pathAndQuery(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return url }
        return String(url[slash...])
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
