import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import PortalApp
import ServiceKit
import ServiceTesting
import DocumentsApp
import PaymentsApp
import SandboxApp
import SingleWindowApp
import Testing

/// The portal in front of a live single-window with the handwritten demo catalog; single-window trusts the
/// portal's token key, as it does in service.
struct PortalPlatform {
    static let honTre = "000.55.01.H33"
    /// Đăng ký thường trú (level 3 at commune level).
    static let residence = "1.004194"

    let browser: PortalBrowser
    let singleWindow: any TestClientProtocol
    /// Documents, when the test asked for it (`documents: true`).
    var documents: (any TestClientProtocol)? = nil
    /// Payments and the sandbox bank, when the test asked for them (`payments: true`).
    var payments: (any TestClientProtocol)? = nil
    var bank: (any TestClientProtocol)? = nil
    let portalSettings: ServiceSettings
    let fixture: PortalFixture

    struct Partners {
        var documents: (any TestClientProtocol)?
        var payments: (any TestClientProtocol)?
        var bank: (any TestClientProtocol)?
    }

    static func run(environment: [String: String] = [:], singleWindowEnvironment: [String: String] = [:], documents: Bool = false, payments: Bool = false,
                    _ body: @escaping @Sendable (PortalPlatform) async throws -> Void) async throws {
        let fixture = PortalFixture(environment: environment)
        let portalSettings = fixture.settings
        let singleWindowSettings = try await trusting(ServiceSettings.testing(name: "single-window", environment: [
            "DEMO_DATA": "handwritten", "DOCUMENTS_CHECKS": "off",
        ].merging(singleWindowEnvironment) { $1 }), tokensOf: portalSettings)
        let singleWindow = try await buildSingleWindowApplication(singleWindowSettings)
        try await singleWindow.test(.live) { singleWindowClient in
            let urls = [Topology.singleWindow: "http://127.0.0.1:\(try #require(singleWindowClient.port))", Topology.notifications: "http://127.0.0.1:9",
                        Topology.documents: "http://127.0.0.1:9"]
            guard documents || payments else {
                try await self.portal(fixture, portalSettings, urls, singleWindowClient, Partners(), body)
                return
            }
            let documentsSettings = try await trusting(ServiceSettings.testing(name: "documents", environment: ["DOCUMENTS_PUBLIC_URL": "http://documents.test"]),
                                                       tokensOf: portalSettings)
            try await buildDocumentsApplication(documentsSettings).test(.live) { documentsClient in
                let documentsURL = "http://127.0.0.1:\(try #require(documentsClient.port))"
                let withDocuments = urls.merging([Topology.documents: documentsURL]) { $1 }
                guard payments else {
                    try await self.portal(fixture, portalSettings, withDocuments, singleWindowClient, Partners(documents: documentsClient), body)
                    return
                }
                try await buildSandboxApplication(ServiceSettings.testing(name: "sandbox")).test(.live) { bank in
                    let bankURL = "http://127.0.0.1:\(try #require(bank.port))"
                    var paymentsSettings = try await trusting(ServiceSettings.testing(name: "payments", environment: [
                        "PAYMENT_SWEEP": "off", "PAYMENTS_PUBLIC_URL": "http://payments.test",
                    ]), tokensOf: portalSettings)
                    paymentsSettings.fixedServiceURLs = [Topology.singleWindow: urls[Topology.singleWindow]!, Topology.sandbox: bankURL]
                    try await buildPaymentsApplication(paymentsSettings).test(.live) { paymentsClient in
                        let paymentsURL = "http://127.0.0.1:\(try #require(paymentsClient.port))"
                        _ = try await bank.execute(uri: "/bank/control", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: #"{"ipnUrl":"\#(paymentsURL)\#(VNPay.ipnPath)"}"#)) { _ in }
                        var all = withDocuments
                        all[Topology.payments] = paymentsURL
                        try await self.portal(fixture, portalSettings, all, singleWindowClient,
                                              Partners(documents: documentsClient, payments: paymentsClient, bank: bank), body)
                    }
                }
            }
        }
    }

    private static func portal(_ fixture: PortalFixture, _ portalSettings: ServiceSettings, _ urls: [String: String],
                               _ singleWindow: any TestClientProtocol, _ partners: Partners,
                               _ body: @escaping @Sendable (PortalPlatform) async throws -> Void) async throws {
        var settings = portalSettings
        settings.fixedServiceURLs = urls
        let clock = fixture.clock
        let portal = try await buildPortalApplication(settings, clock: { clock.now }, codeSender: fixture.codes)
        let finalSettings = settings
        try await portal.test(.router) { client in
            // A failing step is reported here, before the services shut down around it.
            do {
                try await body(PortalPlatform(browser: PortalBrowser(client), singleWindow: singleWindow, documents: partners.documents,
                                              payments: partners.payments, bank: partners.bank, portalSettings: finalSettings, fixture: fixture))
            } catch {
                Issue.record(error, "the test stopped at an error")
            }
        }
    }

    func token(_ identity: Identity) async throws -> HTTPFields {
        let token = try await TokenIssuer.loadOrCreate(settings: self.portalSettings).token(for: identity)
        return [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    /// An online dossier for permanent residence at Hòn Tre, by `citizen`, received by the commune's officer.
    func receivedDossier(citizen: String = "citizen-1", phone: String = "0912 345 678") async throws -> DossierView {
        let request = SubmitDossierRequest(
            procedureCode: Self.residence, agencyCode: Self.honTre, channel: .online,
            applicant: Applicant(fullName: "Trần Thị Bích", citizenId: "091195000456", phone: phone, email: "bich@example.vn",
                                 address: "Ấp Bãi Nhà, xã Hòn Tre, huyện Kiên Hải"),
            attachments: ["Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "Giấy tờ chứng minh chỗ ở hợp pháp"].map { Attachment(documentName: $0, fileId: nil) },
            delivery: .init(method: .online))
        let submitted = try await self.singleWindow.execute(
            uri: "/v1/dossiers", method: .post, headers: try await self.token(Identity(subject: citizen, roles: [.citizen])),
            body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(request))
        ) { try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView)) }
        return try await self.singleWindow.execute(
            uri: "/v1/dossiers/\(submitted.id)/actions", method: .post,
            headers: try await self.token(Identity(subject: "officer-hontre", roles: [.officer], agency: Self.honTre)),
            body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(DossierActionRequest(action: .receive, expectedVersion: submitted.version)))
        ) { try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView)) }
    }

    static let officer = Identity(subject: "officer-hontre", roles: [.officer], agency: honTre)

    /// Submits the residence procedure through the portal's form as the signed-in citizen; the dossier's id.
    func submitThroughPortal(delivery: DeliveryMethod = .online) async throws -> String {
        let form = try await self.browser.get("/procedures/\(Self.residence)/submit")
        var fields = SubmissionTests.fill(form)
        fields["delivery.method"] = delivery.rawValue
        let sent = try await self.browser.postMultipart("/procedures/\(Self.residence)/submit", fields, files: SubmissionTests.twoFiles, from: form)
        let location = try #require(sent.location, "the submission went through: \(sent.status) \(sent.html.prefix(300))")
        return String(location.dropFirst("/my/dossiers/".count).prefix { $0 != "?" })
    }

    /// An officer's action on the dossier through single-window's API; the dossier after it.
    @discardableResult
    func officer(_ action: DossierAction, on id: String, comment: String? = nil, supplement: SupplementRequirement? = nil, result: DossierResult? = nil,
                 handover: Handover? = nil) async throws -> DossierView {
        let headers = try await self.token(Self.officer)
        let current = try await self.singleWindow.execute(uri: "/v1/dossiers/\(id)", method: .get, headers: headers) {
            try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView))
        }
        let request = DossierActionRequest(action: action, expectedVersion: current.version, comment: comment, supplement: supplement, result: result, handover: handover)
        return try await self.singleWindow.execute(uri: "/v1/dossiers/\(id)/actions", method: .post, headers: headers,
                                                   body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(request))) { response in
            guard response.status == .ok else { throw Problem(response.status, detail: String(buffer: response.body)) }
            return try JSONDecoder.motcua.decode(DossierView.self, from: Data(response.body.readableBytesView))
        }
    }
}
