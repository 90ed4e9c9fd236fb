import Crypto
import DomainKit
import Foundation
import PageKit
import ServiceKit
import SQLKit

/// Signed-in browsers. The cookie carries a random token; the table keeps only its hash, so a copy of the database
/// signs no one in.
struct SessionRepository: Sendable {
    let database: Database
    /// A session ends this long after sign-in, however busy.
    static let lifetime: TimeInterval = 8 * 3600

    static func newToken() -> String { SessionToken.new() }

    static func hash(_ token: String) -> String { SessionToken.hash(token) }

    func create(for account: String, now: Date, in db: any SQLDatabase) async throws -> String {
        let token = Self.newToken()
        try await db.insert(into: "sessions").columns("token_hash", "account_id", "created_at", "expires_at")
            .values(SQLBind(Self.hash(token)), SQLBind(account), SQLBind(now.epochMilliseconds),
                    SQLBind(now.addingTimeInterval(Self.lifetime).epochMilliseconds))
            .run()
        return token
    }

    /// The account a live session belongs to.
    func account(for token: String, now: Date) async throws -> AccountRecord? {
        try await self.database.read { db in
            try await db.select().columns(AccountRepository.columns.map { SQLColumn($0, table: "accounts") }).from("sessions")
                .join("accounts", on: SQLColumn("account_id", table: "sessions"), .equal, SQLColumn("id", table: "accounts"))
                .where(SQLColumn("token_hash", table: "sessions"), .equal, SQLBind(Self.hash(token)))
                .where(SQLColumn("expires_at", table: "sessions"), .greaterThan, SQLBind(now.epochMilliseconds))
                .first(decoding: AccountRepository.Row.self)?.record
        }
    }

    func end(_ token: String) async throws {
        try await self.database.transaction { db in
            try await db.delete(from: "sessions").where("token_hash", .equal, Self.hash(token)).run()
        }
    }

    /// Ends every session of an account (its password changed).
    func endAll(of account: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "sessions").where("account_id", .equal, account).run()
    }

    func purgeExpired(now: Date) async throws {
        try await self.database.transaction { db in
            try await db.delete(from: "sessions").where("expires_at", .lessThanOrEqual, SQLBind(now.epochMilliseconds)).run()
        }
    }
}
