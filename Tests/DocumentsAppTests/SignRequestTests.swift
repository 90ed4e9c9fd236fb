import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import NIOCore
@testable import DocumentsApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Signing from a phone")
struct SignRequestTests {
    static let leader = SignatureTests.chairman
    static let officer = FilesFixture.officer

    func post(_ client: some TestClientProtocol, _ fixture: FilesFixture, _ uri: String, as identity: Identity, _ body: String = "{}") async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: try await fixture.headers(identity), body: ByteBuffer(string: body))
    }

    /// Enrols the leader's authenticator and answers its TOTP.
    func enrol(_ client: some TestClientProtocol, _ fixture: FilesFixture) async throws -> TOTP {
        let enrolment = try await self.post(client, fixture, "/v1/otp/enrolment", as: Self.leader)
        #expect(enrolment.status == .created)
        let url = try #require(jsonObject(enrolment)?["authenticatorURL"] as? String)
        #expect(url.hasPrefix("otpauth://totp/"))
        let totp = TOTP(secret: try #require(authenticatorSecret(url)))
        let wrong = try await self.post(client, fixture, "/v1/otp/enrolment/confirm", as: Self.leader, #"{"code":"000000"}"#)
        #expect(wrong.status == .unprocessableContent || totp.compute(date: fixture.clock.now) == 0)
        let confirmed = try await self.post(client, fixture, "/v1/otp/enrolment/confirm", as: Self.leader,
                                            #"{"code":"\#(Self.digits(totp.compute(date: fixture.clock.now)))"}"#)
        #expect(confirmed.status == .ok)
        return totp
    }

    static func digits(_ code: Int) -> String { String(format: "%06d", code) }

    /// A signing leader enrolled, and a result stored and sent to them: the file and the request's id.
    func askTheLeader(_ client: some TestClientProtocol, _ fixture: FilesFixture) async throws -> (totp: TOTP, file: String, request: String) {
        _ = try await SignatureTests().issue(client, fixture, for: Self.leader, name: "Chủ tịch UBND xã Hòn Tre")
        let totp = try await self.enrol(client, fixture)
        let (file, request) = try await self.ask(client, fixture)
        return (totp, file, request)
    }

    func ask(_ client: some TestClientProtocol, _ fixture: FilesFixture) async throws -> (file: String, request: String) {
        let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "ket-qua.pdf", as: Self.officer)))
        let created = try await self.post(client, fixture, "/v1/sign-requests", as: Self.officer,
                                          #"{"documentId":"\#(file.id)","signer":"\#(Self.leader.subject)"}"#)
        return (file.id, try #require(jsonObject(created)?["id"] as? String))
    }

    /// Codes the authenticator would not accept now (none of the three steps the server allows).
    static func wrongCodes(_ totp: TOTP, at now: Date, count: Int) -> [String] {
        let valid = Set([-30.0, 0, 30].map { Self.digits(totp.compute(date: now.addingTimeInterval($0))) })
        return (100_000..<100_100).map { String($0) }.filter { !valid.contains($0) }.prefix(count).map { $0 }
    }

    @Test func aLeaderApprovesWithTheAuthenticatorCodeAndTheResultIsSigned() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            _ = try await SignatureTests().issue(client, fixture, for: Self.leader, name: "Chủ tịch UBND xã Hòn Tre")
            let totp = try await self.enrol(client, fixture)
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "ket-qua.pdf", as: Self.officer)))
            let created = try await self.post(client, fixture, "/v1/sign-requests", as: Self.officer,
                                              #"{"documentId":"\#(file.id)","signer":"\#(Self.leader.subject)","reason":"Kết quả hồ sơ"}"#)
            #expect(created.status == .created)
            let id = try #require(jsonObject(created)?["id"] as? String)
            let mine = try await client.execute(uri: "/v1/sign-requests", method: .get, headers: try await fixture.headers(Self.leader))
            #expect((try JSONSerialization.jsonObject(with: Data(mine.body.readableBytesView)) as? [[String: Any]])?.map { $0["id"] as? String } == [id])

            // The code from a minute ago is refused and audited; the current one signs.
            fixture.clock.advance(90)
            let stale = try await self.post(client, fixture, "/v1/sign-requests/\(id)/approve", as: Self.leader,
                                            #"{"code":"\#(Self.digits(totp.compute(date: fixture.clock.now.addingTimeInterval(-90))))"}"#)
            #expect(stale.status == .unprocessableContent && problemOf(stale)?.errors?.first?.code == "otp.wrong")
            #expect(try await self.post(client, fixture, "/v1/sign-requests/\(id)/approve", as: Self.officer,
                                        #"{"code":"123456"}"#).status == .forbidden, "only the leader it is addressed to")
            let code = Self.digits(totp.compute(date: fixture.clock.now))
            let approved = try await self.post(client, fixture, "/v1/sign-requests/\(id)/approve", as: Self.leader, #"{"code":"\#(code)"}"#)
            #expect(approved.status == .ok)
            #expect(jsonObject(approved)?["state"] as? String == "signed")
            #expect((jsonObject(approved)?["audit"] as? [[String: Any]])?.map { $0["action"] as? String } == ["requested", "wrong-code", "approved"])
            let signatures = try await client.execute(uri: "/v1/documents/\(file.id)/signatures", method: .get, headers: try await fixture.headers(Self.officer))
            #expect((try JSONSerialization.jsonObject(with: Data(signatures.body.readableBytesView)) as? [[String: Any]])?.first?["signer"] as? String
                    == Self.leader.subject)
            #expect(try await self.post(client, fixture, "/v1/sign-requests/\(id)/approve", as: Self.leader, #"{"code":"\#(code)"}"#).status == .conflict)
        }
    }

    @Test func requestsExpireCanBeRefusedAndAUsedCodeDoesNotWorkTwice() async throws {
        let fixture = try await FilesFixture(environment: ["SIGN_REQUEST_TTL_SECONDS": "3600"])
        try await fixture.app().test(.router) { client in
            _ = try await SignatureTests().issue(client, fixture, for: Self.leader, name: "Chủ tịch")
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, as: Self.officer)))
            func request() async throws -> String {
                let created = try await self.post(client, fixture, "/v1/sign-requests", as: Self.officer,
                                                  #"{"documentId":"\#(file.id)","signer":"\#(Self.leader.subject)"}"#)
                return try #require(jsonObject(created)?["id"] as? String)
            }
            let first = try await request()
            let notEnrolled = try await self.post(client, fixture, "/v1/sign-requests/\(first)/approve", as: Self.leader, #"{"code":"123456"}"#)
            #expect(problemOf(notEnrolled)?.errors?.first?.code == "otp.not-enrolled")
            let totp = try await self.enrol(client, fixture)
            // The confirming code was used: the same code cannot approve.
            let reused = try await self.post(client, fixture, "/v1/sign-requests/\(first)/approve", as: Self.leader,
                                             #"{"code":"\#(Self.digits(totp.compute(date: fixture.clock.now)))"}"#)
            #expect(reused.status == .unprocessableContent)
            let unexplained = try await self.post(client, fixture, "/v1/sign-requests/\(first)/refuse", as: Self.leader, #"{"reason":"  "}"#)
            #expect(unexplained.status == .unprocessableContent && problemOf(unexplained)?.errors?.first?.field == "reason", "a refusal says why")
            let refused = try await self.post(client, fixture, "/v1/sign-requests/\(first)/refuse", as: Self.leader, #"{"reason":"Sai số liệu"}"#)
            #expect(jsonObject(refused)?["state"] as? String == "refused")
            let second = try await request()
            fixture.clock.advance(3601)
            let late = try await self.post(client, fixture, "/v1/sign-requests/\(second)/approve", as: Self.leader,
                                           #"{"code":"\#(Self.digits(totp.compute(date: fixture.clock.now)))"}"#)
            #expect(late.status == .conflict && problemOf(late)?.detail.contains("expired") == true)
            let audit = try await client.execute(uri: "/v1/sign-requests/\(second)", method: .get, headers: try await fixture.headers(Self.officer))
            #expect((jsonObject(audit)?["audit"] as? [[String: Any]])?.map { $0["action"] as? String } == ["requested", "expired"])
            #expect(try await client.execute(uri: "/v1/sign-requests/\(second)", method: .get,
                                             headers: try await fixture.headers(FilesFixture.stranger)).status == .notFound)
            #expect(try await self.post(client, fixture, "/v1/otp/enrolment", as: Self.leader).status == .conflict, "enrolled already")
            let noSigner = try await self.post(client, fixture, "/v1/sign-requests", as: Self.officer, #"{"documentId":"\#(file.id)","signer":" "}"#)
            #expect(noSigner.status == .unprocessableContent)
        }
    }

    @Test func theSixthWrongCodeLocksTheRequestAndTheLeaderIsToldToAskAgain() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            let (totp, file, id) = try await self.askTheLeader(client, fixture)
            let right = Self.digits(totp.compute(date: fixture.clock.now))
            let wrong = Self.wrongCodes(totp, at: fixture.clock.now, count: 1)[0]
            for left in (1...5).reversed() {
                let answer = try await self.post(client, fixture, "/v1/sign-requests/\(id)/approve", as: Self.leader, #"{"code":"\#(wrong)"}"#)
                #expect(answer.status == .unprocessableContent)
                #expect(problemOf(answer)?.errors?.first?.en.contains("\(left) tries left") == true)
            }
            let sixth = try await self.post(client, fixture, "/v1/sign-requests/\(id)/approve", as: Self.leader, #"{"code":"\#(wrong)"}"#)
            #expect(sixth.status == .locked)
            #expect(problemOf(sixth)?.detail.contains("must send a new request") == true)
            // The right code no longer signs: nothing is signed, the audit says why.
            let after = try await self.post(client, fixture, "/v1/sign-requests/\(id)/approve", as: Self.leader, #"{"code":"\#(right)"}"#)
            #expect(after.status == .locked)
            let shown = try await client.execute(uri: "/v1/sign-requests/\(id)", method: .get, headers: try await fixture.headers(Self.leader))
            #expect(jsonObject(shown)?["state"] as? String == "locked")
            #expect((jsonObject(shown)?["audit"] as? [[String: Any]])?.compactMap { $0["action"] as? String }.suffix(2) == ["wrong-code", "locked"])
            let signatures = try await client.execute(uri: "/v1/documents/\(file)/signatures", method: .get, headers: try await fixture.headers(Self.officer))
            #expect(String(buffer: signatures.body) == "[]")
        }
    }

    @Test func tenWrongCodesInARowLockTheAuthenticatorUntilAnAdminResetsIt() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            // Two requests, so that no single request's limit stops the guessing first.
            let (first, _, one) = try await self.askTheLeader(client, fixture)
            let ids = [one, try await self.ask(client, fixture).request]
            let guesses = Self.wrongCodes(first, at: fixture.clock.now, count: 11)
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<11 {
                let code = guesses[index]
                statuses.append(try await self.post(client, fixture, "/v1/sign-requests/\(ids[index < 5 ? 0 : 1])/approve", as: Self.leader,
                                                    #"{"code":"\#(code)"}"#).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .unprocessableContent })
            #expect(statuses.last == .locked)
            let admin = Identity(subject: "admin-1", roles: [.admin])
            #expect(try await self.post(client, fixture, "/v1/otp/enrolment/reset", as: Self.officer, #"{"subject":"\#(Self.leader.subject)"}"#).status
                    == .forbidden)
            #expect(try await self.post(client, fixture, "/v1/otp/enrolment/reset", as: admin, #"{"subject":"\#(Self.leader.subject)"}"#).status
                    == .noContent)
            // Enrolled again, the leader signs (with the next code: the confirming one is used up).
            let totp = try await self.enrol(client, fixture)
            fixture.clock.advance(30)
            let signed = try await self.post(client, fixture, "/v1/sign-requests/\(ids[1])/approve", as: Self.leader,
                                             #"{"code":"\#(Self.digits(totp.compute(date: fixture.clock.now)))"}"#)
            #expect(signed.status == .ok)
        }
    }
}
