import Hummingbird
import Logging

/// The first thing every request goes through, in one step:
/// - its request id, from `X-Request-ID` or made here, on the context, on the response, and (through `RequestScope`)
///   in every log line written while it is handled;
/// - every error thrown below turned into problem+json (`Problem.answering`), so no handler can leak a stack trace or
///   a bare 500;
/// - one access-log line: method, path, status and time.
///
/// One middleware rather than three: each layer costs an async frame and a copy of the context on every request,
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
        var response = try await RequestScope.$requestID.withValue(context.requestID) {
            let response: Response
            do {
                response = try await next(request, context)
            } catch {
                response = try Problem.answering(error, context: context).response(from: request, context: context)
            }
            if self.accessLog { Self.log(request, response, since: start, to: context.logger) }
            return response
        }
        response.headers[.requestID] = context.requestID
        return response
    }

    static func log(_ request: Request, _ response: Response, since start: ContinuousClock.Instant, to logger: Logger) {
        guard logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - start
        // Tenths of a millisecond, written with integers: this runs for every request.
        let tenths = elapsed.components.seconds * 10_000 + elapsed.components.attoseconds / 100_000_000_000_000
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .string(String(response.status.code)),
            "ms": .string(String(tenths / 10) + "." + String(tenths % 10)),
        ])
    }

    /// 128 random bits as 32 hex digits.
    /// Written digit by digit into one string: this runs for every request.
    static func generate() -> String {
        let halves = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<32 {
                let half = index < 16 ? halves.0 : halves.1
                let nibble = UInt8((half >> UInt64(60 - 4 * (index % 16))) & 0xF)
                buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 32
        }
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
