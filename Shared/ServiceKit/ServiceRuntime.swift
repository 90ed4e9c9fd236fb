import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import Metrics
import Prometheus
import Synchronization

/// The parts every service is built from, opened in order: database and migrations, discovery, identity, events.
public struct ServiceRuntime: Sendable {
    public let settings: ServiceSettings
    public let logger: Logger
    public let database: Database
    public let http: HTTPClient
    public let locator: any ServiceLocator
    public let verifier: TokenVerifier
    public let client: ServiceClient
    public let outbox: Outbox
    /// How this service's outbox is delivered and swept (`OUTBOX_RETENTION_DAYS`).
    public let outboxPolicy: OutboxDispatcher.Policy
    /// The one service that may send each event type (`payment.succeeded` comes from payments only); types not
    /// listed may come from any service, as long as the envelope's source is the caller.
    public let eventPublishers: [String: String]
    /// The browser-facing headers every answer carries (`FRAME_ANCESTORS`, `TRUSTED_PROXIES`).
    public let securityHeaders: SecurityHeadersMiddleware
    /// Mutual TLS between services, when configured: the listener's server (on `tls.internalPort`).
    public let serviceTLS: (settings: ServiceTLS, server: HTTPServerBuilder)?

    /// How the service learns the portal's token keys.
    public enum KeySource: Sendable {
        /// Fetch the portal's key set from `JWKS_URL` (https, or a file), never from whatever discovery lists: on a
        /// laptop it defaults to the file the portal writes under the shared `DATA_DIR`; production requires it.
        case portal
        /// The portal itself, which trusts its own issuer.
        case issuer(TokenIssuer)
    }

    /// Opens the database, applies ServiceKit's and the service's migrations, and wires discovery and identity.
    public static func start(
        settings: ServiceSettings, migrations: MigrationSet, subscriptions: [String: [String]] = [:], publishers: [String: String] = [:],
        keys: KeySource = .portal,
        locator: (any ServiceLocator)? = nil, announce startedEventType: String? = nil
    ) async throws -> ServiceRuntime {
        let outboxPolicy = try OutboxDispatcher.Policy.from(settings)
        let securityHeaders = try SecurityHeadersMiddleware(settings: settings)
        let tls = try ServiceTLS.from(settings)
        let serviceTLS = try tls.map { (settings: $0, server: try HTTPServerBuilder.tls(.http1(), tlsConfiguration: try $0.serverConfiguration())) }
        var logger = Logger(label: "motcua.\(settings.name)")
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
        logger[metadataKey: "service"] = .string(settings.name)
        logger[metadataKey: "instance"] = .string(settings.instanceID)
        _ = ProcessMetrics.registry
        let database = try await Database.open(settings.database, logger: logger)
        do {
            try await Migrator.run([EventTables.migrations, migrations], on: database, logger: logger)
        } catch {
            await database.close()
            throw error
        }
        let http = ProcessHTTPClient.shared
        let resolvedLocator: any ServiceLocator = locator ?? {
            if let registry = settings.registryURL { return RegistryServiceLocator(registryURL: registry, http: http, token: settings.registryToken) }
            return FixedServiceLocator(urls: settings.fixedServiceURLs)
        }()
        let verifier: TokenVerifier
        let maximumLifetime = try settings.seconds("TOKEN_MAX_LIFETIME_SECONDS", default: TokenVerifier.defaultMaximumLifetime)
        switch keys {
        case .issuer(let issuer):
            verifier = await TokenVerifier(serviceSecret: settings.serviceTokenSecret, audience: settings.name, maximumLifetime: maximumLifetime,
                                           fetchJWKS: nil)
            try await verifier.trust(issuer.jwks)
            // The public keys, for the services on this machine that read them from the shared data directory.
            try? issuer.publish(to: JWKSDocument.localFile(dataDirectory: settings.dataDirectory))
        case .portal:
            let jwksURL = try JWKSDocument.source(settings)
            verifier = await TokenVerifier(serviceSecret: settings.serviceTokenSecret, audience: settings.name, maximumLifetime: maximumLifetime) {
                if jwksURL.isFileURL {
                    // A key set on disk: the portal's on this machine, one an operator placed, or a test's.
                    return try JSONDecoder().decode(JWKSDocument.self, from: Data(contentsOf: jwksURL))
                }
                let (client, address) = try ProcessHTTPClient.keySetRoute(jwksURL, tls: tls, plain: http)
                let response = try await client.execute(HTTPClientRequest(url: address), timeout: .seconds(3))
                guard response.status == .ok else { throw JWKSDocument.FetchError(url: jwksURL.absoluteString, status: Int(response.status.code)) }
                let body = try await response.body.collect(upTo: 1024 * 1024)
                return try JSONDecoder().decode(JWKSDocument.self, from: Data(body.readableBytesView))
            }
        }
        // Calls to other services go over TLS with this service's certificate when it has one.
        let client = ServiceClient(http: http, locator: resolvedLocator, verifier: verifier, callerName: settings.name, tls: tls)
        let outbox = Outbox(subscriptions: subscriptions)
        if let startedEventType {
            // Each start leaves through the outbox like any other event, so operators see restarts on the status page.
            let envelope = try EventEnvelope(type: startedEventType, source: settings.name, requestId: nil,
                                             payload: ServiceStarted(service: settings.name, instance: settings.instanceID, startedAt: Date()))
            try await database.transaction { try await outbox.enqueue(envelope, in: $0) }
        }
        return ServiceRuntime(settings: settings, logger: logger, database: database, http: http, locator: resolvedLocator,
                              verifier: verifier, client: client, outbox: outbox, outboxPolicy: outboxPolicy, eventPublishers: publishers,
                              securityHeaders: securityHeaders, serviceTLS: serviceTLS)
    }
}

/// One Prometheus registry per process, behind swift-metrics, so libraries' metrics land in `/metrics` too.
public enum ProcessMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// The payload of the start announcement every service sends.
public struct ServiceStarted: Codable, Sendable, Equatable {
    public var service: String
    public var instance: String
    public var startedAt: Date

    public init(service: String, instance: String, startedAt: Date) {
        self.service = service
        self.instance = instance
        self.startedAt = startedAt
    }
}

/// The process's HTTP client for calls to other services and the registry. A refused connection fails at once
/// (rather than being retried until the deadline), so a call to a dead instance moves on to a live one quickly.
public enum ProcessHTTPClient {
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        // No tracer is set up; without this the client still builds a span's attributes for every request.
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A client like `shared` that calls `service` at `address` over mutual TLS with these files, checking that the
    /// listener's certificate names `service` (the request's URL names the service; `dnsOverride` sends it to the
    /// address). One per set of files, service and address for the life of the process, up to `maximumTLSClients`:
    /// past that the oldest is shut down a minute later (instances that moved away), when its calls have ended.
    static func serviceClient(_ tls: ServiceTLS, calling service: String, at address: String) throws -> HTTPClient {
        let key = [tls.certificateFile, tls.keyFile, tls.caFile, service, address].joined(separator: "|")
        if let client = self.tlsClients.withLock({ $0.clients[key] }) { return client }
        var configuration = HTTPClient.Configuration(tlsConfiguration: try tls.clientConfiguration())
        configuration.dnsOverride = [service: address]
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        configuration.tracing.tracer = nil
        let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let (client, retired) = self.tlsClients.withLock { state -> (HTTPClient, HTTPClient?) in
            // Another call won the race; this one is not needed (and must be shut down before it goes).
            if let existing = state.clients[key] { return (existing, made) }
            state.clients[key] = made
            state.order.append(key)
            guard state.order.count > self.maximumTLSClients else { return (made, nil) }
            return (made, state.clients.removeValue(forKey: state.order.removeFirst()))
        }
        if let retired {
            Task {
                try? await Task.sleep(for: .seconds(60))
                try? await retired.shutdown()
            }
        }
        return client
    }

    static let maximumTLSClients = 256

    /// How the portal's key set is fetched. With mutual TLS on, an `https` `JWKS_URL` is the portal's TLS listener and
    /// is called as the portal: the certificate must be the service CA's and name the portal, so neither a rogue
    /// instance nor someone who answers on the portal's address can hand out keys. Otherwise the plain client (the
    /// system's roots for https).
    static func keySetRoute(_ url: URL, tls: ServiceTLS?, plain: HTTPClient) throws -> (HTTPClient, String) {
        guard let tls, url.scheme?.lowercased() == "https", var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let host = components.host else { return (plain, url.absoluteString) }
        components.host = TokenIssuer.serviceName
        return (try self.serviceClient(tls, calling: TokenIssuer.serviceName, at: host), components.string ?? url.absoluteString)
    }

    private static let tlsClients = Mutex<(clients: [String: HTTPClient], order: [String])>(([:], []))
}

extension ServiceRuntime {
    /// A partner's base URL: `configured` when it is set, else the first passing instance of `service` found through
    /// discovery (the sandbox, when run locally), looked up at each call so a restarted partner is found again.
    public func baseURL(configured: String, discovering service: String) -> @Sendable () async throws -> String {
        if !configured.isEmpty { return { configured } }
        let locator = self.locator
        return {
            guard let instance = try await locator.instances(of: service).first else { throw DiscoveryError.noPassingInstance(service) }
            return instance.publicBaseURL
        }
    }
}
