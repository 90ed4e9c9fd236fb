import Logging

/// The loop of a background worker: runs `pass` until the task is cancelled, again at once while `pass` says more
/// work is waiting, else after `idle`. A failed pass is logged (`failure` names it) and counts as idle.
public func pollUntilCancelled(idle: Duration, logger: Logger, failure: String, _ pass: () async throws -> Bool) async {
    while !Task.isCancelled {
        var more = false
        do {
            more = try await pass()
        } catch {
            logger.warning("\(failure)", metadata: ["error": .string("\(error)")])
        }
        if !more { try? await Task.sleep(for: idle) }
    }
}
