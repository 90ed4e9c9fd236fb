import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PortalApp
import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

@Suite("Portal: tokens, status, start announcements")
struct PortalTests {
    @Test func itBootsLikeEveryService() async throws {
        let settings = ServiceSettings.testing(name: "portal")
        let report = try await BootReport.collect(try await buildPortalApplication(settings), settings: settings)
        #expect(report.unmet(title: "MotCua portal") == [])
        #expect(report.openAPIPaths.isSuperset(of: ["/.well-known/jwks.json", "/api/v1/status", "/status"]))
    }

    @Test func everyPathParameterOfItsOpenAPIDocumentIsDeclared() async throws {
        let app = try await buildPortalApplication(ServiceSettings.testing(name: "portal"))
        try await app.test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) { try #require(jsonObject($0)) }
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(paths["/procedures/{code}/submit"] != nil)
            #expect(paths["/my/dossiers/{id}"] != nil)
            for (path, operations) in paths where path.contains("{") {
                let named = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                for case let (method, operation as [String: Any]) in operations {
                    let declared = Set(((operation["parameters"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
                    #expect(named.isSubset(of: declared), "\(method) \(path) declares \(declared)")
                }
            }
        }
    }

    @Test func itsJWKSVerifiesTheTokensItsKeySigns() async throws {
        let settings = ServiceSettings.testing(name: "portal")
        let app = try await buildPortalApplication(settings)
        // `portal token` loads the same key file the server created.
        let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
        let token = try await issuer.token(for: Identity(subject: "079095000123", roles: [.citizen]))
        try await app.test(.router) { client in
            let jwks = try await client.execute(uri: "/.well-known/jwks.json", method: .get) { response in
                #expect(response.headers[.cacheControl] == "public, max-age=300")
                return try JSONDecoder().decode(JWKSDocument.self, from: Data(response.body.readableBytesView))
            }
            #expect(jwks.keys.map(\.kid) == [issuer.keyID])
            #expect(jwks.keys.first?.alg == "ES256")
            let verifier = await TokenVerifier(serviceSecret: "other") { jwks }
            #expect(try await verifier.verify(token).subject == "079095000123")
        }
    }

    @Test func statusFindsAServiceAndItsReadinessThroughDiscovery() async throws {
        let singleWindow = try await buildSingleWindowApplication(.testing(name: "single-window"))
        try await singleWindow.test(.live) { singleWindowClient in
            let port = try #require(singleWindowClient.port)
            // A generous wait: the suite runs many services at once on two cores, and this is about discovery, not speed.
            var settings = ServiceSettings.testing(name: "portal", environment: ["STATUS_PROBE_SECONDS": "10"])
            settings.fixedServiceURLs = ["single-window": "http://127.0.0.1:\(port)", "payments": "http://127.0.0.1:9"]
            let portal = try await buildPortalApplication(settings)
            try await portal.test(.router) { client in
                let status = try await client.execute(uri: "/api/v1/status", method: .get) { response in
                    try JSONDecoder.motcua.decode(PlatformStatus.self, from: Data(response.body.readableBytesView))
                }
                #expect(status.discovery == "fixed")
                #expect(status.services.map(\.name) == Topology.registered)
                let byName = Dictionary(uniqueKeysWithValues: status.services.map { ($0.name, $0) })
                #expect(byName["single-window"]?.reachable == true)
                #expect(byName["single-window"]?.instances.first?.ready == true)
                #expect(byName["payments"]?.reachable == false)
                #expect(byName["payments"]?.instances.first?.ready == nil)
                try await client.execute(uri: "/status", method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(page.contains("Tình trạng hệ thống"))
                    #expect(page.contains("<meta name=\"viewport\""))
                    #expect(page.contains("Không truy cập được"))
                }
            }
        }
    }

    @Test func startAnnouncementsAreRecordedOnceAndShown() async throws {
        let settings = ServiceSettings.testing(name: "portal")
        let app = try await buildPortalApplication(settings)
        let token = try await TokenVerifier(serviceSecret: settings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: "payments", to: "portal")
        let started = Date(timeIntervalSince1970: 1_780_000_000)
        let envelope = try EventEnvelope(type: EventType.serviceStarted, source: "payments", requestId: "r-1",
                                         payload: ServiceStarted(service: "payments", instance: "payments-<b>1</b>", startedAt: started))
        let body = try JSONEncoder.motcua.encode(envelope)
        try await app.test(.router) { client in
            for expected in [HTTPResponse.Status.ok, .accepted] {
                try await client.execute(uri: "/internal/events", method: .post, headers: [.authorization: "Bearer \(token)"],
                                         body: ByteBuffer(bytes: body)) { #expect($0.status == expected) }
            }
            let status = try await client.execute(uri: "/api/v1/status", method: .get) { response in
                try JSONDecoder.motcua.decode(PlatformStatus.self, from: Data(response.body.readableBytesView))
            }
            let payments = status.recentStarts.filter { $0.service == "payments" }
            #expect(payments.count == 1)
            #expect(payments.first?.startedAt == started)
            try await client.execute(uri: "/status", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("payments-&lt;b&gt;1&lt;/b&gt;"))
                #expect(!page.contains("<b>1</b>"))
            }
        }
    }
}
