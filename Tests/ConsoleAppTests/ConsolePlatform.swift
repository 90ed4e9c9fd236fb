import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PortalApp
import ServiceKit
import ServiceTesting
import SingleWindowApp
import DocumentsApp
import PaymentsApp
import Testing

/// The console in front of a live portal (the demo's staff accounts), a live single-window with the handwritten demo
/// catalog, documents and payments; every service trusts the portal's token key, as in service.
struct ConsolePlatform {
    static let honTre = "000.55.01.H33"
    /// Đăng ký thường trú (level 3 at commune level).
    static let residence = "1.004194"
    static let officerPhone = "0911000001"
    static let password = "demo1234"

    let browser: FormBrowser
    let singleWindow: any TestClientProtocol
    let portal: any TestClientProtocol
    let documents: any TestClientProtocol
    /// Payments, when the test asked for it.
    let payments: (any TestClientProtocol)?
    let portalSettings: ServiceSettings
    /// The console's settings and clock (tests move it to expire the officer's access token).
    let consoleSettings: ServiceSettings
    let clock: TestClock

    /// Runs `body` with the services live; payments only when asked (`payments: true`), else its address is a dead
    /// port and the dossier page shows no fees, as when payments is down.
    static func run(payments withPayments: Bool = false, portalEnvironment: [String: String] = [:], consoleEnvironment: [String: String] = [:],
                    _ body: @escaping @Sendable (ConsolePlatform) async throws -> Void) async throws {
        let portalSettings = ServiceSettings.testing(name: "portal", environment: ["BCRYPT_COST": "4", "DEMO_DATA": "1"]
            .merging(portalEnvironment) { $1 })
        let singleWindowSettings = try await trusting(ServiceSettings.testing(name: "single-window", environment: [
            "DEMO_DATA": "handwritten", "DOCUMENTS_CHECKS": "off",
        ]), tokensOf: portalSettings)
        try await buildSingleWindowApplication(singleWindowSettings).test(.live) { singleWindow in
            let singleWindowURL = "http://127.0.0.1:\(try #require(singleWindow.port))"
            var paymentsSettings = try await trusting(ServiceSettings.testing(name: "payments", environment: [
                "PAYMENT_SWEEP": "off", "PAYMENTS_PUBLIC_URL": "http://payments.test"]), tokensOf: portalSettings)
            paymentsSettings.fixedServiceURLs = [Topology.singleWindow: singleWindowURL, Topology.sandbox: "http://127.0.0.1:9"]
            let paymentsFinal = paymentsSettings
            if withPayments {
                try await buildPaymentsApplication(paymentsFinal).test(.live) { payments in
                    try await self.run(portalSettings, singleWindow, singleWindowURL, payments, consoleEnvironment, body)
                }
            } else {
                try await self.run(portalSettings, singleWindow, singleWindowURL, nil, consoleEnvironment, body)
            }
        }
    }

    private static func run(_ portalSettings: ServiceSettings, _ singleWindow: any TestClientProtocol, _ singleWindowURL: String,
                            _ payments: (any TestClientProtocol)?, _ consoleEnvironment: [String: String], _ body: @escaping @Sendable (ConsolePlatform) async throws -> Void) async throws {
        var portalAt = portalSettings
        portalAt.fixedServiceURLs = [Topology.singleWindow: singleWindowURL, Topology.notifications: "http://127.0.0.1:9"]
        let portalFinal = portalAt
        let documentsSettings = try await trusting(ServiceSettings.testing(name: "documents", environment: ["DOCUMENTS_PUBLIC_URL": "http://documents.test"]),
                                                   tokensOf: portalSettings)
        let paymentsURL = try payments.map { "http://127.0.0.1:\(try #require($0.port))" } ?? "http://127.0.0.1:9"
        try await buildDocumentsApplication(documentsSettings).test(.live) { documents in
            try await buildPortalApplication(portalFinal).test(.live) { portal in
                var consoleSettings = try await trusting(ServiceSettings.testing(name: "console", environment: consoleEnvironment), tokensOf: portalSettings)
                // A file of its own, so that a replica (`replica(reaching:)`) opens the same sessions.
                try FileManager.default.createDirectory(atPath: consoleSettings.dataDirectory, withIntermediateDirectories: true)
                consoleSettings.database = .sqliteFile(consoleSettings.dataDirectory + "/console.sqlite")
                consoleSettings.fixedServiceURLs = [Topology.singleWindow: singleWindowURL, Topology.portal: "http://127.0.0.1:\(try #require(portal.port))",
                                                    Topology.documents: "http://127.0.0.1:\(try #require(documents.port))", Topology.payments: paymentsURL]
                let clock = TestClock()
                let finalConsole = consoleSettings
                try await buildConsoleApplication(consoleSettings, clock: { clock.now }).test(.router) { console in
                    do {
                        try await body(ConsolePlatform(browser: FormBrowser(console), singleWindow: singleWindow, portal: portal, documents: documents,
                                                       payments: payments, portalSettings: portalSettings, consoleSettings: finalConsole, clock: clock))
                    } catch {
                        Issue.record(error, "the test stopped at an error")
                    }
                }
            }
        }
    }

    /// A second instance of the console on the same database and secrets (a replica, say) that reaches the services at
    /// `urls` instead (a dead port for a service that is down); its browser carries this browser's cookies.
    func replica(reaching urls: [String: String], environment: [String: String] = [:],
                 _ body: @escaping @Sendable (FormBrowser) async throws -> Void) async throws {
        var settings = self.consoleSettings
        settings.fixedServiceURLs.merge(urls) { $1 }
        settings.environment.merge(environment) { $1 }
        let clock = self.clock
        let browser = self.browser
        try await buildConsoleApplication(settings, clock: { clock.now }).test(.router) { client in
            let replica = FormBrowser(client)
            for name in ["motcua_staff", "motcua_csrf", "lang"] { replica.setCookie(name, browser.cookie(name)) }
            try await body(replica)
        }
    }

    func headers(_ identity: Identity) async throws -> HTTPFields {
        let token = try await TokenIssuer.loadOrCreate(settings: self.portalSettings).token(for: identity)
        return [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    /// An online dossier for permanent residence at Hòn Tre, submitted by a citizen (status 1: waiting for intake).
    func onlineDossier(applicant: String = "Trần Thị Bích") async throws -> DossierView {
        let request = SubmitDossierRequest(
            procedureCode: Self.residence, agencyCode: Self.honTre, channel: .online,
            applicant: Applicant(fullName: applicant, citizenId: "091195000456", phone: "0912 345 678", email: nil,
                                 address: "Ấp Bãi Nhà, xã Hòn Tre"),
            attachments: ["Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "Giấy tờ chứng minh chỗ ở hợp pháp"].map { Attachment(documentName: $0, fileId: nil) },
            delivery: .init(method: .online))
        return try await self.singleWindow.execute(
            uri: "/v1/dossiers", method: .post, headers: try await self.headers(Identity(subject: "citizen-1", roles: [.citizen])),
            body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(request))
        ) { response in
            guard response.status == .created else { throw Problem(.init(code: Int(response.status.code)), detail: String(buffer: response.body)) }
            return try JSONDecoder.motcua.decode(DossierView.self, from: Data(response.body.readableBytesView))
        }
    }

    func dossier(_ id: String) async throws -> DossierView {
        try await self.singleWindow.execute(uri: "/v1/dossiers/\(id)", method: .get,
                                            headers: try await self.headers(Identity(subject: "admin", roles: [.admin]))) {
            try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView))
        }
    }

    /// The payments of a dossier, as an administrator reads them at payments.
    func payments(of code: String) async throws -> [PaymentView] {
        try await #require(self.payments).execute(uri: "/v1/payments?dossier=\(code)", method: .get,
                                        headers: try await self.headers(Identity(subject: "admin", roles: [.admin]))) {
            try JSONDecoder.motcua.decode(Page<PaymentView>.self, from: Data($0.body.readableBytesView)).items
        }
    }

    /// A demo person's account id and a real access token from the portal (the password grant).
    func account(phone: String) async throws -> (id: String, token: String) {
        let token = try await self.portal.execute(uri: "/api/v1/token", method: .post, headers: [.contentType: "application/json"],
                                                  body: ByteBuffer(string: #"{"grantType":"password","phone":"\#(phone)","password":"\#(Self.password)"}"#)) {
            try JSONDecoder.motcua.decode(TokenResponse.self, from: Data($0.body.readableBytesView)).accessToken
        }
        let id = try await self.portal.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]) {
            try JSONDecoder.motcua.decode(AccountView.self, from: Data($0.body.readableBytesView)).id
        }
        return (id, token)
    }

    /// Signs the browser in at the console; the page it lands on.
    @discardableResult
    func signIn(phone: String = officerPhone, password: String = password) async throws -> BrowserPage {
        let form = try await self.browser.get("/login")
        return try await self.browser.post("/login", ["phone": phone, "password": password, "next": "/"], from: form)
    }
}
