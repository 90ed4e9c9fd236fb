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
    let portalSettings: ServiceSettings
    let fixture: PortalFixture

    static func run(environment: [String: String] = [:], singleWindowEnvironment: [String: String] = [:], documents: Bool = false,
                    _ body: @escaping @Sendable (PortalPlatform) async throws -> Void) async throws {
        let fixture = PortalFixture(environment: environment)
        let portalSettings = fixture.settings
        let issuer = try await TokenIssuer.loadOrCreate(settings: portalSettings)
        let jwks = URL(fileURLWithPath: portalSettings.dataDirectory).appendingPathComponent("jwks.json")
        try FileManager.default.createDirectory(atPath: portalSettings.dataDirectory, withIntermediateDirectories: true)
        try JSONEncoder().encode(issuer.jwks).write(to: jwks)
        var singleWindowSettings = ServiceSettings.testing(name: "single-window", environment: [
            "DEMO_DATA": "handwritten", "RESULT_SIGNATURE_CHECK": "off",
        ].merging(singleWindowEnvironment) { $1 })
        singleWindowSettings.jwksURL = jwks.absoluteString
        let singleWindow = try await buildSingleWindowApplication(singleWindowSettings)
        try await singleWindow.test(.live) { singleWindowClient in
            let urls = [Topology.singleWindow: "http://127.0.0.1:\(try #require(singleWindowClient.port))", Topology.notifications: "http://127.0.0.1:9",
                        Topology.documents: "http://127.0.0.1:9"]
            guard documents else {
                try await self.portal(fixture, portalSettings, urls, singleWindowClient, nil, body)
                return
            }
            var documentsSettings = ServiceSettings.testing(name: "documents", environment: ["DOCUMENTS_PUBLIC_URL": "http://documents.test"])
            documentsSettings.jwksURL = jwks.absoluteString
            try await buildDocumentsApplication(documentsSettings).test(.live) { documentsClient in
                var withDocuments = urls
                withDocuments[Topology.documents] = "http://127.0.0.1:\(try #require(documentsClient.port))"
                try await self.portal(fixture, portalSettings, withDocuments, singleWindowClient, documentsClient, body)
            }
        }
    }

    private static func portal(_ fixture: PortalFixture, _ portalSettings: ServiceSettings, _ urls: [String: String],
                               _ singleWindow: any TestClientProtocol, _ documents: (any TestClientProtocol)?,
                               _ body: @escaping @Sendable (PortalPlatform) async throws -> Void) async throws {
        var settings = portalSettings
        settings.fixedServiceURLs = urls
        let clock = fixture.clock
        let portal = try await buildPortalApplication(settings, clock: { clock.now }, codeSender: fixture.codes)
        let finalSettings = settings
        try await portal.test(.router) { client in
            try await body(PortalPlatform(browser: PortalBrowser(client), singleWindow: singleWindow, documents: documents,
                                          portalSettings: finalSettings, fixture: fixture))
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
}
