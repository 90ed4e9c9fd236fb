import Contracts
import DocumentsApp
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import NIOCore
import ServiceKit
import ServiceTesting
import RegistryApp
@testable import SingleWindowApp
import Testing

/// Single-window and documents live on their own ports, finding each other through a real registry, their events
/// carried by their real outboxes: attachments are checked and opened to the agency, and a drafted result reaches the leader
/// as a sign request and comes back ready once signed.
@Suite("Results signed from a phone, attachments opened to the agency")
struct ResultSigningTests {
    static let honTre = KienGiangCodes.honTre
    static let officer = Identity(subject: "officer-hontre", roles: [.officer], agency: honTre)
    static let leader = Identity(subject: "leader-hontre", roles: [.leader], agency: honTre)
    static let citizen = Identity(subject: "citizen-1", roles: [.citizen])
    static let neighbour = Identity(subject: "citizen-2", roles: [.citizen])
    static let otherOfficer = Identity(subject: "officer-anson", roles: [.officer], agency: KienGiangCodes.anSon)

    struct Platform {
        let singleWindow: any TestClientProtocol
        let documents: any TestClientProtocol
        let issuer: TokenIssuer

        func headers(_ identity: Identity) async throws -> HTTPFields {
            [.authorization: "Bearer \(try await self.issuer.token(for: identity))", .contentType: "application/json"]
        }

        func upload(_ text: String, name: String, as identity: Identity) async throws -> String {
            try await self.documents.execute(uri: "/v1/files?name=\(name)", method: .post, headers: try await self.headers(identity),
                                             body: ByteBuffer(string: "%PDF-1.7\n\(text)\n%%EOF\n")) { try #require(jsonObject($0)?["id"] as? String) }
        }

        func dossier(_ id: String) async throws -> DossierView? {
            view(try await self.singleWindow.execute(uri: "/v1/dossiers/\(id)", method: .get, headers: try await self.headers(ResultSigningTests.officer)))
        }

        func canRead(_ file: String, as identity: Identity) async throws -> Bool {
            try await self.documents.execute(uri: "/v1/files/\(file)", method: .get, headers: try await self.headers(identity)).status == .ok
        }

        func pendingRequests(of identity: Identity) async throws -> [[String: Any]] {
            let response = try await self.documents.execute(uri: "/v1/sign-requests", method: .get, headers: try await self.headers(identity))
            return (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]) ?? []
        }

        func draft(_ dossier: DossierView, file: String) async throws -> TestResponse {
            try await self.singleWindow.execute(
                uri: "/v1/dossiers/\(dossier.id)/result-draft", method: .post, headers: try await self.headers(ResultSigningTests.officer),
                body: try body(ResultDraftRequest(fileId: file, number: "15/2026/GCNKH", signer: "Chủ tịch UBND xã Hòn Tre",
                                                  leader: ResultSigningTests.leader.subject, expectedVersion: dossier.version)))
        }
    }

    /// A real registry, and documents and single-window registered with it, finding each other as in service.
    static func run(documentsEnvironment: [String: String] = [:], _ body: @escaping @Sendable (Platform) async throws -> Void) async throws {
        try await try buildRegistryApplication(.testing(name: "registry")).test(.live) { registry in
            let registryURL = "http://127.0.0.1:\(try #require(registry.port))"
            var documentsSettings = try await trustingTestTokens(ServiceSettings.testing(name: "documents", environment: documentsEnvironment))
            documentsSettings.registryURL = registryURL
            var singleWindowSettings = try await trusting(ServiceSettings.testing(name: "single-window", environment: ["DEMO_DATA": "handwritten"]),
                                                          tokensOf: documentsSettings)
            singleWindowSettings.registryURL = registryURL
            let issuer = try await TokenIssuer.loadOrCreate(settings: documentsSettings)
            let finalSingleWindow = singleWindowSettings
            try await buildDocumentsApplication(documentsSettings).test(.live) { documents in
                try await buildSingleWindowApplication(finalSingleWindow).test(.live) { singleWindow in
                    func passing(_ service: String) async throws -> Bool {
                        try await registry.execute(uri: "/v1/health/service/\(service)?passing", method: .get) { $0.body.readableBytesView.count > 2 }
                    }
                    let registered = try await eventually {
                        let documents = try await passing("documents"), singleWindow = try await passing("single-window")
                        return documents && singleWindow
                    }
                    #expect(registered, "both registered")
                    do {
                        try await body(Platform(singleWindow: singleWindow, documents: documents, issuer: issuer))
                    } catch {
                        Issue.record(error, "the test stopped at an error")
                    }
                }
            }
        }
    }

    @Test func attachmentsMustBeTheApplicantsOwnAndTheAgencyThenReadsThem() async throws {
        try await Self.run { platform in
            let fixture = DossierFixture(settings: ServiceSettings.testing(name: "unused"))
            let mine = try await platform.upload("To khai dang ky ket hon", name: "to-khai.pdf", as: Self.citizen)
            let theirs = try await platform.upload("Giay to cua nguoi khac", name: "khac.pdf", as: Self.neighbour)
            #expect(try await platform.canRead(mine, as: Self.officer) == false, "an officer reads no citizen's file before it is submitted")

            func submit(_ file: String) async throws -> TestResponse {
                var request = fixture.request(channel: .online)
                request.attachments[0].fileId = file
                return try await platform.singleWindow.execute(uri: "/v1/dossiers", method: .post, headers: try await platform.headers(Self.citizen),
                                                               body: try body(request))
            }
            let borrowed = try await submit(theirs)
            #expect(borrowed.status == .unprocessableContent)
            #expect(problemOf(borrowed)?.errors?.map(\.code) == ["attachment.not-yours"])
            #expect(problemOf(borrowed)?.errors?.first?.en.contains("Tờ khai đăng ký kết hôn") == true, "the attachment is named as the citizen chose it")
            let unknown = try await submit("no-such-file")
            #expect(problemOf(unknown)?.errors?.map(\.code) == ["attachment.unknown"])
            #expect(try await platform.canRead(theirs, as: Self.officer) == false, "a refused submission opens nothing")
            let mine2 = try await platform.singleWindow.execute(uri: "/v1/my/dossiers", method: .get, headers: try await platform.headers(Self.citizen))
            #expect((jsonObject(mine2)?["items"] as? [Any])?.isEmpty ?? true, "and makes no dossier")

            let accepted = try await submit(mine)
            #expect(accepted.status == .created)
            #expect(try await platform.canRead(mine, as: Self.officer), "the receiving commune's officer reads the attachment")
            #expect(try await platform.canRead(mine, as: Self.otherOfficer) == false, "another commune's does not")
        }
    }

    @Test func aDraftedResultIsSignedFromThePhoneAndBecomesReady() async throws {
        try await Self.run { platform in
            let fixture = DossierFixture(settings: ServiceSettings.testing(name: "unused"))
            let admin = try await platform.headers(Identity(subject: "admin", roles: [.admin]))
            _ = try await platform.documents.execute(uri: "/v1/pki/certificates", method: .post, headers: admin,
                                                     body: ByteBuffer(string: #"{"subject":"leader-hontre","name":"Chủ tịch UBND xã Hòn Tre"}"#))
            let enrolment = try await platform.documents.execute(uri: "/v1/otp/enrolment", method: .post, headers: try await platform.headers(Self.leader),
                                                                 body: ByteBuffer(string: "{}"))
            let url = try #require(jsonObject(enrolment)?["authenticatorURL"] as? String)
            let totp = TOTP(secret: try #require(authenticatorSecret(url)))
            func code(_ offset: TimeInterval = 0) -> String { String(format: "%06d", totp.compute(date: Date().addingTimeInterval(offset))) }
            _ = try await platform.documents.execute(uri: "/v1/otp/enrolment/confirm", method: .post, headers: try await platform.headers(Self.leader),
                                                     body: ByteBuffer(string: #"{"code":"\#(code())"}"#))

            var dossier = try #require(view(try await platform.singleWindow.execute(
                uri: "/v1/dossiers", method: .post, headers: try await platform.headers(Self.officer), body: try body(fixture.request(channel: .counter)))))
            dossier = try #require(view(try await platform.singleWindow.act(dossier, .complete(.startProcessing, version: dossier.version),
                                                                            as: try await platform.headers(Self.officer))))
            let result = try await platform.upload("Giay chung nhan ket hon so 15", name: "ket-qua.pdf", as: Self.officer)
            let elsewhere = try await platform.upload("Ket qua cua xa khac", name: "khac.pdf", as: Self.otherOfficer)

            // A result of another agency, or none at all, is refused and nothing changes.
            #expect(problemOf(try await platform.draft(dossier, file: elsewhere))?.errors?.first?.code == "result.other-agency")
            #expect(problemOf(try await platform.draft(dossier, file: "no-such-file"))?.errors?.first?.code == "result.unknown")
            #expect(try await platform.dossier(dossier.id)?.version == dossier.version)

            // Filed: the leader sees a sign request naming the dossier, and refuses it; the officer reads why.
            dossier = try #require(view(try await platform.draft(dossier, file: result)))
            #expect(dossier.resultDraft?.leader == Self.leader.subject && dossier.status == .processing)
            // Submitted for signing, the dossier went from the review step to the chairman's, handed to the leader.
            #expect(dossier.process?.current == 2 && dossier.assignedTo == Self.leader.subject)
            #expect(try await eventually { try await platform.pendingRequests(of: Self.leader).count == 1 })
            let first = try #require(try await platform.pendingRequests(of: Self.leader).first)
            #expect(first["dossierId"] as? String == dossier.id && (first["reason"] as? String)?.contains(dossier.code) == true)
            _ = try await platform.documents.execute(uri: "/v1/sign-requests/\(first["id"] as? String ?? "")/refuse", method: .post,
                                                     headers: try await platform.headers(Self.leader), body: ByteBuffer(string: #"{"reason":"Sai ngày cấp"}"#))
            #expect(try await eventually { try await platform.dossier(dossier.id)?.resultDraft == nil })
            let declined = try #require(try await platform.dossier(dossier.id))
            #expect(declined.history.last?.action == "resultDeclined" && declined.history.last?.comment?.contains("Sai ngày cấp") == true)
            #expect(declined.status == .processing)
            // Refused, it goes back to the review step and to the officer who filed it, with the leader's reason.
            #expect(declined.process?.current == 1 && declined.assignedTo == Self.officer.subject)
            #expect(declined.process?.log.last?.move == .back && declined.process?.log.last?.reason?.contains("Sai ngày cấp") == true)

            // Filed again and approved with the authenticator's code: the result is ready by itself, with its code.
            dossier = try #require(view(try await platform.draft(declined, file: result)))
            #expect(try await eventually { try await platform.pendingRequests(of: Self.leader).count == 1 })
            let second = try #require(try await platform.pendingRequests(of: Self.leader).first?["id"] as? String)
            let approved = try await platform.documents.execute(uri: "/v1/sign-requests/\(second)/approve", method: .post,
                                                                headers: try await platform.headers(Self.leader),
                                                                body: ByteBuffer(string: #"{"code":"\#(code(30))"}"#))
            #expect(approved.status == .ok)
            let signatureCode = try #require((jsonObject(approved)?["signature"] as? [String: Any])?["code"] as? String)
            #expect(try await eventually { try await platform.dossier(dossier.id)?.status == .resultReady })
            let ready = try #require(try await platform.dossier(dossier.id))
            #expect(ready.result?.verificationCode == signatureCode && ready.result?.number == "15/2026/GCNKH" && ready.resultDraft == nil)
            #expect(ready.history.last?.action == "markResultReady" && ready.history.last?.actor == "service:documents")
            // Signed, it stands at the last step: returning the result.
            #expect(ready.process?.current == 3 && ready.process?.log.last?.move == .result)
        }
    }

    @Test func aRequestNobodyAnswersExpiresAndTheOfficerReadsItInTheHistory() async throws {
        try await Self.run(documentsEnvironment: ["SIGN_REQUEST_TTL_SECONDS": "0.5", "SIGN_REQUEST_SWEEP_SECONDS": "0.1"]) { platform in
            let fixture = DossierFixture(settings: ServiceSettings.testing(name: "unused"))
            var dossier = try #require(view(try await platform.singleWindow.execute(
                uri: "/v1/dossiers", method: .post, headers: try await platform.headers(Self.officer), body: try body(fixture.request(channel: .counter)))))
            dossier = try #require(view(try await platform.singleWindow.act(dossier, .complete(.startProcessing, version: dossier.version),
                                                                            as: try await platform.headers(Self.officer))))
            let result = try await platform.upload("Giay chung nhan ket hon so 16", name: "ket-qua.pdf", as: Self.officer)
            dossier = try #require(view(try await platform.draft(dossier, file: result)))
            // No one opens the list: the sweeper expires the request and single-window hears of it.
            #expect(try await eventually { try await platform.dossier(dossier.id)?.history.last?.action == "resultDeclined" })
            let after = try #require(try await platform.dossier(dossier.id))
            #expect(after.resultDraft == nil && after.status == .processing)
            #expect(after.history.last?.comment?.contains("hết hạn") == true)
        }
    }

    /// The answers from documents arriving by themselves, posted to single-window's inbox as documents' outbox would.
    @Test func aSignatureForAnotherFileChangesNothingAndOneWhileTheDossierWaitsIsNotedAndKeepsTheDraft() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let service = try await fixture.service("documents")
        try await app.test(.router) { client in
            var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                     body: try body(fixture.request(channel: .counter)))))
            dossier = try #require(view(try await client.act(dossier, .complete(.startProcessing, version: dossier.version), as: officer)))
            dossier = try #require(view(try await client.execute(
                uri: "/v1/dossiers/\(dossier.id)/result-draft", method: .post, headers: officer,
                body: try body(ResultDraftRequest(fileId: "draft-file", number: "15/2026/GCNKH", signer: "Chủ tịch", leader: "leader-hontre",
                                                  expectedVersion: dossier.version)))))
            func deliver(_ type: String, _ payload: some Encodable) async throws -> HTTPResponse.Status {
                let event = try EventEnvelope(type: type, source: "documents", requestId: "r", payload: payload)
                return try await client.execute(uri: "/internal/events", method: .post, headers: service,
                                                body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(event))) { $0.status }
            }
            func current() async throws -> DossierView {
                try #require(view(try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: officer)))
            }
            // A signature on some other file (an older draft) changes nothing.
            _ = try await deliver(EventType.documentSigned, DocumentSignedEvent(documentId: "older-file", number: 1, signer: "leader-hontre",
                                                                               signedAt: Date(), code: "KG-OLD", dossierId: dossier.id))
            #expect(try await current().version == dossier.version)
            // Signed while the dossier waits for a supplement: noted in the history, the draft kept for the officer to finish.
            dossier = try #require(view(try await client.act(dossier, .complete(.requestSupplement, version: dossier.version), as: officer)))
            _ = try await deliver(EventType.documentSigned, DocumentSignedEvent(documentId: "draft-file", number: 1, signer: "leader-hontre",
                                                                               signedAt: Date(), code: "KG-7Q2M", dossierId: dossier.id))
            let waiting = try await current()
            #expect(waiting.status == .supplementRequested && waiting.resultDraft?.fileId == "draft-file")
            #expect(waiting.history.last?.action == "resultSigned" && waiting.history.last?.comment?.contains("KG-7Q2M") == true)
            // A refusal for the draft clears it once, however often the event comes.
            let refusal = SignDeclinedEvent(requestId: "q-1", documentId: "draft-file", dossierId: dossier.id, state: "refused", by: "leader-hontre",
                                            reason: "Sai số")
            let event = try EventEnvelope(type: EventType.documentSignDeclined, source: "documents", requestId: "r", payload: refusal)
            for expected in [HTTPResponse.Status.ok, .accepted] {
                try await client.execute(uri: "/internal/events", method: .post, headers: service,
                                         body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(event))) { #expect($0.status == expected) }
            }
            let declined = try await current()
            #expect(declined.resultDraft == nil && declined.history.filter { $0.action == "resultDeclined" }.count == 1)
            // A draft is filed only while processing.
            let notNow = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/result-draft", method: .post, headers: officer,
                                                  body: try body(ResultDraftRequest(fileId: "f", number: "1", signer: "s", leader: "l",
                                                                                    expectedVersion: declined.version)))
            #expect(notNow.status == .conflict)
            let blank = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/result-draft", method: .post, headers: officer,
                                                 body: try body(ResultDraftRequest(fileId: " ", number: "", signer: "s", leader: "",
                                                                                   expectedVersion: declined.version)))
            #expect(Set(problemOf(blank)?.errors?.map(\.field) ?? []) == ["fileId", "number", "leader"])
            #expect(try await current().version == declined.version)
        }
    }
}
