import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import SQLKit

/// Forgets what has run out: sessions and refresh tokens past their end, one-time codes past theirs, and the keys of
/// submission forms a week after they were first sent (a form kept open longer is filled in again).
struct AccountSweeper: Service {
    let database: Database
    let logger: Logger
    var interval: Duration = .seconds(3600)
    let now: @Sendable () -> Date

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pollUntilCancelled(idle: self.interval, logger: self.logger, failure: "account sweep failed") {
                try await self.sweep()
                return false
            }
        }
    }

    func sweep() async throws {
        let now = self.now().epochMilliseconds
        let week = Int64(7 * 24 * 3600 * 1000)
        try await self.database.transaction { db in
            try await db.delete(from: "sessions").where("expires_at", .lessThanOrEqual, SQLBind(now)).run()
            try await db.delete(from: "refresh_tokens").where("expires_at", .lessThanOrEqual, SQLBind(now)).run()
            try await db.delete(from: "phone_codes").where("expires_at", .lessThanOrEqual, SQLBind(now)).run()
            try await db.delete(from: "submissions").where("created_at", .lessThanOrEqual, SQLBind(now - week)).run()
        }
    }
}
