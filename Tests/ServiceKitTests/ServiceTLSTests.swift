import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import JWTKit
import HummingbirdTesting
import NIOCore
import NIOPosix
import NIOSSL
import ServiceKit
import ServiceTesting
import Testing

/// Mutual TLS between services with certificates made by `scripts/service-ca` (openssl): a service token is taken on
/// the TLS listener only, and only from a caller whose certificate the service CA issued.
@Suite("Mutual TLS between services")
struct ServiceTLSTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A CA with certificates for `services`, in a new folder.
    static func authority(_ services: String...) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("service-ca-\(UUID().uuidString)").path
        guard try ExternalTool.run(Self.root.appendingPathComponent("scripts/service-ca").path, [folder] + services).status == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
        return folder
    }

    static func tlsEnvironment(_ folder: String, _ service: String, port: Int) -> [String: String] {
        ["SERVICE_TLS_CERT": "\(folder)/\(service).pem", "SERVICE_TLS_KEY": "\(folder)/\(service).key", "SERVICE_TLS_CA": "\(folder)/ca.pem",
         "INTERNAL_PORT": String(port)]
    }

    /// A port nothing listens on now.
    static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        return channel.localAddress!.port!
    }

    static func call(_ url: String, token: String, tls: TLSConfiguration?) async throws -> Int {
        var configuration = HTTPClient.Configuration()
        if let tls { configuration.tlsConfiguration = tls }
        // Called by name, as ServiceClient does: the listener's certificate names the service, not an address.
        configuration.dnsOverride = ["echo": "127.0.0.1"]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        do {
            // Generous: the suite runs many services at once on two cores, and this is about who is let in, not speed.
            let status = try await client.execute(request, timeout: .seconds(10)).status.code
            try await client.shutdown()
            return Int(status)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func aServiceTokenIsTakenOverMutualTLSOnlyAndOnlyFromTheServiceCA() async throws {
        let ca = try Self.authority("echo", "payments")
        let stranger = try Self.authority("payments")
        defer { for folder in [ca, stranger] { try? FileManager.default.removeItem(atPath: folder) } }
        let port = try Self.freePort()
        let settings = ServiceSettings.testing(name: "echo", environment: Self.tlsEnvironment(ca, "echo", port: port))
        let (app, runtime) = try await EchoService.build(settings: settings)
        let token = try await runtime.verifier.serviceToken(for: "payments", to: "echo")
        let payments = try #require(try ServiceTLS.from(.testing(name: "payments", environment: Self.tlsEnvironment(ca, "payments", port: 0))))
        let impostor = try #require(try ServiceTLS.from(.testing(name: "payments", environment: Self.tlsEnvironment(stranger, "payments", port: 0))))
        try await app.test(.live) { client in
            let url = "https://echo:\(port)/payments-only"
            // Give the TLS listener a moment to bind (it starts beside the public one).
            for _ in 0..<50 {
                if (try? await Self.call(url, token: token, tls: try payments.clientConfiguration())) != nil { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await Self.call(url, token: token, tls: try payments.clientConfiguration()) == 200)
            // The same token on the public port: refused, whoever sends it.
            try await client.execute(uri: "/payments-only", method: .post, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .unauthorized)
                #expect(problemDetail(response)?.contains("service port only") == true)
            }
            // Without a certificate, or with one another CA issued, there is no connection at all.
            var anonymous = TLSConfiguration.makeClientConfiguration()
            anonymous.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile("\(ca)/ca.pem"))
            anonymous.certificateVerification = .noHostnameVerification
            await #expect(throws: (any Error).self) { try await Self.call(url, token: token, tls: anonymous) }
            await #expect(throws: (any Error).self) { try await Self.call(url, token: token, tls: try impostor.clientConfiguration()) }
            // A listener whose certificate is not the CA's is not believed by a caller either.
            var trustsOnlyTheStranger = try payments.clientConfiguration()
            trustsOnlyTheStranger.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile("\(stranger)/ca.pem"))
            await #expect(throws: (any Error).self) { try await Self.call(url, token: token, tls: trustsOnlyTheStranger) }
        }
    }

    /// An instance the registry lists as `echo` whose listener shows a certificate the CA gave another service.
    @Test func aCallerBelievesOnlyAListenerWhoseCertificateNamesTheServiceCalled() async throws {
        struct Listed: ServiceLocator {
            let instance: ServiceInstance
            func instances(of service: String) async throws -> [ServiceInstance] { [self.instance] }
            func reportFailure(of instance: ServiceInstance, service: String) async {}
        }
        let ca = try Self.authority("echo", "portal", "payments")
        defer { try? FileManager.default.removeItem(atPath: ca) }
        let payments = try #require(try ServiceTLS.from(.testing(name: "payments", environment: Self.tlsEnvironment(ca, "payments", port: 0))))
        for (certificate, believed) in [("echo", true), ("portal", false)] {
            let port = try Self.freePort()
            let (app, runtime) = try await EchoService.build(settings: .testing(name: "echo", environment: Self.tlsEnvironment(ca, certificate, port: port)))
            let client = ServiceClient(http: ProcessHTTPClient.shared, locator: Listed(instance: .init(id: "e", address: "127.0.0.1", port: port, scheme: "https")),
                                       verifier: runtime.verifier, callerName: "payments", tls: payments)
            try await app.test(.live) { _ in
                for _ in 0..<50 {
                    if (try? await Self.call("https://127.0.0.1:\(port)/payments-only", token: "x", tls: Self.anyName(try payments.clientConfiguration()))) != nil { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let answer: Result<ServiceResponse, any Error>
                do { answer = .success(try await client.send(.POST, service: "echo", path: "/payments-only", requestID: nil)) } catch { answer = .failure(error) }
                switch (answer, believed) {
                case (.success(let response), true): #expect(response.status == 200)
                case (.failure, false): break
                case (.success(let response), false): Issue.record("a listener showing the \(certificate) certificate was called as echo (\(response.status))")
                case (.failure(let error), true): Issue.record("the echo listener was refused: \(error)")
                }
            }
        }
    }

    /// With mutual TLS on, an https `JWKS_URL` is fetched as from the portal: a listener at that address showing
    /// another service's certificate (the CA's, but not naming the portal) hands out no keys.
    @Test func thePortalsKeysAreTakenOnlyFromAListenerWhoseCertificateNamesThePortal() async throws {
        let ca = try Self.authority("echo", "portal", "payments")
        defer { try? FileManager.default.removeItem(atPath: ca) }
        let portal = try await TokenIssuer(privateKeyPEM: ES256PrivateKey().pemRepresentation)
        let genuine = try await portal.token(for: Identity(subject: "o-1", roles: [.officer], agency: "H33"))
        let keys = try JSONEncoder().encode(portal.jwks)
        for (certificate, believed) in [("portal", true), ("payments", false)] {
            let router = Router()
            router.get("/.well-known/jwks.json") { _, _ in Response(status: .ok, body: .init(byteBuffer: .init(data: keys))) }
            let listener = try #require(try ServiceTLS.from(.testing(name: certificate, environment: Self.tlsEnvironment(ca, certificate, port: 0))))
            let keyServer = Application(router: router, server: try .tls(.http1(), tlsConfiguration: try listener.serverConfiguration()),
                                        configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await keyServer.test(.live) { keyClient in
                var settings = ServiceSettings.testing(name: "echo", environment: Self.tlsEnvironment(ca, "echo", port: try Self.freePort()))
                settings.jwksURL = "https://127.0.0.1:\(keyClient.port!)/.well-known/jwks.json"
                let (app, _) = try await EchoService.build(settings: settings)
                try await app.test(.router) { client in
                    try await client.execute(uri: "/officer", method: .get, headers: [.authorization: "Bearer \(genuine)"]) { response in
                        #expect(response.status == (believed ? .ok : .unauthorized), "keys served with the \(certificate) certificate")
                    }
                }
            }
        }
    }

    /// For waiting until a listener is up, whatever its certificate names.
    static func anyName(_ configuration: TLSConfiguration) -> TLSConfiguration {
        var configuration = configuration
        configuration.certificateVerification = .noHostnameVerification
        return configuration
    }

    @Test func halfASettingIsAStartUpErrorNamingWhatIsMissing() throws {
        let settings = ServiceSettings.testing(name: "echo", environment: ["SERVICE_TLS_CERT": "/nowhere/echo.pem"])
        let refusal = Result { try ServiceTLS.from(settings) }
        guard case .failure(let error) = refusal else {
            Issue.record("a TLS setting without its key and CA was accepted")
            return
        }
        #expect("\(error)".contains("SERVICE_TLS_KEY"))
        #expect(try ServiceTLS.from(.testing(name: "echo")) == nil)
    }
}
