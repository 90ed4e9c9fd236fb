import Crypto
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Six-digit codes sent by SMS to prove a phone: one live code per account and purpose, valid for a few minutes,
/// stored only as a hash, and spent after five wrong tries.
struct PhoneCodes: Sendable {
    enum Purpose: String, Sendable {
        case verifyPhone = "verify-phone"
        case resetPassword = "reset-password"
    }

    enum Check: Equatable {
        case accepted
        case wrong(triesLeft: Int)
        /// Expired, spent, or never sent: the person must ask for a new one.
        case noLiveCode
    }

    static let lifetime: TimeInterval = 5 * 60
    static let maximumTries = 5
    /// A new code may be asked for once a minute.
    static let resendAfter: TimeInterval = 60

    /// Creates (or replaces) the account's code for `purpose` and returns it with its id; nil when the last was
    /// sent less than a minute ago.
    func issue(for account: String, purpose: Purpose, now: Date, in db: any SQLDatabase) async throws -> (id: String, code: String)? {
        struct Row: Decodable { let created_at: Int64 }
        if let last = try await db.select().column("created_at").from("phone_codes").where("account_id", .equal, account)
            .where("purpose", .equal, purpose.rawValue).first(decoding: Row.self),
            now.timeIntervalSince(Date(epochMilliseconds: last.created_at)) < Self.resendAfter {
            return nil
        }
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
        let id = UUID().uuidString.lowercased()
        try await db.delete(from: "phone_codes").where("account_id", .equal, account).where("purpose", .equal, purpose.rawValue).run()
        try await db.insert(into: "phone_codes").columns("id", "account_id", "purpose", "code_hash", "tries", "created_at", "expires_at")
            .values(SQLBind(id), SQLBind(account), SQLBind(purpose.rawValue), SQLBind(Self.hash(code, id: id)), SQLBind(Int64(0)),
                    SQLBind(now.epochMilliseconds), SQLBind(now.addingTimeInterval(Self.lifetime).epochMilliseconds))
            .run()
        return (id, code)
    }

    /// Checks a typed code; a right one is spent, a wrong one counts against the five tries.
    func check(_ typed: String, for account: String, purpose: Purpose, now: Date, in db: any SQLDatabase) async throws -> Check {
        struct Row: Decodable { let id: String; let code_hash: String; let tries: Int64; let expires_at: Int64 }
        guard let row = try await db.select().columns("id", "code_hash", "tries", "expires_at").from("phone_codes")
            .where("account_id", .equal, account).where("purpose", .equal, purpose.rawValue).first(decoding: Row.self),
            row.tries < Self.maximumTries, now.epochMilliseconds < row.expires_at else {
            return .noLiveCode
        }
        let digits = typed.filter { !$0.isWhitespace }
        if MessageAuthentication.same(Self.hash(digits, id: row.id), row.code_hash) {
            try await db.delete(from: "phone_codes").where("id", .equal, row.id).run()
            return .accepted
        }
        try await db.update("phone_codes").set("tries", to: SQLBind(row.tries + 1)).where("id", .equal, row.id).run()
        let left = Self.maximumTries - Int(row.tries) - 1
        return left > 0 ? .wrong(triesLeft: left) : .noLiveCode
    }

    /// The code salted with its id: a million codes are quick to try, so the salt stops one table serving all rows.
    static func hash(_ code: String, id: String) -> String {
        Digits.hex(SHA256.hash(data: Data((id + ":" + code).utf8)))
    }
}
