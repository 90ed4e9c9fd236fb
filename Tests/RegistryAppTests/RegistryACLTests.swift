import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import RegistryApp
import ServiceKit
import ServiceTesting
import Testing

/// The registry with ACLs on, as run-local and docker-compose start it: a management token, one token per service
/// (write its own name, read the rest) and a read-only token.
@Suite("Registry ACLs (Consul's)")
struct RegistryACLTests {
    static let management = "mgmt-4f0c1e9a7b2d8e6f5a3c1b0d9e8f7a6b"
    static let singleWindow = "sw-token-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
    static let portal = "portal-token-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
    static let reader = "read-token-0f1e2d3c4b5a69788796a5b4c3d2e1f0"

    static func settings(file: String? = nil, extra: [String: String] = [:]) -> ServiceSettings {
        var environment = [
            "REGISTRY_ACL_MANAGEMENT_TOKEN": management,
            "REGISTRY_ACL_SERVICE_TOKENS": "single-window=\(singleWindow),portal=\(portal)",
            "REGISTRY_ACL_READ_TOKEN": reader,
        ]
        if let file { environment["REGISTRY_ACL_FILE"] = file }
        environment.merge(extra) { $1 }
        return .testing(name: "registry", environment: environment)
    }

    static func headers(_ token: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[HTTPField.Name("X-Consul-Token")!] = token }
        return fields
    }

    var app: some ApplicationProtocol { get throws { try buildRegistryApplication(Self.settings()) } }

    @Test func aRogueRegistrationWithoutATokenIsRefusedAndNotListed() async throws {
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("rogue-1")) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.string.hasPrefix("Permission denied: anonymous token lacks permission 'service:write' on \"single-window\""))
            }
            try await client.execute(uri: "/v1/health/service/single-window", method: .get, headers: Self.headers(Self.management)) { response in
                #expect(entries(response.body)?.isEmpty == true)
            }
        }
    }

    @Test func aServiceTokenRegistersItsOwnNameOnly() async throws {
        try await self.app.test(.router) { client in
            // The portal's token cannot stand in for single-window.
            try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(Self.portal),
                                     body: registration("rogue-1")) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("lacks permission 'service:write' on \"single-window\""))
            }
            try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(Self.singleWindow),
                                     body: registration("sw-1")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/health/service/single-window", method: .get, headers: Self.headers(Self.portal)) { response in
                #expect(entries(response.body)?.map(\.Service.ID) == ["sw-1"])
            }
        }
    }

    @Test func deregistrationAndCheckUpdatesNeedWriteOnTheInstancesService() async throws {
        try await self.app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(Self.singleWindow), body: registration("sw-1"))
            _ = try await client.execute(uri: "/v1/agent/check/pass/service:sw-1", method: .put, headers: Self.headers(Self.singleWindow))
            for token in [nil, Self.portal, Self.reader] {
                try await client.execute(uri: "/v1/agent/service/deregister/sw-1", method: .put, headers: Self.headers(token)) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(uri: "/v1/agent/check/fail/service:sw-1", method: .put, headers: Self.headers(token)) {
                    #expect($0.status == .forbidden)
                }
                let update = ByteBuffer(string: #"{"Status": "critical", "Output": "rogue"}"#)
                try await client.execute(uri: "/v1/agent/check/update/service:sw-1", method: .put, headers: Self.headers(token), body: update) {
                    #expect($0.status == .forbidden)
                }
            }
            // Still there and still passing.
            try await client.execute(uri: "/v1/health/service/single-window?passing", method: .get, headers: Self.headers(Self.reader)) { response in
                #expect(entries(response.body)?.map(\.Service.ID) == ["sw-1"])
            }
            // An unknown instance is 404 whoever asks (Consul answers so before it checks rights it cannot place).
            try await client.execute(uri: "/v1/agent/service/deregister/ghost", method: .put) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/agent/service/deregister/sw-1", method: .put, headers: Self.headers(Self.singleWindow)) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func anUnknownTokenIsACLNotFound() async throws {
        try await self.app.test(.router) { client in
            try await client.execute(uri: "/v1/agent/services", method: .get, headers: Self.headers("not-a-token-anyone-made-0000")) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.string == "ACL not found")
            }
            // Consul's other ways of sending a token are read the same.
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(Self.reader)"
            try await client.execute(uri: "/v1/agent/services", method: .get, headers: bearer) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/agent/services?token=nope-nope-nope-nope", method: .get) { #expect($0.status == .forbidden) }
        }
    }

    @Test func anonymousReadsSeeNothingAndAreToldSo() async throws {
        try await self.app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(Self.singleWindow), body: registration("sw-1"))
            try await client.execute(uri: "/v1/health/service/single-window", method: .get) { response in
                #expect(response.status == .ok)
                #expect(entries(response.body)?.isEmpty == true)
                #expect(response.headers[HTTPField.Name("X-Consul-Results-Filtered-By-ACLs")!] == "true")
            }
            try await client.execute(uri: "/v1/catalog/services", method: .get) { #expect($0.body.string == "{}") }
            try await client.execute(uri: "/v1/catalog/services", method: .get, headers: Self.headers(Self.reader)) { response in
                #expect(response.body.string.contains("single-window"))
                #expect(response.headers[HTTPField.Name("X-Consul-Results-Filtered-By-ACLs")!] == nil)
            }
            // The read-only token cannot write.
            try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(Self.reader),
                                     body: registration("status-1", name: "status")) { #expect($0.status == .forbidden) }
        }
    }

    @Test func aPolicyMadeThroughTheAPIScopesATokenAndOutlivesARestart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("acl-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let secret = "kiosk-token-6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d"
        try await buildRegistryApplication(Self.settings(file: file)).test(.router) { client in
            let policy = ByteBuffer(string: #"{"Name": "kiosk", "Rules": "service_prefix \"kiosk-\" { policy = \"write\" }"}"#)
            // Only the management token may make policies.
            try await client.execute(uri: "/v1/acl/policy", method: .put, headers: Self.headers(Self.portal), body: policy) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/v1/acl/policy", method: .put, headers: Self.headers(Self.management), body: policy) {
                #expect($0.status == .ok)
            }
            let bad = ByteBuffer(string: #"{"Name": "broken", "Rules": "service \"x\" { policy = \"sideways\" }"}"#)
            try await client.execute(uri: "/v1/acl/policy", method: .put, headers: Self.headers(Self.management), body: bad) {
                #expect($0.status == .badRequest)
            }
            let token = ByteBuffer(string: #"{"SecretID": "\#(secret)", "Description": "kiosks", "Policies": [{"Name": "kiosk"}]}"#)
            try await client.execute(uri: "/v1/acl/token", method: .put, headers: Self.headers(Self.management), body: token) {
                #expect($0.status == .ok)
            }
        }
        // A new registry with the same settings knows the token: it was written before it was answered.
        try await buildRegistryApplication(Self.settings(file: file)).test(.router) { client in
            try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(secret),
                                     body: registration("k-1", name: "kiosk-hall-a")) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(secret),
                                     body: registration("k-2", name: "portal")) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/acl/token/self", method: .get, headers: Self.headers(secret)) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("\"kiosks\""))
            }
            try await client.execute(uri: "/v1/acl/policy/name/kiosk", method: .get, headers: Self.headers(Self.management)) {
                #expect($0.status == .ok && $0.body.string.contains("service_prefix"))
            }
            try await client.execute(uri: "/v1/acl/policy/name/kiosk", method: .get, headers: Self.headers(secret)) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/acl/policy/name/nobody", method: .get, headers: Self.headers(Self.management)) {
                #expect($0.status == .notFound)
            }
            // Deleted, the token stops working at once.
            let accessor = try await client.execute(uri: "/v1/acl/token/self", method: .get, headers: Self.headers(secret)) { response in
                try JSONDecoder().decode(ACL.Token.self, from: Data(response.body.readableBytesView)).AccessorID
            }
            try await client.execute(uri: "/v1/acl/token/\(accessor)", method: .delete, headers: Self.headers(Self.management)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/agent/service/register", method: .put, headers: Self.headers(secret),
                                     body: registration("k-3", name: "kiosk-hall-b")) { #expect($0.body.string == "ACL not found") }
        }
    }

    @Test func aTokenThatCannotBeWrittenDownIsNotMadeAndAFileItCannotReadStopsTheStart() async throws {
        // A path under a file: the directory cannot be made, so nothing can be written.
        let secret = "unwritten-token-6b5a4c3d2e1f0a9b8c7d6e5f"
        try await buildRegistryApplication(Self.settings(file: "/dev/null/registry-acl.json")).test(.router) { client in
            let token = ByteBuffer(string: #"{"SecretID": "\#(secret)", "Policies": [{"Name": "read-only"}]}"#)
            try await client.execute(uri: "/v1/acl/token", method: .put, headers: Self.headers(Self.management), body: token) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).contains("could not be written"))
            }
            // Not acknowledged, so not kept either: the secret is no token.
            try await client.execute(uri: "/v1/agent/services", method: .get, headers: Self.headers(secret)) {
                #expect(String(buffer: $0.body) == "ACL not found")
            }
        }
        let garbled = FileManager.default.temporaryDirectory.appendingPathComponent("acl-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: garbled) }
        try Data("{ not the registry's".utf8).write(to: URL(fileURLWithPath: garbled))
        #expect(throws: ConfigurationError.self) { try buildRegistryApplication(Self.settings(file: garbled)) }
    }

    @Test func withoutAManagementTokenTheACLEndpointsSaySoLikeConsul() async throws {
        try await buildRegistryApplication(.testing(name: "registry")).test(.router) { client in
            try await client.execute(uri: "/v1/acl/tokens", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.body.string == "ACL support disabled")
            }
        }
    }

    @Test func productionRefusesToStartWithoutOrWithAPlaceholderManagementToken() throws {
        var settings = ServiceSettings.testing(name: "registry")
        settings.production = true
        #expect(throws: ConfigurationError.missing("REGISTRY_ACL_MANAGEMENT_TOKEN")) { try buildRegistryApplication(settings) }

        var placeholder = Self.settings(extra: ["REGISTRY_ACL_MANAGEMENT_TOKEN": "change-me-registry-management-token-please"])
        placeholder.production = true
        do {
            _ = try buildRegistryApplication(placeholder)
            Issue.record("a placeholder management token was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("REGISTRY_ACL_MANAGEMENT_TOKEN is not a secret: it is a placeholder"))
        }

        var shortServiceToken = Self.settings(extra: ["REGISTRY_ACL_SERVICE_TOKENS": "portal=short"])
        shortServiceToken.production = true
        #expect(throws: ConfigurationError.self) { try buildRegistryApplication(shortServiceToken) }
    }
}
