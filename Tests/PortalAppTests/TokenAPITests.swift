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
import Testing

@Suite("Portal mobile API: tokens with one-use refresh tokens, the account, staff created by an admin")
struct TokenAPITests {
    func post(_ browser: PortalBrowser, _ path: String, _ body: some Encodable, token: String? = nil) async throws -> (HTTPResponse.Status, Data) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await browser.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(data: try JSONEncoder.motcua.encode(body))) {
            ($0.status, Data($0.body.readableBytesView))
        }
    }

    func verifier(_ settings: ServiceSettings) async throws -> TokenVerifier {
        let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
        return await TokenVerifier(serviceSecret: settings.serviceTokenSecret) { issuer.jwks }
    }

    @Test func thePhoneSignsInRefreshesOnceAndACopiedRefreshTokenEndsTheFamily() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, settings in
            try await fixture.citizen(browser, password: "mật khẩu dài")
            let (status, data) = try await self.post(browser, "/api/v1/token",
                                                     TokenRequest(grantType: .password, phone: "0912345678", password: "mật khẩu dài"))
            #expect(status == .ok)
            let first = try JSONDecoder.motcua.decode(TokenResponse.self, from: data)
            #expect(first.expiresIn == 900)
            let identity = try await self.verifier(settings).verify(first.accessToken)
            #expect(identity.roles == [.citizen])

            let me = try await browser.client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(first.accessToken)"]) {
                try JSONDecoder.motcua.decode(AccountView.self, from: Data($0.body.readableBytesView))
            }
            #expect(me.id == identity.subject)
            #expect(me.fullName == "Nguyễn Thị Lan")
            #expect(me.phoneVerified)

            let (refreshed, refreshedData) = try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .refreshToken, refreshToken: first.refreshToken))
            #expect(refreshed == .ok)
            let second = try JSONDecoder.motcua.decode(TokenResponse.self, from: refreshedData)
            #expect(second.refreshToken != first.refreshToken)

            // The first refresh token shown again: someone copied it. It is refused and its successor dies with it.
            let (reused, reusedData) = try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .refreshToken, refreshToken: first.refreshToken))
            #expect(reused == .unauthorized)
            #expect(try JSONDecoder().decode(Problem.self, from: reusedData).detail.contains("sign in again"))
            #expect(try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .refreshToken, refreshToken: second.refreshToken)).0 == .unauthorized)
        }
    }

    @Test func signingOutOnThePhoneRevokesItsRefreshToken() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            try await fixture.citizen(browser, password: "mật khẩu dài")
            let (_, data) = try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .password, phone: "0912345678", password: "mật khẩu dài"))
            let tokens = try JSONDecoder.motcua.decode(TokenResponse.self, from: data)
            struct Revoke: Encodable { let refreshToken: String }
            #expect(try await self.post(browser, "/api/v1/token/revoke", Revoke(refreshToken: tokens.refreshToken)).0 == .noContent)
            #expect(try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .refreshToken, refreshToken: tokens.refreshToken)).0 == .unauthorized)
        }
    }

    @Test func eachWrongTokenRequestGetsAProblemSayingWhy() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            _ = try await browser.post("/register", ["fullName": "Lan", "phone": "0912345678", "citizenId": "091095000123", "password": "long enough"])
            let unconfirmed = try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .password, phone: "0912345678", password: "long enough"))
            #expect(unconfirmed.0 == .forbidden)
            #expect(try JSONDecoder().decode(Problem.self, from: unconfirmed.1).type == "account.unverified")
            #expect(try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .password, phone: "0912345678")).0 == .badRequest)
            #expect(try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .refreshToken)).0 == .badRequest)
            #expect(try await self.post(browser, "/api/v1/token", ["grantType": "magic"]).0 == .badRequest)
            #expect(try await self.post(browser, "/api/v1/token", TokenRequest(grantType: .password, phone: "0912345678", password: "wrong one"))
                .0 == .unauthorized)
            let noToken = try await browser.client.execute(uri: "/api/v1/me", method: .get) { $0.status }
            #expect(noToken == .unauthorized)
        }
    }

    @Test func anAdminCreatesAnOfficerWhoSignsInWithTheAgencyInTheToken() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, settings in
            let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
            let admin = try await issuer.token(for: Identity(subject: "admin", roles: [.admin]))
            let citizen = try await issuer.token(for: Identity(subject: "someone", roles: [.citizen]))
            let officer = NewStaffRequest(phone: "0987000111", fullName: "Trần Văn Bình", password: "officer password", roles: [.officer],
                                          agency: "000.00.15.H33")
            #expect(try await self.post(browser, "/api/v1/staff", officer, token: citizen).0 == .forbidden)
            #expect(try await self.post(browser, "/api/v1/staff", officer).0 == .unauthorized)

            var noAgency = officer
            noAgency.agency = nil
            noAgency.roles = [.officer, .citizen]
            let invalid = try await self.post(browser, "/api/v1/staff", noAgency, token: admin)
            #expect(invalid.0 == .unprocessableContent)
            #expect(Set(try JSONDecoder().decode(Problem.self, from: invalid.1).errors?.map(\.field) ?? []) == ["roles", "agency"])

            let (created, data) = try await self.post(browser, "/api/v1/staff", officer, token: admin)
            #expect(created == .created)
            let view = try JSONDecoder.motcua.decode(AccountView.self, from: data)
            #expect(view.roles == [.officer])
            #expect(view.phoneVerified)
            #expect(try await self.post(browser, "/api/v1/staff", officer, token: admin).0 == .conflict)

            let (_, tokenData) = try await self.post(browser, "/api/v1/token",
                                                     TokenRequest(grantType: .password, phone: "0987000111", password: "officer password"))
            let identity = try await self.verifier(settings).verify(try JSONDecoder.motcua.decode(TokenResponse.self, from: tokenData).accessToken)
            #expect(identity.agency == "000.00.15.H33")
            #expect(identity.roles == [.officer])

            // Colleagues see each other by name (no phone); another agency's staff list is refused; citizens see none.
            let colleague = try await issuer.token(for: Identity(subject: "o-2", roles: [.officer], agency: "000.00.15.H33"))
            let listed = try await browser.client.execute(uri: "/api/v1/staff?agency=000.00.15.H33", method: .get,
                                                          headers: [.authorization: "Bearer \(colleague)"]) { response in
                (response.status, try? JSONDecoder.motcua.decode([StaffMember].self, from: Data(response.body.readableBytesView)))
            }
            #expect(listed.0 == .ok && listed.1?.map(\.fullName) == ["Trần Văn Bình"])
            for (agency, token) in [("000.00.16.H33", colleague), ("000.00.15.H33", citizen)] {
                try await browser.client.execute(uri: "/api/v1/staff?agency=\(agency)", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    #expect($0.status == .forbidden)
                    #expect(!String(buffer: $0.body).contains("0987000111"))
                }
            }
            // On the web the officer's account page shows the role and agency.
            _ = try await browser.post("/login", ["phone": "0987000111", "password": "officer password"])
            let page = try await browser.get("/account")
            #expect(page.html.contains("000.00.15.H33"))
        }
    }
}
