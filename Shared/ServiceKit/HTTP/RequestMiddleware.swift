import DomainKit
import Hummingbird
import Logging
import Synchronization

/// The first thing every request goes through, in one step:
/// - its request id, from `X-Request-ID` or made here, on the context, on the response, and (through `RequestScope`)
///   in every log line written while it is handled;
/// - every error thrown below turned into problem+json (`Problem.answering`), so no handler can leak a stack trace or
///   a bare 500;
/// - one access-log line: method, path, status and time;
/// - the request metrics `/metrics` shows (`RequestMetrics`), timed by the same clock reading as the access line.
///
/// One middleware rather than four: each layer costs an async frame and a copy of the context on every request,
/// and on the public look-up that overhead is most of the time a request takes (`scripts/bench/run`).
public struct RequestMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let accessLog: Bool

    /// `accessLog: false` for a service whose every request is a peer's heartbeat (the registry).
    public init(accessLog: Bool = true) {
        self.accessLog = accessLog
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let incoming = request.headers[.requestID].flatMap { $0.count <= 200 && !$0.isEmpty ? $0 : nil }
        context.requestID = incoming ?? Self.generate()
        let active = RequestMetrics.shared.activeRequests(request.method)
        active.increment()
        defer { active.decrement() }
        var response = try await RequestScope.$requestID.withValue(context.requestID) {
            let response: Response
            var threw = false
            do {
                response = try await next(request, context)
            } catch {
                threw = true
                if let own = error as? any ForeignFormatError {
                    response = try own.response(from: request, context: context)
                } else {
                    response = try Problem.answering(error, context: context).response(from: request, context: context)
                }
            }
            let elapsed = ContinuousClock.now - start
            RequestMetrics.shared.record(route: context.endpointPath ?? "NotFound", method: request.method, status: Int(response.status.code),
                                         nanoseconds: Self.nanoseconds(elapsed), threw: threw)
            if self.accessLog { Self.log(request, response, elapsed: elapsed, to: context.logger) }
            return response
        }
        response.headers[.requestID] = context.requestID
        return response
    }

    static func log(_ request: Request, _ response: Response, elapsed: Duration, to logger: Logger) {
        guard logger.logLevel <= .info else { return }
        // Tenths of a millisecond, written with integers: this runs for every request.
        let tenths = Self.nanoseconds(elapsed) / 100_000
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .string(String(response.status.code)),
            "ms": .string(String(tenths / 10) + "." + String(tenths % 10)),
        ])
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// This process's request ids: 64 random bits drawn once, then a counter through a keyed hash (Swift's `Hasher`,
    /// SipHash with a key drawn at start), so an id says nothing about how many requests came before it. An id is for
    /// finding a request's lines, not a secret: a request costs an atomic add and a hash instead of two `getrandom`
    /// system calls.
    private static let idPrefix = UInt64.random(in: .min ... .max)
    private static let idCounter = Atomic<UInt64>(0)

    /// 128 bits as 32 hex digits: the process's random half, then the hashed counter.
    static func generate() -> String {
        var hasher = Hasher()
        hasher.combine(Self.idCounter.wrappingAdd(1, ordering: .relaxed).newValue)
        return Digits.hex(Self.idPrefix, UInt64(bitPattern: Int64(hasher.finalize())))
    }
}

/// The request being handled by the current task, for log lines: set by `RequestMiddleware` around the handler, read
/// by `JSONLogHandler` and (for the text format) the logging system's metadata provider. A task-local rather than
/// logger metadata: setting a logger's metadata copies its whole dictionary on every request.
public enum RequestScope {
    @TaskLocal public static var requestID: String?

    /// `requestId` for log handlers that take their extra metadata from a provider (swift-log's `StreamLogHandler`).
    public static let metadataProvider = Logger.MetadataProvider {
        guard let id = RequestScope.requestID else { return [:] }
        return ["requestId": .string(id)]
    }
}
