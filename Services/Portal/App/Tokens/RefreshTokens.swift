import Foundation
import ServiceKit
import SQLKit

/// Refresh tokens for the mobile app, rotated on every use. Each belongs to a family (one sign-in); a token shown a
/// second time means it was copied, so the whole family is revoked and the app must sign in again.
struct RefreshTokens: Sendable {
    static let lifetime: TimeInterval = 30 * 24 * 3600

    enum Use: Equatable {
        case rotated(account: String, token: String)
        case refused
    }

    func issue(for account: String, family: String? = nil, now: Date, in db: any SQLDatabase) async throws -> String {
        let token = SessionRepository.newToken()
        try await db.insert(into: "refresh_tokens").columns("token_hash", "account_id", "family", "created_at", "expires_at", "used_at")
            .values(SQLBind(SessionRepository.hash(token)), SQLBind(account), SQLBind(family ?? UUID().uuidString.lowercased()),
                    SQLBind(now.epochMilliseconds), SQLBind(now.addingTimeInterval(Self.lifetime).epochMilliseconds), SQLBind(Int64?.none))
            .run()
        return token
    }

    /// Spends a refresh token and issues its successor in the same family.
    func use(_ token: String, now: Date, in db: any SQLDatabase) async throws -> Use {
        struct Row: Decodable { let account_id: String; let family: String; let expires_at: Int64; let used_at: Int64? }
        guard let row = try await db.select().columns("account_id", "family", "expires_at", "used_at").from("refresh_tokens")
            .where("token_hash", .equal, SessionRepository.hash(token)).first(decoding: Row.self) else { return .refused }
        if row.used_at != nil {
            try await self.revoke(family: row.family, in: db)
            return .refused
        }
        guard now.epochMilliseconds < row.expires_at else { return .refused }
        // Only one of two concurrent uses wins the row; the other sees a spent token.
        let spent = try await db.update("refresh_tokens").set("used_at", to: SQLBind(now.epochMilliseconds))
            .where("token_hash", .equal, SessionRepository.hash(token)).where("used_at", .is, SQLLiteral.null)
            .returning("token_hash").all()
        guard !spent.isEmpty else {
            try await self.revoke(family: row.family, in: db)
            return .refused
        }
        return .rotated(account: row.account_id, token: try await self.issue(for: row.account_id, family: row.family, now: now, in: db))
    }

    func revoke(family: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "refresh_tokens").where("family", .equal, family).run()
    }

    /// Signing out on the phone: the token's family ends.
    func revoke(_ token: String, in db: any SQLDatabase) async throws {
        struct Row: Decodable { let family: String }
        if let row = try await db.select().column("family").from("refresh_tokens").where("token_hash", .equal, SessionRepository.hash(token))
            .first(decoding: Row.self) {
            try await self.revoke(family: row.family, in: db)
        }
    }

    func revokeAll(of account: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "refresh_tokens").where("account_id", .equal, account).run()
    }
}
