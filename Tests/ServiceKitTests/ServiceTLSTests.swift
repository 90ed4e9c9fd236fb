import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import NIOSSL
import ServiceKit
import Testing

/// Mutual TLS between services with certificates made by `scripts/service-ca` (openssl): a service token is taken on
/// the TLS listener only, and only from a caller whose certificate the service CA issued.
@Suite("Mutual TLS between services")
struct ServiceTLSTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A CA with certificates for `services`, in a new folder.
    static func authority(_ services: String...) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("service-ca-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent("scripts/service-ca")
        process.arguments = [folder] + services
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
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
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        do {
            let status = try await client.execute(request, timeout: .seconds(2)).status.code
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
            let url = "https://127.0.0.1:\(port)/payments-only"
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
