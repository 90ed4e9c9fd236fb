import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Synchronization
import Testing

@Suite("Tokens and guards")
struct IdentityTests {
    @Test func portalTokensVerifyAgainstItsJWKS() async throws {
        let settings = ServiceSettings.testing(name: "portal")
        let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
        // A second load reads the same key from ./.data/keys rather than making a new one.
        let again = try await TokenIssuer.loadOrCreate(settings: settings)
        #expect(issuer.keyID == again.keyID)
        let jwks = issuer.jwks
        let verifier = await TokenVerifier(serviceSecret: "s") { jwks }
        let token = try await issuer.token(for: Identity(subject: "officer-1", roles: [.officer], agency: "H33"))
        #expect(try await verifier.verify(token) == Identity(subject: "officer-1", roles: [.officer], agency: "H33"))
    }

    @Test func expiredForgedAndForeignTokensAreRefused() async throws {
        let issuer = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let stranger = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let jwks = issuer.jwks
        let verifier = await TokenVerifier(serviceSecret: "s") { jwks }
        let expired = try await issuer.token(for: Identity(subject: "a", roles: [.citizen]), now: Date().addingTimeInterval(-7200))
        await #expect(throws: Problem.self) { try await verifier.verify(expired) }
        let foreign = try await stranger.token(for: Identity(subject: "a", roles: [.admin]))
        await #expect(throws: Problem.self) { try await verifier.verify(foreign) }
        await #expect(throws: Problem.self) { try await verifier.verify("not.a.token") }
    }

    /// A revoked account's tokens issued until then are refused, even one verified before; a token issued after still
    /// works (the account enabled again), and another account's is untouched.
    @Test func aRevokedAccountsTokensAreRefusedEvenWhenRememberedAndNewOnesWork() async throws {
        let issuer = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let jwks = issuer.jwks
        let verifier = await TokenVerifier(serviceSecret: "s") { jwks }
        let officer = Identity(subject: "officer-7", roles: [.officer], agency: "H33")
        let before = try await issuer.token(for: officer, now: Date().addingTimeInterval(-60))
        let colleague = try await issuer.token(for: Identity(subject: "officer-8", roles: [.officer], agency: "H33"))
        #expect(try await verifier.verify(before) == officer)
        verifier.revoke("officer-7", since: Date().addingTimeInterval(-30))
        do {
            _ = try await verifier.verify(before)
            Issue.record("a revoked account's remembered token was accepted")
        } catch let problem as Problem {
            #expect(problem.statusCode == 401 && problem.type.hasSuffix("account.disabled"))
        }
        let after = try await issuer.token(for: officer, now: Date().addingTimeInterval(-10))
        #expect(try await verifier.verify(after) == officer)
        #expect(try await verifier.verify(colleague).subject == "officer-8")
        // An earlier revocation read late (another replica's row) does not undo a later one.
        verifier.revoke("officer-7", since: Date().addingTimeInterval(-3600))
        await #expect(throws: Problem.self) { try await verifier.verify(before) }
    }

    /// Verified tokens are remembered, but never past their expiry.
    @Test func aRememberedTokenStillExpires() async throws {
        let issuer = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let jwks = issuer.jwks
        let verifier = await TokenVerifier(serviceSecret: "s") { jwks }
        let token = try await issuer.token(for: Identity(subject: "citizen-9", roles: [.citizen]), lifetime: 2)
        #expect(try await verifier.verify(token).subject == "citizen-9")
        #expect(try await verifier.verify(token).subject == "citizen-9")
        try await Task.sleep(for: .milliseconds(2600))
        await #expect(throws: Problem.self) { try await verifier.verify(token) }
    }

    /// Keys are fetched again after the refresh interval: a key the portal dropped stops working then, and a portal
    /// that is down meanwhile does not stop tokens verified before; between fetches nothing is fetched.
    @Test func aDroppedKeyStopsWorkingAtTheNextFetchAndADownPortalStopsNothing() async throws {
        let issuer = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let stranger = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        enum Portal { case serving(JWKSDocument), down }
        struct Down: Error {}
        let portal = Mutex(Portal.serving(issuer.jwks))
        let fetches = Mutex(0)
        let verifier = await TokenVerifier(serviceSecret: "s", refreshInterval: 1) {
            fetches.withLock { $0 += 1 }
            guard case .serving(let jwks) = portal.withLock({ $0 }) else { throw Down() }
            return jwks
        }
        let token = try await issuer.token(for: Identity(subject: "citizen-7", roles: [.citizen]))
        #expect(try await verifier.verify(token).subject == "citizen-7")
        #expect(try await verifier.verify(token).subject == "citizen-7")
        #expect(fetches.withLock { $0 } == 1)

        portal.withLock { $0 = .down }
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await verifier.verify(token).subject == "citizen-7")
        #expect(fetches.withLock { $0 } == 2)

        portal.withLock { $0 = .serving(stranger.jwks) }
        try await Task.sleep(for: .milliseconds(1100))
        await #expect(throws: Problem.self) { try await verifier.verify(token) }
    }

    @Test func serviceTokensNeedTheSharedSecret() async throws {
        let ours = await TokenVerifier(serviceSecret: "shared", fetchJWKS: nil)
        let theirs = await TokenVerifier(serviceSecret: "other", fetchJWKS: nil)
        let token = try await ours.serviceToken(for: "payments", to: "echo")
        #expect(try await ours.verify(token).roles == [.service])
        await #expect(throws: Problem.self) { try await theirs.verify(token) }
    }

    @Test func aServiceTokenIsReusedUntilHalfItsLifeAndThenRenewed() async throws {
        let ours = await TokenVerifier(serviceSecret: "shared", fetchJWKS: nil)
        let first = try await ours.serviceToken(for: "portal", to: "echo")
        #expect(try await ours.serviceToken(for: "portal", to: "echo") == first)
        #expect(try await ours.serviceToken(for: "payments", to: "echo") != first)
        // A two-second token is renewed after one second, and each one verifies.
        let short = try await ours.serviceToken(for: "portal", to: "echo", lifetime: 2)
        #expect(short != first)
        try await Task.sleep(for: .milliseconds(1100))
        let renewed = try await ours.serviceToken(for: "portal", to: "echo", lifetime: 2)
        #expect(renewed != short)
        #expect(try await ours.verify(renewed).subject == "service:portal")
    }

    @Test func guardsAnswer401And403WithReasons() async throws {
        let issuer = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let jwks = issuer.jwks
        var settings = ServiceSettings.testing(name: "echo")
        settings.jwksURL = nil
        let (app, runtime) = try await EchoService.build(settings: settings)
        try await runtime.verifier.trust(jwks)
        let officer = try await issuer.token(for: Identity(subject: "o", roles: [.officer], agency: "H33"))
        let otherAgency = try await issuer.token(for: Identity(subject: "p", roles: [.officer], agency: "H34"))
        let citizen = try await issuer.token(for: Identity(subject: "c", roles: [.citizen]))
        try await app.test(.router) { client in
            try await client.execute(uri: "/officer", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/officer", method: .get, headers: [.authorization: "Bearer garbage"]) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/officer", method: .get, headers: [.authorization: "Bearer \(citizen)"]) { response in
                #expect(response.status == .forbidden)
                #expect(problem(response.body)?.detail.contains("officer") == true)
            }
            try await client.execute(uri: "/officer", method: .get, headers: [.authorization: "Bearer \(otherAgency)"]) { response in
                #expect(response.status == .forbidden)
                #expect(problem(response.body)?.detail.contains("H33") == true)
            }
            try await client.execute(uri: "/officer", method: .get, headers: [.authorization: "Bearer \(officer)"]) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "o")
            }
        }
    }
}
