import Hummingbird
import Metrics
import Synchronization

/// The request metrics `/metrics` shows, recorded by `RequestMiddleware` in the same step as the access line: the
/// names and dimensions of Hummingbird's `MetricsMiddleware` (`hb.requests`, `http.server.request.duration`,
/// `hb.request.errors`, `http.server.active_requests`), so dashboards made for Hummingbird read them, without the
/// extra middleware layer, clock reading and wrapped response body it costs on every request.
final class RequestMetrics: Sendable {
    static let shared = RequestMetrics()

    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private struct Endpoint {
        let requests: Counter
        let duration: Timer
        let errors: Counter
    }

    private let endpoints = Mutex<[Key: Endpoint]>([:])
    private let active = Mutex<[HTTPRequest.Method: Meter]>([:])

    /// The meter of requests in progress with this method (incremented when one starts, decremented when it ends).
    func activeRequests(_ method: HTTPRequest.Method) -> Meter {
        self.active.withLock { meters in
            if let meter = meters[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            meters[method] = meter
            return meter
        }
    }

    /// One finished request: counted by route (the router's pattern, so ids do not make new series), method and status.
    func record(route: String, method: HTTPRequest.Method, status: Int, nanoseconds: Int64, threw: Bool) {
        let key = Key(route: route, method: method, status: status)
        let endpoint = self.endpoints.withLock { endpoints in
            if let endpoint = endpoints[key] { return endpoint }
            let dimensions = [("http.route", route), ("http.request.method", method.rawValue), ("http.response.status_code", String(status))]
            let endpoint = Endpoint(
                requests: Counter(label: "hb.requests", dimensions: dimensions),
                duration: Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds),
                errors: Counter(label: "hb.request.errors", dimensions: [("http.route", route), ("http.request.method", method.rawValue),
                                                                          ("error.type", String(status))]))
            endpoints[key] = endpoint
            return endpoint
        }
        endpoint.requests.increment()
        endpoint.duration.recordNanoseconds(nanoseconds)
        if threw { endpoint.errors.increment() }
    }
}
