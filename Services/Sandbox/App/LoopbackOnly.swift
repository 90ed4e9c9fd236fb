import Hummingbird
import ServiceKit

/// The sandbox's test-and-demo endpoints (what the SMS gateway and the bank received, and the switches that make them
/// slow or down) hold one-time codes and payment details: they answer requests from this machine only, unless
/// `SANDBOX_LISTS=open` (a training room whose trainees watch their own messages).
struct LoopbackOnly: RouterMiddleware {
    typealias Context = ServiceRequestContext
    static let paths = ["/sms/messages", "/sms/control", "/bank/transactions", "/bank/control"]
    let open: Bool

    init(settings: ServiceSettings) throws(ConfigurationError) {
        let value = try settings.value("SANDBOX_LISTS", default: "loopback")
        guard ["loopback", "open"].contains(value) else { throw ConfigurationError.invalid("SANDBOX_LISTS", value, "loopback or open") }
        self.open = value == "open"
    }

    /// Loopback, or no peer at all (a request handed to the router in-process, as tests do).
    static func isLocal(_ address: String?) -> Bool {
        address.map(TrustedProxies.isLoopback) ?? true
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !self.open, Self.paths.contains(where: { request.uri.path.hasPrefix($0) }), !Self.isLocal(context.remoteAddress) {
            throw Problem.forbidden("The sandbox's lists and switches answer on the machine it runs on only (SANDBOX_LISTS=open opens them).")
        }
        return try await next(request, context)
    }
}
