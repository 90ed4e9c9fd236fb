import Logging

/// The loop of a background worker: runs `pass` until the task is cancelled, again at once while `pass` says more
/// work is waiting, else after `idle`. A failed pass is logged (`failure` names it) and counts as idle.
public func pollUntilCancelled(idle: Duration, logger: Logger, failure: String, _ pass: () async throws -> Bool) async {
    await poll(idle: idle, logger: logger, failure: failure) { try await pass() ? nil : idle }
}

/// The loop of a worker that takes up to `limit` items a pass (`pass` answers how many it took): again at once after
/// a full pass, since more are likely waiting; after `gather` when it took some but fewer, so that under a steady
/// stream the next pass takes many together instead of a pass for every few; after `idle` when it took none.
public func pollUntilCancelled(idle: Duration, gather: Duration, limit: Int, logger: Logger, failure: String,
                               _ pass: () async throws -> Int) async {
    await poll(idle: idle, logger: logger, failure: failure) {
        let taken = try await pass()
        return taken >= limit ? nil : taken > 0 ? gather : idle
    }
}

/// Runs `pass` until cancelled, waiting after each as long as it answers (nil: not at all; after a failure: `idle`).
private func poll(idle: Duration, logger: Logger, failure: String, _ pass: () async throws -> Duration?) async {
    while !Task.isCancelled {
        var wait: Duration? = idle
        do {
            wait = try await pass()
        } catch {
            logger.warning("\(failure)", metadata: ["error": .string("\(error)")])
        }
        if let wait { try? await Task.sleep(for: wait) }
    }
}
