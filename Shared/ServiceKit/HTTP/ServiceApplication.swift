import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

import SQLKit

/// How a service reacts to an event it subscribes to; it writes through the inbox transaction it is given.
public typealias EventHandler = @Sendable (EventEnvelope, any SQLDatabase) async throws -> Void

/// How a service reacts to an event without writing anything: run on every delivery, with no inbox record and no
/// transaction, for what is harmless to repeat (forgetting a kept answer).
public typealias EventListener = @Sendable (EventEnvelope) async -> Void

/// Builds a service's Hummingbird application the same way for every service: middleware, the common endpoints,
/// the service's routes, registration with the registry and the outbox dispatcher.
public struct ServiceApplicationBuilder {
    public let runtime: ServiceRuntime
    public var openAPI: OpenAPIDocument
    public var eventHandlers: [String: EventHandler] = [:]
    /// Event types heard without the inbox (see `EventListener`); a type has a listener or a handler, not both.
    public var eventListeners: [String: EventListener] = [:]
    public var extraServices: [any Service] = []
    /// How the outbox dispatcher retries; nil runs no dispatcher (tests that drive delivery by hand).
    public var dispatcherPolicy: OutboxDispatcher.Policy?
    /// Extra readiness checks beyond the database (name → passing).
    public var readinessChecks: [String: @Sendable () async -> Bool] = [:]

    public init(runtime: ServiceRuntime, openAPI: OpenAPIDocument) {
        self.runtime = runtime
        self.openAPI = openAPI
        self.dispatcherPolicy = runtime.outboxPolicy
    }

    /// The router with the common middleware; the service adds its own routes to it. The common endpoints are added
    /// by `build`, so event handlers and readiness checks set at any time before it are served.
    public mutating func makeRouter() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: self.runtime.securityHeaders)
        router.add(middleware: RequestMiddleware())
        router.add(middleware: IdentityMiddleware(verifier: self.runtime.verifier, trustedProxies: self.runtime.settings.trustedProxies,
                                                  serviceTokensOverTLSOnly: self.runtime.serviceTLS != nil))
        return router
    }

    /// The application, with the dispatcher and (when a registry is configured) registration as managed services.
    public mutating func build(router: Router<ServiceRequestContext>) -> some ApplicationProtocol {
        if self.eventHandlers[Revocations.eventType] == nil { self.eventHandlers[Revocations.eventType] = Revocations.handler(self.runtime.verifier) }
        CommonRoutes(runtime: self.runtime, readinessChecks: self.readinessChecks, eventHandlers: self.eventHandlers,
                     eventListeners: self.eventListeners).register(on: router, openAPI: &self.openAPI)
        OperationsRoutes.serve(self.openAPI, on: router)
        let settings = self.runtime.settings
        let logger = self.runtime.logger
        let boundPort = BoundPort()
        var services: [any Service] = [DatabaseService(database: self.runtime.database),
                                       RevocationWatcher(database: self.runtime.database, verifier: self.runtime.verifier, logger: logger)]
        if let policy = self.dispatcherPolicy {
            services.append(OutboxDispatcher(database: self.runtime.database, client: self.runtime.client, policy: policy, logger: logger))
        }
        // With mutual TLS, other services reach this one on its TLS listener, which is what the registry lists.
        if let tls = self.runtime.serviceTLS {
            let internalPort = BoundPort()
            services.append(Application(
                responder: ServiceTLSResponder(base: router.buildResponder()), server: tls.server,
                configuration: .init(address: .hostname(settings.host, port: tls.settings.internalPort), serverName: "motcua-\(settings.name)"),
                onServerRunning: { channel in
                    await internalPort.set(channel.localAddress?.port ?? tls.settings.internalPort)
                    logger.info("listening for services (mutual TLS)", metadata: ["address": "\(settings.host):\(channel.localAddress?.port ?? 0)"])
                },
                logger: logger
            ))
            if settings.registryURL != nil {
                services.append(RegistrationService(settings: settings, port: { await internalPort.value }, scheme: "https",
                                                    publicPort: { await boundPort.value }, http: self.runtime.http, logger: logger))
            }
        } else if settings.registryURL != nil {
            services.append(RegistrationService(settings: settings, port: { await boundPort.value }, http: self.runtime.http, logger: self.runtime.logger))
        }
        services.append(contentsOf: self.extraServices)
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "motcua-\(settings.name)"),
            services: services,
            onServerRunning: { channel in
                await boundPort.set(channel.localAddress?.port ?? settings.port)
                logger.info("listening", metadata: ["address": "\(settings.host):\(channel.localAddress?.port ?? settings.port)"])
            },
            logger: self.runtime.logger
        )
    }
}

/// The port the server actually bound (differs from the setting when that is 0).
actor BoundPort {
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    func set(_ port: Int) {
        self.port = port
        for waiter in self.waiters { waiter.resume(returning: port) }
        self.waiters = []
    }

    var value: Int {
        get async {
            if let port { return port }
            return await withCheckedContinuation { self.waiters.append($0) }
        }
    }
}

/// Closes the database after the server has stopped taking requests.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await self.database.close()
    }
}

/// The mutual-TLS listener's responder: the service's own routes, with the request marked as having come from a
/// caller that showed a certificate of the service CA (the TLS handshake refused anyone else).
struct ServiceTLSResponder<Base: HTTPResponder>: HTTPResponder where Base.Context == ServiceRequestContext {
    let base: Base

    func respond(to request: Request, context: ServiceRequestContext) async throws -> Response {
        var context = context
        context.overServiceTLS = true
        return try await self.base.respond(to: request, context: context)
    }
}
