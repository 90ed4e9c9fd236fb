/// The platform's services and their default ports (DESIGN.md), used for fixed-URL fallbacks and the status page.
public enum Topology {
    public static let registry = "registry"
    public static let portal = "portal"
    public static let singleWindow = "single-window"
    public static let documents = "documents"
    public static let payments = "payments"
    public static let notifications = "notifications"
    public static let sandbox = "sandbox"
    /// The staff console: officers', specialists' and leaders' pages, on the province's network.
    public static let console = "console"

    /// Default port of each service.
    public static let ports: [String: Int] = [
        registry: 8500, portal: 8080, singleWindow: 8081, documents: 8082, payments: 8083, notifications: 8084, console: 8085, sandbox: 8090,
    ]

    /// The services that register themselves (all but the registry), in the order the status page lists them.
    public static let registered = [portal, console, singleWindow, documents, payments, notifications, sandbox]
}
