import AsyncHTTPClient
import Hummingbird
import Logging
import ServiceKit

/// The registry keeps its instances in memory (they re-register after a restart, as with a Consul agent) and its
/// ACL tokens and policies in `REGISTRY_ACL_FILE`. ACLs are on when `REGISTRY_ACL_MANAGEMENT_TOKEN` is set, which
/// production requires.
public func buildRegistryApplication(_ settings: ServiceSettings) throws -> some ApplicationProtocol {
    var logger = Logger(label: "motcua.registry")
    logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
    logger[metadataKey: "service"] = "registry"
    _ = ProcessMetrics.registry
    let runLogger = logger
    let store = RegistryStore()
    let acl = try ACLStore(settings: settings)
    if !acl.enabled { logger.warning("ACLs are off: anyone who reaches the registry may register and deregister services (set REGISTRY_ACL_MANAGEMENT_TOKEN)") }
    var openAPI = OpenAPIDocument(title: "MotCua registry", summary: "Service discovery speaking the Consul HTTP API subset MotCua needs")
    let router = Router(context: ServiceRequestContext.self)
    router.add(middleware: RequestMiddleware(accessLog: false))
    OperationsRoutes.register(on: router, service: settings.name, instance: settings.instanceID, openAPI: &openAPI)
    router.get("/health/ready") { _, _ in
        OperationsRoutes.Health(status: "pass", service: settings.name, instance: settings.instanceID, checks: ["store": "pass"])
    }
    let consul = ConsulController(store: store, acl: acl)
    consul.register(on: router, openAPI: &openAPI)
    ACLController(acl: acl, consul: consul).register(on: router, openAPI: &openAPI)
    OperationsRoutes.serve(openAPI, on: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "motcua-registry"),
        services: [HealthCheckRunner(store: store, http: ProcessHTTPClient.shared, logger: logger)],
        onServerRunning: { channel in runLogger.info("listening", metadata: ["port": "\(channel.localAddress?.port ?? 0)"]) },
        logger: logger
    )
}
