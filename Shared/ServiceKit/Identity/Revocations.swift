import Foundation
import Logging
import ServiceLifecycle
import SQLKit

/// Accounts whose tokens stop working at once: when the portal disables an account (or ends all its sign-ins), it
/// sends `account.disabled`; every service keeps the account and the time in `revoked_subjects` (through its inbox,
/// in the event's transaction) and its `TokenVerifier` refuses the account's tokens issued up to then, including those
/// it had verified before. Replicas of a service that did not receive the event read the table every two seconds
/// (`RevocationWatcher`), so a disabled officer's token stops working everywhere within about that time.
public enum Revocations {
    public static let eventType = "account.disabled"

    /// `account.disabled`'s data.
    public struct Disabled: Codable, Sendable, Equatable {
        public var accountId: String
        /// Tokens issued up to this time are refused.
        public var since: Date

        public init(accountId: String, since: Date) {
            self.accountId = accountId
            self.since = since
        }
    }

    /// Keeps the revocation in the caller's transaction and tells the verifier.
    public static func record(_ disabled: Disabled, verifier: TokenVerifier, in db: any SQLDatabase) async throws {
        try await db.insert(into: "revoked_subjects").columns("subject", "since")
            .values(SQLBind(disabled.accountId), SQLBind(disabled.since.epochMilliseconds))
            .onConflict(with: ["subject"]) { $0.set("since", to: SQLRaw("CASE WHEN excluded.since > revoked_subjects.since THEN excluded.since ELSE revoked_subjects.since END")) }
            .run()
        verifier.revoke(disabled.accountId, since: disabled.since)
    }

    /// The event handler every service has unless it brings its own (which should call `record` too).
    static func handler(_ verifier: TokenVerifier) -> EventHandler {
        { envelope, db in try await record(try envelope.payload(as: Disabled.self), verifier: verifier, in: db) }
    }
}

/// Reads `revoked_subjects` into the verifier at start and every `interval` after, from the latest time it saw.
struct RevocationWatcher: Service {
    let database: Database
    let verifier: TokenVerifier
    let logger: Logger
    var interval: Duration = .seconds(2)

    func run() async throws {
        struct Row: Decodable { let subject: String; let since: Int64 }
        await cancelWhenGracefulShutdown {
            var seen: Int64 = -1
            while !Task.isCancelled {
                do {
                    let watermark = seen
                    let rows = try await self.database.read { db in
                        try await db.select().columns("subject", "since").from("revoked_subjects").where("since", .greaterThan, watermark)
                            .all(decoding: Row.self)
                    }
                    for row in rows {
                        self.verifier.revoke(row.subject, since: Date(epochMilliseconds: row.since))
                        seen = max(seen, row.since)
                    }
                } catch {
                    self.logger.warning("revoked accounts could not be read", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
