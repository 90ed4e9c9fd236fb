import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization

/// One running instance of a service.
public struct ServiceInstance: Sendable, Hashable, Codable {
    public var id: String
    public var address: String
    public var port: Int
    /// `https` for an instance that answers services over mutual TLS (its registration's `Meta.scheme`); nil: http.
    public var scheme: String?
    /// With mutual TLS, the port browsers, partners and health probes use (`Meta.public_port`); `port` is then the
    /// TLS listener.
    public var publicPort: Int?

    public init(id: String, address: String, port: Int, scheme: String? = nil, publicPort: Int? = nil) {
        self.id = id
        self.address = address
        self.port = port
        self.scheme = scheme
        self.publicPort = publicPort
    }

    /// Where services call it (over mutual TLS when it has a TLS listener).
    public var baseURL: String { "\(self.scheme ?? "http")://\(self.address):\(self.port)" }
    /// Where everyone else reaches it: plain HTTP on its public port (behind the province's proxy in production).
    public var publicBaseURL: String { "http://\(self.address):\(self.publicPort ?? self.port)" }
}

/// Finds the instances of a service, in the order to try them.
public protocol ServiceLocator: Sendable {
    /// Passing instances, rotated so successive calls spread over them (round-robin).
    func instances(of service: String) async throws -> [ServiceInstance]
    /// A call to the instance failed: forget cached answers so the next look-up asks again.
    func reportFailure(of instance: ServiceInstance, service: String) async
}

/// Without a registry: one fixed URL per service from the environment (`SINGLE_WINDOW_URL`, …).
public struct FixedServiceLocator: ServiceLocator {
    let urls: [String: String]

    public init(urls: [String: String]) {
        self.urls = urls
    }

    public func instances(of service: String) async throws -> [ServiceInstance] {
        guard let text = self.urls[service], let url = URLComponents(string: text), let host = url.host else {
            throw DiscoveryError.unknownService(service)
        }
        return [ServiceInstance(id: service, address: host, port: url.port ?? 80)]
    }

    public func reportFailure(of instance: ServiceInstance, service: String) async {}
}

public enum DiscoveryError: Error, CustomStringConvertible {
    case unknownService(String)
    case noPassingInstance(String)
    case registryUnavailable(String)
    /// The registry refused this service's token (REGISTRY_TOKEN): its text, for the operator.
    case registryRefused(String)

    public var isRefusal: Bool {
        if case .registryRefused = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unknownService(let name): "no URL is configured for the service '\(name)'"
        case .noPassingInstance(let name): "no passing instance of '\(name)' is registered"
        case .registryUnavailable(let detail): "the service registry did not answer: \(detail)"
        case .registryRefused(let detail): "the service registry refused this service's REGISTRY_TOKEN: \(detail)"
        }
    }
}

/// `GET /v1/health/service/:name` of a Consul-compatible registry.
public struct ConsulHealthClient: Sendable {
    let registryURL: String
    let http: HTTPClient
    /// Sent as `X-Consul-Token`; the registry answers only what the token may read.
    let token: String?

    public init(registryURL: String, http: HTTPClient, token: String?) {
        self.registryURL = registryURL.hasSuffix("/") ? String(registryURL.dropLast()) : registryURL
        self.http = http
        self.token = token
    }

    /// The service's instances with their checks; only those whose every check passes when `passingOnly`.
    public func entries(of service: String, passingOnly: Bool) async throws -> [Consul.ServiceEntry] {
        let name = service.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? service
        var request = HTTPClientRequest(url: "\(self.registryURL)/v1/health/service/\(name)\(passingOnly ? "?passing=true" : "")")
        if let token { request.headers.add(name: "X-Consul-Token", value: token) }
        do {
            let response = try await self.http.execute(request, timeout: .seconds(3))
            let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
            if response.status == .forbidden {
                throw DiscoveryError.registryRefused(String(decoding: body.readableBytesView.prefix(300), as: UTF8.self))
            }
            guard response.status == .ok else { throw DiscoveryError.registryUnavailable("status \(response.status.code)") }
            return try JSONDecoder().decode([Consul.ServiceEntry].self, from: Data(body.readableBytesView))
        } catch let error as DiscoveryError {
            throw error
        } catch {
            throw DiscoveryError.registryUnavailable("\(error)")
        }
    }
}

extension Consul.ServiceEntry {
    /// The instance as callers address it (the node's address when the service registered none).
    public var instance: ServiceInstance {
        ServiceInstance(id: self.Service.ID, address: self.Service.Address.isEmpty ? self.Node.Address : self.Service.Address, port: self.Service.Port,
                        scheme: self.Service.Meta["scheme"] == "https" ? "https" : nil, publicPort: self.Service.Meta["public_port"].flatMap(Int.init))
    }
}

/// Asks a Consul-compatible registry for passing instances and keeps the answer for a moment (`ExpiringCache`, read
/// under a lock: a call answered from it costs no hop to another thread), so a busy service does not ask the
/// registry on every call; callers that find no fresh answer each ask the registry (as do callers while no instance
/// passes: that answer is not kept).
public final class RegistryServiceLocator: ServiceLocator {
    private let health: ConsulHealthClient
    private let cache: ExpiringCache<[ServiceInstance]>
    /// Calls so far, by service: where the next rotation starts.
    private let counters = Mutex<[String: Int]>([:])

    public init(registryURL: String, http: HTTPClient, token: String?, cacheSeconds: Double = 2) {
        self.health = ConsulHealthClient(registryURL: registryURL, http: http, token: token)
        self.cache = ExpiringCache(lifetime: .milliseconds(Int(cacheSeconds * 1000)))
    }

    public func instances(of service: String) async throws -> [ServiceInstance] {
        let list: [ServiceInstance]
        if let kept = self.cache.find(service) {
            list = kept
        } else {
            list = try await self.fetch(service)
            // "None passing" is not kept: a service that is starting is found as soon as it passes.
            if !list.isEmpty { self.cache.keep(service, list) }
        }
        guard !list.isEmpty else { throw DiscoveryError.noPassingInstance(service) }
        let start = self.counters.withLock { counters in
            defer { counters[service, default: 0] &+= 1 }
            return counters[service, default: 0]
        }
        let offset = start % list.count
        return Array(list[offset...] + list[..<offset])
    }

    public func reportFailure(of instance: ServiceInstance, service: String) async {
        self.cache.forget(service)
    }

    private func fetch(_ service: String) async throws -> [ServiceInstance] {
        try await self.health.entries(of: service, passingOnly: true).map(\.instance).sorted { $0.id < $1.id }
    }

}
