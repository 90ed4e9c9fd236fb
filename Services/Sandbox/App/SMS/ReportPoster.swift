import AsyncHTTPClient
import Contracts
import Foundation
import Logging
import ServiceLifecycle

/// Posts delivery reports back to senders' callbacks, as eSMS does (a GET with the report in the query, up to five
/// tries, the n-th after n × 500 ms). One loop takes whatever reports have fallen due from the gateway (no timer
/// per message) and posts them with a bounded number in flight: a queue of thousands of requests inside the HTTP
/// client would make them time out and the gateway spend its time cancelling them.
struct ReportPoster: Service {
    let gateway: SMSGateway
    let logger: Logger
    static let inFlight = 32
    /// The longest the loop sleeps with nothing due: how late a report can be after the report delay is lowered.
    static let idle = Duration.milliseconds(20)
    /// Reports taken from the gateway a turn; after a full turn the loop goes again at once.
    static let perTurn = 1000

    /// The sandbox's own client, with a connection for each report in flight.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = Self.inFlight
        configuration.timeout.connect = .seconds(2)
        // A merchant that is down refuses at once; retrying the connection until the deadline would hide that.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                while !Task.isCancelled {
                    let (reports, next) = self.gateway.due(at: Date(), limit: Self.perTurn)
                    for report in reports {
                        if running >= Self.inFlight {
                            await group.next()
                            running -= 1
                        }
                        group.addTask { await self.post(report) }
                        running += 1
                    }
                    guard reports.count < Self.perTurn else { continue }
                    let wait = next.map { Duration.milliseconds(max(1, Int($0.timeIntervalSinceNow * 1000))) } ?? Self.idle
                    try? await Task.sleep(for: min(wait, Self.idle))
                }
                group.cancelAll()
            }
        }
    }

    private func post(_ report: SMSGateway.Report) async {
        do {
            let response = try await Self.client.execute(HTTPClientRequest(url: report.url), timeout: .seconds(5))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if (200..<300).contains(response.status.code) {
                return self.gateway.reported(report.smsID)
            }
        } catch {
            self.logger.debug("delivery report not taken", metadata: ["sms": .string(report.smsID), "error": .string("\(error)")])
        }
        guard report.attempt < 5 else {
            return self.logger.warning("delivery report given up after 5 tries", metadata: ["sms": .string(report.smsID)])
        }
        self.gateway.retry(report, at: Date().addingTimeInterval(0.5 * Double(report.attempt)))
    }
}
