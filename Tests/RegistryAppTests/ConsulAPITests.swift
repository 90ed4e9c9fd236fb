import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import RegistryApp
import ServiceKit
import ServiceTesting
import Testing

func registration(_ id: String, name: String = "single-window", port: Int = 8081, ttl: String = "10s", deregisterAfter: String? = nil) -> ByteBuffer {
    var check: [String: Any] = ["TTL": ttl]
    if let deregisterAfter { check["DeregisterCriticalServiceAfter"] = deregisterAfter }
    let body: [String: Any] = ["ID": id, "Name": name, "Address": "127.0.0.1", "Port": port, "Tags": ["motcua"], "Check": check]
    return ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: body))
}

/// The decoded health entries, nil when the body is not Consul's shape (so a comparison fails).
func entries(_ buffer: ByteBuffer) -> [Consul.ServiceEntry]? {
    try? JSONDecoder().decode([Consul.ServiceEntry].self, from: Data(buffer.readableBytesView))
}

@Suite("Registry speaks Consul")
struct ConsulAPITests {
    var app: some ApplicationProtocol { get throws { try buildRegistryApplication(.testing(name: "registry")) } }

    @Test func aTTLInstanceIsPassingOnlyAfterItsFirstPass() async throws {
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("sw-1")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/health/service/single-window?passing", method: .get) { response in
                #expect(entries(response.body)?.isEmpty == true)
                #expect(response.headers[HTTPField.Name("X-Consul-Index")!] != nil)
            }
            try await client.execute(uri: "/v1/health/service/single-window", method: .get) { response in
                let all = entries(response.body) ?? []
                #expect(all.count == 1)
                #expect(all[0].Checks.contains { $0.CheckID == "service:sw-1" && $0.Status == "critical" })
            }
            try await client.execute(uri: "/v1/agent/check/pass/service:sw-1", method: .put) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/health/service/single-window?passing=true", method: .get) { response in
                let passing = entries(response.body) ?? []
                #expect(passing.map(\.Service.ID) == ["sw-1"])
                #expect(passing[0].Service.Port == 8081)
                #expect(passing[0].Service.Address == "127.0.0.1")
                #expect(passing[0].Checks.allSatisfy { $0.Status == "passing" })
            }
        }
    }

    @Test func keysAreReadCaseInsensitivelyAsConsulReadsThem() async throws {
        // The body py-consul sends: lower-case keys, the check in "checks".
        let body = #"{"name": "payments", "id": "pay-7", "port": 8083, "meta": {"Owner": "ops"}, "checks": [{"ttl": "10s"}]}"#
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/agent/service/register", method: .put, body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/agent/check/pass/service:pay-7", method: .put) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/health/service/payments?passing", method: .get) { response in
                let entry = entries(response.body)?.first
                #expect(entry?.Service.ID == "pay-7")
                #expect(entry?.Service.Port == 8083)
                // User data keeps its own spelling.
                #expect(entry?.Service.Meta == ["Owner": "ops"])
            }
        }
    }

    @Test func agentAndCatalogListings() async throws {
        try await self.app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("sw-1"))
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("sw-2", port: 8091))
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("pay-1", name: "payments", port: 8083))
            try await client.execute(uri: "/v1/agent/services", method: .get) { response in
                let services = try JSONDecoder().decode([String: Consul.AgentService].self, from: Data(response.body.readableBytesView))
                #expect(Set(services.keys) == ["sw-1", "sw-2", "pay-1"])
                #expect(services["sw-2"]?.Port == 8091)
            }
            try await client.execute(uri: "/v1/catalog/services", method: .get) { response in
                let catalog = try JSONDecoder().decode([String: [String]].self, from: Data(response.body.readableBytesView))
                #expect(catalog == ["single-window": ["motcua"], "payments": ["motcua"]])
            }
            try await client.execute(uri: "/v1/agent/service/deregister/sw-1", method: .put) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/health/service/single-window", method: .get) { #expect(entries($0.body)?.map(\.Service.ID) == ["sw-2"]) }
        }
    }

    @Test("malformed registrations get a 400 in Consul's words and change nothing", arguments: [
        ("{\"Port\": 1}", "Missing service name"),
        ("{\"Name\": \"x\", \"Check\": {\"TTL\": \"ten\"}}", "invalid duration"),
        ("{\"Name\": \"x\", \"Check\": {}}", "Invalid check"),
        ("{\"Name\": \"x\", \"Check\": {\"HTTP\": \"http://127.0.0.1:1/\"}}", "Interval"),
        ("{\"Name\": \"x\", \"Port\": 70000}", "port"),
        ("not json", "Request decode failed"),
    ])
    func malformed(body: String, message: String) async throws {
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/agent/service/register", method: .put, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains(message))
            }
            try await client.execute(uri: "/v1/agent/services", method: .get) { #expect($0.body.string == "{}") }
        }
    }

    @Test func unknownChecksAndServicesAre404s() async throws {
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/agent/check/pass/service:ghost", method: .put) { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("Unknown check ID \"service:ghost\""))
            }
            try await client.execute(uri: "/v1/agent/service/deregister/ghost", method: .put) { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("Unknown service ID"))
            }
        }
    }

    @Test func blockingQueriesReturnOnChangeOrAfterTheWait() async throws {
        try await self.app.test(.router) { client in
            let index = try await client.execute(uri: "/v1/health/service/payments", method: .get) { response in
                UInt64(response.headers[HTTPField.Name("X-Consul-Index")!] ?? "0")!
            }
            // Nothing changes: the query waits about the given time, then answers with the same index.
            let start = ContinuousClock.now
            try await client.execute(uri: "/v1/health/service/payments?index=\(index)&wait=300ms", method: .get) { response in
                #expect(UInt64(response.headers[HTTPField.Name("X-Consul-Index")!]!)! == index)
            }
            #expect(ContinuousClock.now - start >= .milliseconds(290))

            // A registration while a query waits wakes it with a higher index.
            async let waited = client.execute(uri: "/v1/health/service/payments?index=\(index)&wait=30s", method: .get) { response in
                (UInt64(response.headers[HTTPField.Name("X-Consul-Index")!]!)!, entries(response.body)?.count)
            }
            try await Task.sleep(for: .milliseconds(100))
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("pay-1", name: "payments"))
            let (newIndex, count) = try await waited
            #expect(newIndex > index)
            #expect(count == 1)
            try await client.execute(uri: "/v1/health/service/payments?index=abc", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    @Test func expiredTTLsTurnCriticalAndAreReapedAfterTheirDeadline() async throws {
        try await self.app.test(.router) { client in
            // Critical one second after the last pass, reaped eight seconds after that: windows wide enough for a
            // loaded machine to look in (three seconds was seen missed while the whole suite ran on two cores).
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put,
                                         body: registration("sw-9", ttl: "1s", deregisterAfter: "8s"))
            _ = try await client.execute(uri: "/v1/agent/check/pass/service:sw-9", method: .put)
            try await client.execute(uri: "/v1/health/service/single-window?passing", method: .get) { #expect(entries($0.body)?.count == 1) }
            try await Task.sleep(for: .milliseconds(1500))
            try await client.execute(uri: "/v1/health/service/single-window?passing", method: .get) { #expect(entries($0.body)?.isEmpty == true) }
            try await client.execute(uri: "/v1/health/service/single-window", method: .get) { response in
                #expect(entries(response.body)?.first?.Checks.last?.Output == "TTL expired")
            }
            #expect(try await eventually(seconds: 30) {
                try await client.execute(uri: "/v1/agent/services", method: .get) { $0.body.string == "{}" }
            })
        }
    }
}

extension ByteBuffer {
    var string: String { String(buffer: self) }
}
