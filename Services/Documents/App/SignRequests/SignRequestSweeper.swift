import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Expires requests nobody answered, so the officer whose dossier waits hears of it (`document.sign-declined`) even
/// when the leader never opens the list. Each request is expired once by a conditional UPDATE, whichever replica runs.
struct SignRequestSweeper: Service {
    let requests: SignRequestStore
    let logger: Logger
    let now: @Sendable () -> Date
    var interval: Duration = .seconds(60)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pollUntilCancelled(idle: self.interval, logger: self.logger, failure: "sign request sweep failed") {
                try await self.requests.expire(nil, at: self.now())
                return false
            }
        }
    }
}
