import Contracts
import DocumentsApp
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import ServiceTesting
@testable import SingleWindowApp
import Testing

/// A result is ready only when its file is signed in the documents service (a real one, on its own port).
@Suite("Results are signed documents")
struct ResultDocumentTests {
    static let leader = Identity(subject: "leader-hontre", roles: [.leader], agency: KienGiangCodes.honTre)

    @Test func aResultMustBeASignedDocumentAndCarriesItsVerificationCode() async throws {
        let documentsSettings = try await trustingTestTokens(ServiceSettings.testing(name: "documents"))
        try await buildDocumentsApplication(documentsSettings).test(.live) { documents in
            let port: Int = try #require(documents.port)
            let docsToken = try await TokenIssuer.loadOrCreate(settings: documentsSettings)
            @Sendable func docs(_ identity: Identity) async throws -> HTTPFields { [.authorization: "Bearer \(try await docsToken.token(for: identity))"] }
            let unsigned = try await documents.execute(uri: "/v1/files?name=ket-qua.pdf", method: .post, headers: try await docs(Self.leader),
                                                       body: ByteBuffer(string: "%PDF-1.7\nGiay chung nhan ket hon\n%%EOF\n")) {
                try #require(jsonObject($0)?["id"] as? String)
            }
            _ = try await documents.execute(uri: "/v1/pki/certificates", method: .post, headers: try await docs(Identity(subject: "a", roles: [.admin])),
                                            body: ByteBuffer(string: #"{"subject":"leader-hontre","name":"Chủ tịch UBND xã Hòn Tre"}"#))
            try await Self.withFixedDocuments(port: port) { client, fixture in
                var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: try await fixture.token(fixture.officer),
                                                                        body: try body(fixture.request(channel: .counter)))))
                dossier = try #require(view(try await client.act(dossier, .complete(.startProcessing, version: dossier.version),
                                                                 as: try await fixture.token(fixture.officer))))
                func ready(_ fileID: String) async throws -> TestResponse {
                    try await client.act(dossier, DossierActionRequest(action: .markResultReady, expectedVersion: dossier.version,
                                                                      result: DossierResult(fileId: fileID, number: "15/2026/GCNKH", signer: "Chủ tịch")),
                                         as: try await fixture.token(fixture.officer))
                }
                let notSigned = try await ready(unsigned)
                #expect(notSigned.status == .unprocessableContent && problemOf(notSigned)?.errors?.first?.code == "result.unsigned")
                #expect(problemOf(try await ready("no-such-file"))?.errors?.first?.code == "result.unknown")
                let signed = try await documents.execute(uri: "/v1/documents/\(unsigned)/signatures", method: .post, headers: try await docs(Self.leader)) {
                    try #require(jsonObject($0)?["code"] as? String)
                }
                let done = try await ready(unsigned)
                #expect(done.status == .ok)
                #expect(view(done)?.status == .resultReady && view(done)?.result?.verificationCode == signed)
            }
            // The documents service cannot be reached: nothing changes, and the officer is told to try again.
            try await Self.withFixedDocuments(port: 9) { _, _ in }
        }
    }

    /// Runs single-window with the documents checks on and the documents service at `port` (9: nothing listens).
    static func withFixedDocuments(port: Int, _ run: @escaping @Sendable (any TestClientProtocol, DossierFixture) async throws -> Void) async throws {
        var settings = try await trustingTestTokens(ServiceSettings.testing(name: "single-window", environment: ["DEMO_DATA": "handwritten"]))
        settings.fixedServiceURLs = [Topology.documents: "http://127.0.0.1:\(port)"]
        let fixture = DossierFixture(settings: settings)
        try await buildSingleWindowApplication(settings).test(.router) { client in
            if port == 9 {
                var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: try await fixture.token(fixture.officer),
                                                                        body: try body(fixture.request(channel: .counter)))))
                dossier = try #require(view(try await client.act(dossier, .complete(.startProcessing, version: dossier.version),
                                                                 as: try await fixture.token(fixture.officer))))
                let down = try await client.act(dossier, .complete(.markResultReady, version: dossier.version), as: try await fixture.token(fixture.officer))
                #expect(down.status == .serviceUnavailable)
                #expect(view(try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: try await fixture.token(fixture.officer)))?
                    .status == .processing)
                // Nor can a draft be filed, nor an online dossier with a file be taken in: 503, nothing written.
                let draft = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/result-draft", method: .post, headers: try await fixture.token(fixture.officer),
                                                     body: try body(ResultDraftRequest(fileId: "f", number: "1/KQ", signer: "Chủ tịch", leader: "leader-hontre",
                                                                                       expectedVersion: dossier.version)))
                #expect(draft.status == .serviceUnavailable)
                #expect(view(try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: try await fixture.token(fixture.officer)))?
                    .resultDraft == nil)
                var online = fixture.request(channel: .online)
                online.attachments[0].fileId = "f"
                let submitted = try await client.execute(uri: "/v1/dossiers", method: .post, headers: try await fixture.token(fixture.citizen), body: try body(online))
                #expect(submitted.status == .serviceUnavailable)
                let mine = try await client.execute(uri: "/v1/my/dossiers", method: .get, headers: try await fixture.token(fixture.citizen))
                #expect((jsonObject(mine)?["items"] as? [Any])?.isEmpty == true, "no dossier was made")
            } else {
                try await run(client, fixture)
            }
        }
    }
}
