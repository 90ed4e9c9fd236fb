import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import RegistryApp
import ServiceKit
import ServiceTesting
import Testing

/// Numbers past what the registry can hold, and random requests to every endpoint: each is answered 4xx (or 2xx), none
/// is a 5xx, and the registry keeps answering afterwards.
@Suite("Registry under hostile input")
struct RegistryFuzzTests {
    var app: some ApplicationProtocol { get throws { try buildRegistryApplication(.testing(name: "registry")) } }

    @Test(arguments: ["100000000000000000s", "9223372037s", "1e29s", "99999999999999999999999999999999999999h", "-1s", "NaNs", "infs", "10"])
    func anOversizeOrMalformedWaitIs400AndTheRegistryStaysUp(wait: String) async throws {
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/health/service/portal?index=1&wait=\(wait)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Invalid wait time"))
            }
            try await client.execute(uri: "/v1/status/leader", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test(arguments: ["1e29s", "100000000000000000s", "9999999999999999999999999999999999ms", "1.5.5s", "10x", "s", ""])
    func anOversizeOrMalformedTTLIs400AndNothingIsRegistered(ttl: String) async throws {
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("sw-1", ttl: ttl)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/agent/services", method: .get) { #expect($0.body.string == "{}") }
        }
    }

    @Test func indexesPastUInt64Are400() async throws {
        try await self.app.test(.router) { client in
            for index in ["18446744073709551616", "-1", "1.5", "0x10"] {
                try await client.execute(uri: "/v1/catalog/services?index=\(index)&wait=1ms", method: .get) { #expect($0.status == .badRequest) }
            }
        }
    }

    /// SplitMix64: the same requests on every run, so a failure can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let numbers = ["0", "1", "-1", "1e308", "1e309", "18446744073709551616", "9223372036854775808", "NaN", "1.7976931348623157e308",
                          "99999999999999999999999999", "0.0000001", "\"12\"", "null", "true"]
    static let durations = ["1ms", "10s", "0s", "-5s", "1e29s", "100000000000000000s", "9223372036.854775s", "2562047h47m16s", "1h1h1h1h",
                            String(repeating: "9", count: 400) + "s", "µs", "5µs", "٣s", "1.s", ".5s"]
    static let strings = ["", "a", "single-window", "../../etc", "x\u{0}y", String(repeating: "é", count: 3000), "💥", "service:sw-1", "%00", "\\"]

    static func pick<T>(_ values: [T], _ random: inout Seeded) -> T { values[Int(random.next() % UInt64(values.count))] }

    static func body(_ random: inout Seeded) -> String {
        let name = pick(strings, &random).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\u{0}", with: "\\u0000")
        let fields = [
            "\"ID\": \"\(name)\"", "\"Name\": \"\(name)\"", "\"Port\": \(pick(numbers, &random))", "\"Address\": \"\(name)\"",
            "\"Check\": {\"TTL\": \"\(pick(durations, &random))\", \"DeregisterCriticalServiceAfter\": \"\(pick(durations, &random))\"}",
            "\"Checks\": [{\"HTTP\": \"http://127.0.0.1:9/\", \"Interval\": \"\(pick(durations, &random))\", \"Timeout\": \"\(pick(durations, &random))\"}]",
            "\"Tags\": \(pick(["[]", "[1]", "\"x\"", "null", "[\"a\"]"], &random))", "\"Meta\": \(pick(["{}", "[]", "{\"a\": 1}", "null"], &random))",
            "\"Status\": \"\(pick(["passing", "bogus", ""], &random))\"", "\"Output\": \"\(name)\"",
        ]
        let chosen = fields.filter { _ in random.next() % 2 == 0 }
        switch random.next() % 6 {
        case 0: return "{" + chosen.joined(separator: ",")  // cut short
        case 1: return pick(["[]", "null", "42", "\"x\"", "", "{}", "{\"ID\": {\"nested\": []}}"], &random)
        default: return "{" + chosen.joined(separator: ",") + "}"
        }
    }

    static func query(_ random: inout Seeded) -> String {
        var parts: [String] = []
        // An index always comes with a wait that is refused or ends at once: the default wait would hold the test for minutes.
        if random.next() % 2 == 0 {
            parts.append("index=" + pick(["1", "0", "abc", "18446744073709551616", "-3", "99999999999"] + numbers, &random))
            parts.append("wait=" + pick(["1ms", "0s", "1e29s", "100000000000000000s", "x", "-1s", "9999999999999h"], &random))
        }
        if random.next() % 3 == 0 { parts.append(pick(["passing", "passing=false", "tag=motcua", "token=", "token=bogus", "filter=x"], &random)) }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    @Test func randomRequestsToEveryEndpointNeverGetA5xx() async throws {
        var random = Seeded(state: 20_261_206)
        let endpoints: [(HTTPRequest.Method, String)] = [
            (.put, "/v1/agent/service/register"), (.put, "/v1/agent/service/deregister/{s}"), (.put, "/v1/agent/check/pass/{s}"),
            (.put, "/v1/agent/check/warn/{s}"), (.put, "/v1/agent/check/fail/{s}"), (.put, "/v1/agent/check/update/{s}"),
            (.get, "/v1/agent/services"), (.get, "/v1/agent/checks"), (.get, "/v1/health/service/{s}"), (.get, "/v1/catalog/services"),
            (.get, "/v1/status/leader"), (.get, "/v1/acl/tokens"), (.put, "/v1/acl/token"), (.put, "/v1/acl/policy"),
        ]
        // The requests are drawn first, so that the closure the test client runs holds no mutable state.
        var requests: [(HTTPRequest.Method, String, ByteBuffer?)] = []
        for _ in 0..<600 {
            let (method, template) = Self.pick(endpoints, &random)
            let segment = Self.pick(["sw-1", "service:sw-1", "ghost", "a%20b", "%FF", "x%00y", String(repeating: "z", count: 2000)], &random)
            let uri = template.replacingOccurrences(of: "{s}", with: segment) + Self.query(&random)
            requests.append((method, uri, method == .put ? ByteBuffer(string: Self.body(&random)) : nil))
        }
        let drawn = requests
        try await self.app.test(.router) { client in
            // A real instance, so that some fuzzed check updates hit a check that exists.
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("sw-1"))
            var failures: [String] = []
            for (method, uri, body) in drawn {
                let status = try await client.execute(uri: uri, method: method, body: body) { $0.status }
                if status.code >= 500 { failures.append("\(method) \(uri) -> \(status.code)") }
            }
            #expect(failures.isEmpty, "\(failures.prefix(5))")
            try await client.execute(uri: "/v1/health/service/single-window", method: .get) { response in
                #expect(response.status == .ok)
                #expect(entries(response.body) != nil)
            }
        }
    }
}
