import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Takes due messages from the queue and hands them to their channels: several workers, each claiming a batch under
/// a lease, handing the batch over concurrently and recording the outcomes together.
struct Sender: Service {
    struct Settings: Sendable {
        var workers = 4
        var batchSize = 100
        /// Seconds a claim holds; a sender that dies loses its messages to another after this.
        var lease: Double = 30
        /// Seconds to wait when nothing is due.
        var pollInterval: Double = 0.1
        /// Hand-overs at once per worker (the SMS gateway client keeps 64 connections for 4 workers).
        var inFlight = 16
    }

    let queue: DeliveryQueue
    let channels: [MessageTemplate.Channel: any MessageChannel]
    let settings: Settings
    let now: @Sendable () -> Date
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, self.settings.workers) {
                    group.addTask {
                        // A pass of fewer than a batch waits as long as an empty one.
                        let interval = Duration.milliseconds(Int(self.settings.pollInterval * 1000))
                        await pollUntilCancelled(idle: interval, gather: interval, limit: self.settings.batchSize, logger: self.logger,
                                                 failure: "a sending pass failed") {
                            try await self.pass()
                        }
                    }
                }
            }
        }
    }

    /// One batch: claim, hand over, record. Returns how many messages it handled.
    @discardableResult
    func pass() async throws -> Int {
        let (token, claimed) = try await self.queue.claim(channels: Array(self.channels.keys), limit: self.settings.batchSize,
                                                          lease: self.settings.lease, now: self.now())
        guard !claimed.isEmpty else { return 0 }
        // At most `inFlight` hand-overs at once per worker, so that requests wait here rather than pile up (and time
        // out) in the HTTP client's queue.
        let outcomes = await withTaskGroup(of: (DeliveryQueue.Claimed, DeliveryQueue.Outcome).self) { group in
            var outcomes: [(DeliveryQueue.Claimed, DeliveryQueue.Outcome)] = []
            for (index, message) in claimed.enumerated() {
                if index >= self.settings.inFlight, let done = await group.next() { outcomes.append(done) }
                group.addTask {
                    guard let channel = MessageTemplate.Channel(rawValue: message.channel), let sender = self.channels[channel] else {
                        return (message, .failed(detail: "no sender for the channel \(message.channel)"))
                    }
                    return (message, await sender.hand(message))
                }
            }
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        try await self.queue.record(outcomes.map { (message: $0.0, outcome: $0.1) }, token: token, now: self.now())
        // One line a batch, not one a message: in an outage every message fails the same way (each attempt is recorded).
        let failed = outcomes.compactMap { if case .failed(let detail) = $0.1 { (id: $0.0.id, detail: detail) } else { nil } }
        if let first = failed.first {
            self.logger.notice("hand-overs failed", metadata: ["count": .string(String(failed.count)), "first": .string(first.id),
                                                               "detail": .string(first.detail)])
        }
        return claimed.count
    }
}
