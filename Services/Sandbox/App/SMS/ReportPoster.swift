import AsyncHTTPClient
import Contracts
import Foundation
import Logging
import ServiceLifecycle

/// Posts delivery reports back to senders' callbacks, as eSMS does (a GET with the report in the query, up to five
/// tries), with a bounded number in flight: a queue of thousands of requests inside the HTTP client would make
/// them time out and the gateway spend its time cancelling them.
struct ReportPoster: Service {
    struct Job: Sendable {
        let smsID: String
        let url: String
        let attempt: Int
    }

    let gateway: SMSGateway
    let logger: Logger
    private let jobs: AsyncStream<Job>
    private let queue: AsyncStream<Job>.Continuation
    static let inFlight = 32

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

    init(gateway: SMSGateway, logger: Logger) {
        self.gateway = gateway
        self.logger = logger
        (self.jobs, self.queue) = AsyncStream.makeStream(of: Job.self)
    }

    /// Settles the message after `delayMs` and queues its report.
    func schedule(_ smsID: String, after delayMs: Int) {
        let queue = self.queue, gateway = self.gateway
        Task {
            try? await Task.sleep(for: .milliseconds(delayMs))
            guard let (url, report) = await gateway.settle(smsID) else { return }
            queue.yield(Job(smsID: smsID, url: url + (url.contains("?") ? "&" : "?") + report.query, attempt: 1))
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await job in self.jobs {
                    if running >= Self.inFlight {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await self.post(job) }
                    running += 1
                }
            }
        }
    }

    private func post(_ job: Job) async {
        do {
            let response = try await Self.client.execute(HTTPClientRequest(url: job.url), timeout: .seconds(5))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if (200..<300).contains(response.status.code) {
                await self.gateway.reported(job.smsID)
                return
            }
        } catch {
            self.logger.debug("delivery report not taken", metadata: ["sms": .string(job.smsID), "error": .string("\(error)")])
        }
        guard job.attempt < 5 else {
            return self.logger.warning("delivery report given up after 5 tries", metadata: ["sms": .string(job.smsID)])
        }
        let queue = self.queue
        Task {
            try? await Task.sleep(for: .milliseconds(500 * job.attempt))
            queue.yield(Job(smsID: job.smsID, url: job.url, attempt: job.attempt + 1))
        }
    }
}
