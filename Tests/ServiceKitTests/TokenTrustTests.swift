import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import ServiceKit
import Synchronization
import Testing

/// Where trust comes from: the portal's keys from settings (never from discovery), and claims a signature alone does
/// not vouch for (issuer, audience, lifetime, the service a service token is for).
@Suite("Token trust")
struct TokenTrustTests {
    /// The portal's key, and a way to sign any claims with it (what a thief of a token or a careless issuer could make).
    struct Portal {
        let issuer: TokenIssuer
        let keys: JWTKeyCollection

        init() async throws {
            let key = ES256PrivateKey()
            self.issuer = try await TokenIssuer(privateKeyPEM: key.pemRepresentation)
            self.keys = JWTKeyCollection()
            await self.keys.add(ecdsa: key, kid: JWKIdentifier(string: self.issuer.keyID))
        }

        func sign(_ claims: AccessClaims) async throws -> String {
            try await self.keys.sign(claims, kid: JWKIdentifier(string: self.issuer.keyID))
        }
    }

    @Test func aPortalListedByDiscoveryIsNeverAskedForKeys() async throws {
        let real = try await Portal()
        let rogue = try await Portal()
        // The rogue "portal" a network attacker registered, serving its own key set; it counts who asks.
        let asked = Mutex(0)
        let router = Router()
        let rogueKeys = rogue.issuer.jwks
        router.get("/.well-known/jwks.json") { _, _ -> Response in
            asked.withLock { $0 += 1 }
            return Response(status: .ok, body: .init(byteBuffer: .init(data: try JSONEncoder().encode(rogueKeys))))
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { rogueServer in
            var settings = ServiceSettings.testing(name: "echo")
            let file = URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("portal-jwks.json")
            try real.issuer.publish(to: file)
            settings.jwksURL = file.absoluteString
            let (app, _) = try await EchoService.build(settings: settings,
                                                       locator: FixedServiceLocator(urls: ["portal": "http://127.0.0.1:\(rogueServer.port!)"]))
            let forged = try await rogue.issuer.token(for: Identity(subject: "attacker", roles: [.admin]))
            let genuine = try await real.issuer.token(for: Identity(subject: "o-1", roles: [.officer], agency: "H33"))
            try await app.test(.router) { client in
                for _ in 0..<3 {
                    try await client.execute(uri: "/officer", method: .get, headers: [.authorization: "Bearer \(forged)"]) { response in
                        #expect(response.status == .unauthorized)
                        #expect(problemDetail(response)?.contains("signed with a key this platform does not know") == true)
                    }
                }
                try await client.execute(uri: "/officer", method: .get, headers: [.authorization: "Bearer \(genuine)"]) { #expect($0.status == .ok) }
            }
        }
        #expect(asked.withLock { $0 } == 0)
    }

    @Test func aKeySourceThatIsDownIsNotAskedOnEveryRequest() async throws {
        let fetches = Mutex(0)
        let verifier = await TokenVerifier(serviceSecret: "shared", audience: "echo") {
            fetches.withLock { $0 += 1 }
            throw DiscoveryError.noPassingInstance("portal")
        }
        let service = try await TokenVerifier(serviceSecret: "shared", fetchJWKS: nil).serviceToken(for: "payments", to: "echo")
        let stranger = try await Portal()
        let madeUp = try await stranger.issuer.token(for: Identity(subject: "x", roles: [.admin]))
        for _ in 0..<20 {
            // Service tokens still verify while the portal's keys cannot be read; a made-up key is refused, not fetched for.
            #expect(try await verifier.verify(service).serviceName == "payments")
            await #expect(throws: Problem.self) { try await verifier.verify(madeUp) }
        }
        #expect(fetches.withLock { $0 } == 1)
        try await Task.sleep(for: .milliseconds(1100))
        _ = try await verifier.verify(service)
        #expect(fetches.withLock { $0 } == 2, "tried again after the gap")
    }

    @Test func productionRequiresAConfiguredKeySet() throws {
        var settings = ServiceSettings.testing(name: "payments")
        settings.production = true
        #expect(throws: ConfigurationError.missing("JWKS_URL")) { try JWKSDocument.source(settings) }
        settings.jwksURL = "ftp://portal/jwks"
        #expect(throws: ConfigurationError.self) { try JWKSDocument.source(settings) }
        settings.jwksURL = "https://dichvucong.angiang.gov.vn/.well-known/jwks.json"
        #expect(try JWKSDocument.source(settings).host == "dichvucong.angiang.gov.vn")
    }

    @Test func aForeignIssuerAnotherAudienceOrATenYearLifeIsRefused() async throws {
        let portal = try await Portal()
        let jwks = portal.issuer.jwks
        let verifier = await TokenVerifier(serviceSecret: "s", audience: "single-window") { jwks }
        let citizen = Identity(subject: "c-1", roles: [.citizen])
        let cases: [(String, AccessClaims)] = [
            ("issued by 'someone-else'", AccessClaims(identity: citizen, issuer: "someone-else", audience: TokenIssuer.audience, issuedAt: Date(), lifetime: 600)),
            ("not meant for this platform", AccessClaims(identity: citizen, issuer: TokenIssuer.issuer, audience: "another-app", issuedAt: Date(), lifetime: 600)),
            ("longer than the 720 this platform allows",
             AccessClaims(identity: citizen, issuer: TokenIssuer.issuer, audience: TokenIssuer.audience, issuedAt: Date(), lifetime: 10 * 365 * 86400)),
            ("issued in the future", AccessClaims(identity: citizen, issuer: TokenIssuer.issuer, audience: TokenIssuer.audience,
                                                  issuedAt: Date().addingTimeInterval(3600), lifetime: 600)),
            ("cannot carry the service role", AccessClaims(identity: Identity(subject: "service:payments", roles: [.service]), issuer: TokenIssuer.issuer,
                                                           audience: TokenIssuer.audience, issuedAt: Date(), lifetime: 600)),
        ]
        for (reason, claims) in cases {
            let token = try await portal.sign(claims)
            do {
                _ = try await verifier.verify(token)
                Issue.record("accepted a token \(reason)")
            } catch let problem as Problem {
                #expect(problem.status == 401)
                #expect(problem.detail.contains(reason), "\(problem.detail)")
            }
        }
        // The portal's own tokens pass.
        #expect(try await verifier.verify(try await portal.issuer.token(for: citizen)) == citizen)
    }

    @Test func aServiceTokenIsGoodOnlyAtTheServiceItWasMadeFor() async throws {
        let signer = await TokenVerifier(serviceSecret: "shared", fetchJWKS: nil)
        let notifications = await TokenVerifier(serviceSecret: "shared", audience: "notifications", fetchJWKS: nil)
        let singleWindow = await TokenVerifier(serviceSecret: "shared", audience: "single-window", fetchJWKS: nil)
        // What the portal sends single-window: a rogue single-window that receives it cannot use it at notifications.
        let token = try await signer.serviceToken(for: "portal", to: "single-window")
        #expect(try await singleWindow.verify(token).serviceName == "portal")
        do {
            _ = try await notifications.verify(token)
            Issue.record("notifications accepted a token made for single-window")
        } catch let problem as Problem {
            #expect(problem.detail.contains("it is meant for single-window, not for notifications"))
        }
    }

    @Test func onlyTheNamedServicesMayCallARouteThatNamesThem() async throws {
        let (app, runtime) = try await EchoService.build()
        let fromPayments = try await runtime.verifier.serviceToken(for: "payments", to: "echo")
        let fromPortal = try await runtime.verifier.serviceToken(for: "portal", to: "echo")
        try await app.test(.router) { client in
            try await client.execute(uri: "/payments-only", method: .post, headers: [.authorization: "Bearer \(fromPayments)"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/payments-only", method: .post, headers: [.authorization: "Bearer \(fromPortal)"]) { response in
                #expect(response.status == .forbidden)
                #expect(problemDetail(response) == "Only payments may call this; the caller is the portal service.")
            }
        }
    }
}

func problemDetail(_ response: TestResponse) -> String? {
    (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?["detail"] as? String
}

@Suite("Security headers")
struct SecurityHeadersTests {
    @Test func behindAnHTTPSProxyCookiesAreSecureAndHSTSIsSent() async throws {
        let (app, _) = try await EchoService.build(settings: .testing(name: "echo", environment: ["TRUSTED_PROXIES": "127.0.0.1"]))
        try await app.test(.live) { client in
            try await client.execute(uri: "/cookie", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"]) { response in
                #expect(response.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
                #expect(response.headers[values: .setCookie].allSatisfy { $0.hasSuffix("; Secure") })
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            }
            try await client.execute(uri: "/cookie", method: .get) { response in
                #expect(response.headers[.strictTransportSecurity] == nil)
                #expect(response.headers[values: .setCookie].allSatisfy { !$0.contains("Secure") })
            }
        }
        // From an address that is not a trusted proxy, the header is not believed.
        let (untrusted, _) = try await EchoService.build()
        try await untrusted.test(.live) { client in
            try await client.execute(uri: "/cookie", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"]) { response in
                #expect(response.headers[.strictTransportSecurity] == nil)
            }
        }
    }
}

@Suite("JSON bodies")
struct JSONBodyTests {
    @Test func aJSONBodySentAsTextOrAFormIsRefusedWith415AndNothingIsWritten() async throws {
        let (app, runtime) = try await EchoService.build()
        try await app.test(.router) { client in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                try await client.execute(uri: "/notes", method: .post, headers: [.contentType: type], body: ByteBuffer(string: #"{"text":"hi"}"#)) { response in
                    #expect(response.status == .unsupportedMediaType, "\(type)")
                    #expect(problemDetail(response)?.contains("Content-Type: application/json") == true)
                }
            }
            for type in ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"] {
                try await client.execute(uri: "/notes", method: .post, headers: [.contentType: type], body: ByteBuffer(string: #"{"text":"hi"}"#)) {
                    #expect($0.status == .ok, "\(type)")
                }
            }
            let count = try await runtime.database.read { db in try await db.select().column("id").from("notes").all().count }
            #expect(count == 3, "only the JSON ones were written")
        }
    }
}

@Suite("The portal's key")
struct PortalKeyTests {
    @Test func portalsStartingTogetherAllSignWithTheOneKeyOnDisk() async throws {
        let settings = ServiceSettings.testing(name: "portal")
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await TokenIssuer.loadOrCreate(settings: settings).keyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        let file = settings.dataDirectory + "/keys/jwt-es256.pem"
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        #expect(try await TokenIssuer.loadOrCreate(settings: settings).keyID == ids.first)
    }
}
