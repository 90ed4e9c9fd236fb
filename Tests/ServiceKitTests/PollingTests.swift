import Logging
import ServiceKit
import ServiceTesting
import Testing

/// When each pass of a polled worker ran, and what the next one answers.
actor Passes {
    private var answers: [Result<Int, any Error>]
    private(set) var times: [ContinuousClock.Instant] = []

    init(_ answers: [Result<Int, any Error>]) { self.answers = answers }

    func next() throws -> Int {
        self.times.append(.now)
        return try (self.answers.isEmpty ? .success(0) : self.answers.removeFirst()).get()
    }
}

struct PassFailed: Error {}

@Suite("Polling a worker's passes")
struct PollingTests {
    let logger = Logger(label: "polling-test")

    @Test func aFullPassGoesAgainAtOnceAPartialOneWaitsToGatherAnEmptyOneWaitsIdle() async throws {
        let passes = Passes([.success(100), .success(3), .success(0)])
        let worker = Task {
            await pollUntilCancelled(idle: .seconds(3600), gather: .milliseconds(50), limit: 100, logger: self.logger, failure: "test pass") {
                try await passes.next()
            }
        }
        // Neither the full pass nor the partial one waited the hour.
        #expect(try await eventually { await passes.times.count == 3 })
        try await Task.sleep(for: .milliseconds(200))
        let times = await passes.times
        #expect(times.count == 3, "after an empty pass the next waits the idle hour")
        #expect(times[2] - times[1] >= .milliseconds(50), "a partial pass waits for more to gather")
        worker.cancel()
        await worker.value
    }

    @Test func aFailedPassIsLoggedAndWaitsIdleThenTheLoopEndsWhenCancelled() async throws {
        let passes = Passes([.failure(PassFailed()), .success(100)])
        let worker = Task {
            await pollUntilCancelled(idle: .seconds(3600), gather: .milliseconds(1), limit: 100, logger: self.logger, failure: "test pass") {
                try await passes.next()
            }
        }
        #expect(try await eventually { await passes.times.count == 1 })
        try await Task.sleep(for: .milliseconds(200))
        #expect(await passes.times.count == 1, "a failure counts as idle, not as more work waiting")
        worker.cancel()
        await worker.value
    }
}
