import AsyncHTTPClient
import Hummingbird
import Logging
import ServiceKit

/// The registry keeps nothing on disk: instances re-register after a restart, as with a Consul agent.
public func buildRegistryApplication(_ settings: ServiceSettings) -> some ApplicationProtocol {
    var logger = Logger(label: "motcua.registry")
    logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
    logger[metadataKey: "service"] = "registry"
    _ = ProcessMetrics.registry
    let runLogger = logger
    let store = RegistryStore()
    var openAPI = OpenAPIDocument(title: "MotCua registry", summary: "Service discovery speaking the Consul HTTP API subset MotCua needs")
    let router = Router(context: ServiceRequestContext.self)
    router.add(middleware: RequestMiddleware(accessLog: false))
    OperationsRoutes.register(on: router, service: settings.name, instance: settings.instanceID, openAPI: &openAPI)
    router.get("/health/ready") { _, _ in
        OperationsRoutes.Health(status: "pass", service: settings.name, instance: settings.instanceID, checks: ["store": "pass"])
    }
    ConsulController(store: store).register(on: router, openAPI: &openAPI)
    OperationsRoutes.serve(openAPI, on: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "motcua-registry"),
        services: [HealthCheckRunner(store: store, http: ProcessHTTPClient.shared, logger: logger)],
        onServerRunning: { channel in runLogger.info("listening", metadata: ["port": "\(channel.localAddress?.port ?? 0)"]) },
        logger: logger
    )
}
