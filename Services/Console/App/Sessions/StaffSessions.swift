import Crypto
import DomainKit
import Foundation
import PageKit
import ServiceKit
import SQLKit

/// Someone signed in at the console: who they are (from the portal's account) and the tokens the console calls the
/// services with on their behalf.
struct StaffSession: Sendable {
    var accountID: String
    var fullName: String
    var roles: [Role]
    var agency: String?
    /// The agency's name as single-window knows it ("Ủy ban nhân dân xã Hòn Tre"), when it could be read at sign-in.
    var agencyName: String?
    var accessToken: String
    var refreshToken: String
    var accessExpiresAt: Date
    var expiresAt: Date

    func has(_ role: Role) -> Bool { self.roles.contains(role) }
}

/// The console's sessions. The cookie carries a random token and the table its hash; the officer's access and
/// refresh tokens are kept sealed (ChaCha20-Poly1305 under `CONSOLE_SESSION_KEY`), so a copy of the table alone
/// neither signs anyone in nor calls a service as them.
struct StaffSessions: Sendable {
    let database: Database
    let key: SymmetricKey
    /// A working day and a little: a session ends this long after sign-in, however busy.
    static let lifetime: TimeInterval = 10 * 3600

    init(database: Database, secret: String) {
        self.database = database
        self.key = SymmetricKey(data: SHA256.hash(data: Data(("motcua-console-sessions:" + secret).utf8)))
    }

    struct Tokens: Codable { let access: String; let refresh: String }

    private func seal(_ session: StaffSession) throws -> String {
        let plain = try JSONEncoder().encode(Tokens(access: session.accessToken, refresh: session.refreshToken))
        return try ChaChaPoly.seal(plain, using: self.key).combined.base64EncodedString()
    }

    private func open(_ sealed: String) throws -> Tokens {
        guard let data = Data(base64Encoded: sealed) else { throw Problem.unauthorized("Your session cannot be read; sign in again.") }
        return try JSONDecoder().decode(Tokens.self, from: try ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: self.key))
    }

    /// Starts a session and answers the cookie's token.
    func create(_ session: StaffSession, now: Date) async throws -> String {
        let token = SessionToken.new()
        let sealed = try self.seal(session)
        try await self.database.transaction { db in
            try await db.insert(into: "staff_sessions")
                .columns("token_hash", "account_id", "full_name", "roles", "agency", "agency_name", "sealed_tokens", "access_expires_at", "created_at",
                         "expires_at")
                .values(SQLBind(SessionToken.hash(token)), SQLBind(session.accountID), SQLBind(session.fullName),
                        SQLBind(session.roles.map(\.rawValue).joined(separator: ",")), SQLBind(session.agency), SQLBind(session.agencyName), SQLBind(sealed),
                        SQLBind(session.accessExpiresAt.epochMilliseconds), SQLBind(now.epochMilliseconds), SQLBind(session.expiresAt.epochMilliseconds))
                .run()
        }
        return token
    }

    struct Row: Decodable {
        let account_id: String
        let full_name: String
        let roles: String
        let agency: String?
        let agency_name: String?
        let sealed_tokens: String
        let access_expires_at: Int64
        let expires_at: Int64
    }

    /// The live session a cookie's token names, or nil (unknown, ended, expired, or sealed under another key).
    func find(_ token: String, now: Date) async throws -> StaffSession? {
        try await self.find(hash: SessionToken.hash(token), now: now)
    }

    /// The live session kept under this hash (what a background job keeps to act for its officer, never the cookie).
    func find(hash: String, now: Date) async throws -> StaffSession? {
        let row = try await self.database.read { db in
            try await db.select().columns("account_id", "full_name", "roles", "agency", "agency_name", "sealed_tokens", "access_expires_at", "expires_at")
                .from("staff_sessions").where("token_hash", .equal, SQLBind(hash))
                .where("expires_at", .greaterThan, SQLBind(now.epochMilliseconds)).first(decoding: Row.self)
        }
        guard let row, let tokens = try? self.open(row.sealed_tokens) else { return nil }
        return StaffSession(accountID: row.account_id, fullName: row.full_name, roles: row.roles.split(separator: ",").compactMap { Role(rawValue: String($0)) },
                            agency: row.agency, agencyName: row.agency_name, accessToken: tokens.access, refreshToken: tokens.refresh,
                            accessExpiresAt: Date(epochMilliseconds: row.access_expires_at), expiresAt: Date(epochMilliseconds: row.expires_at))
    }

    /// Takes the right to renew the session's tokens for `lease`, unless someone else (another page of the same
    /// officer, a background job, another instance) holds it: a refresh token is good once, and the portal ends the
    /// whole sign-in when one is shown twice.
    func claimRenewal(hash: String, lease: TimeInterval, now: Date) async throws -> Bool {
        struct Claimed: Decodable { let token_hash: String }
        return try await self.database.transaction { db in
            try await db.raw("""
                UPDATE staff_sessions SET renewing_until = \(bind: now.addingTimeInterval(lease).epochMilliseconds)
                WHERE token_hash = \(bind: hash) AND (renewing_until IS NULL OR renewing_until < \(bind: now.epochMilliseconds))
                RETURNING token_hash
                """).all(decoding: Claimed.self)
        }.isEmpty == false
    }

    /// Keeps the tokens a refresh gave, and lets the next renewal be claimed.
    func update(hash: String, with session: StaffSession) async throws {
        let sealed = try self.seal(session)
        try await self.database.transaction { db in
            try await db.update("staff_sessions").set("sealed_tokens", to: SQLBind(sealed))
                .set("access_expires_at", to: SQLBind(session.accessExpiresAt.epochMilliseconds)).set("renewing_until", to: SQLLiteral.null)
                .where("token_hash", .equal, SQLBind(hash)).run()
        }
    }

    /// Lets the next renewal be claimed without new tokens (the portal did not answer this one).
    func releaseRenewal(hash: String) async throws {
        try await self.database.transaction { db in
            try await db.update("staff_sessions").set("renewing_until", to: SQLLiteral.null).where("token_hash", .equal, SQLBind(hash)).run()
        }
    }

    func end(_ token: String) async throws { try await self.end(hash: SessionToken.hash(token)) }

    func end(hash: String) async throws {
        try await self.database.transaction { db in
            try await db.delete(from: "staff_sessions").where("token_hash", .equal, SQLBind(hash)).run()
        }
    }

    /// Ends every session of an account (the portal disabled it or changed its roles: `account.disabled`).
    func endAll(of account: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "staff_sessions").where("account_id", .equal, SQLBind(account)).run()
    }
}
