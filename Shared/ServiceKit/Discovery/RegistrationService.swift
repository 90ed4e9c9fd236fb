import NIOHTTP1
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Keeps this instance in the registry: registers at start, passes its TTL check every third of the TTL,
/// registers again when the registry has forgotten it, and deregisters on graceful shutdown.
public struct RegistrationService: Service {
    let registryURL: String
    let settings: ServiceSettings
    let port: @Sendable () async -> Int
    /// `https` when the registered port is the mutual-TLS listener.
    let scheme: String
    /// Then, the public port too (for browsers, partners and health probes).
    let publicPort: (@Sendable () async -> Int)?
    let ttlSeconds: Int
    let http: HTTPClient
    let logger: Logger

    public init(settings: ServiceSettings, port: @escaping @Sendable () async -> Int, scheme: String = "http",
                publicPort: (@Sendable () async -> Int)? = nil, http: HTTPClient, logger: Logger) {
        self.scheme = scheme
        self.publicPort = publicPort
        self.registryURL = settings.registryURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        self.ttlSeconds = max(1, settings.checkTTLSeconds)
        self.http = http
        self.logger = logger
        self.settings = settings
        self.port = port
    }

    /// The registration body, with the port the server bound.
    func registration(port: Int, publicPort: Int? = nil) -> Consul.ServiceRegistration {
        let settings = self.settings
        var meta = ["version": "1", "pid": "\(ProcessInfo.processInfo.processIdentifier)", "scheme": self.scheme]
        if let publicPort { meta["public_port"] = String(publicPort) }
        return Consul.ServiceRegistration(
            ID: settings.instanceID,
            Name: settings.name,
            Tags: ["motcua"],
            Address: settings.advertiseAddress,
            Port: port,
            Meta: meta,
            Check: Consul.CheckDefinition(
                CheckID: "service:\(settings.instanceID)",
                Name: "\(settings.name) TTL",
                TTL: "\(self.ttlSeconds)s",
                DeregisterCriticalServiceAfter: "\(max(1, settings.deregisterCriticalAfterSeconds))s"
            )
        )
    }

    var checkID: String { "service:\(self.settings.instanceID)" }

    public func run() async throws {
        var publicPort: Int?
        if let port = self.publicPort { publicPort = await port() }
        let registration = self.registration(port: await self.port(), publicPort: publicPort)
        // The heartbeat loop ends at graceful shutdown; then the instance leaves the registry before the process does.
        await cancelWhenGracefulShutdown {
            var registered = false
            while !Task.isCancelled {
                do {
                    if !registered {
                        try await self.register(registration)
                        registered = true
                        self.logger.info("registered", metadata: ["registry": "\(self.registryURL)", "instance": "\(self.settings.instanceID)"])
                    }
                    let known = try await self.pass()
                    if !known {
                        self.logger.warning("the registry no longer knows this instance; registering again")
                        registered = false
                        continue
                    }
                } catch let error as DiscoveryError where error.isRefusal {
                    // A refused token is the operator's to fix: said at each attempt, in words they can act on.
                    self.logger.error("\(error)")
                    registered = false
                } catch {
                    self.logger.warning("registry unreachable; will retry", metadata: ["error": "\(error)"])
                    registered = false
                }
                let interval = Double(self.ttlSeconds) / 3
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
        }
        do {
            try await self.send(.PUT, "/v1/agent/service/deregister/\(self.settings.instanceID)", body: nil)
            self.logger.info("deregistered")
        } catch {
            self.logger.warning("could not deregister; the registry will reap this instance", metadata: ["error": "\(error)"])
        }
    }

    func register(_ registration: Consul.ServiceRegistration) async throws {
        let body = try JSONEncoder().encode(registration)
        let (status, text) = try await self.send(.PUT, "/v1/agent/service/register", body: body)
        if status == 403 { throw DiscoveryError.registryRefused(text) }
        guard status == 200 else { throw DiscoveryError.registryUnavailable("register answered \(status): \(text)") }
    }

    /// False when the registry answered that the check is unknown.
    func pass() async throws -> Bool {
        let (status, text) = try await self.send(.PUT, "/v1/agent/check/pass/\(self.checkID)", body: nil)
        if status == 200 { return true }
        if status == 404 || status == 500 { return false }
        if status == 403 { throw DiscoveryError.registryRefused(text) }
        throw DiscoveryError.registryUnavailable("check pass answered \(status): \(text)")
    }

    @discardableResult
    private func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> (status: UInt, text: String) {
        var request = HTTPClientRequest(url: self.registryURL + path)
        request.method = method
        if let token = self.settings.registryToken { request.headers.add(name: "X-Consul-Token", value: token) }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await self.http.execute(request, timeout: .seconds(3))
        let text = try await response.body.collect(upTo: 1024 * 1024)
        return (response.status.code, String(decoding: text.readableBytesView.prefix(300), as: UTF8.self))
    }
}
