import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// The `accounts` table.
struct AccountRepository: Sendable {
    let database: Database

    static let columns = ["id", "phone", "citizen_id", "full_name", "email", "password_hash", "roles", "agency", "phone_verified_at",
                          "failed_sign_ins", "locked_until", "created_at", "disabled_at"]

    struct Row: Decodable {
        let id: String, phone: String, citizen_id: String?, full_name: String, email: String?, password_hash: String, roles: String
        let agency: String?, phone_verified_at: Int64?, failed_sign_ins: Int64, locked_until: Int64?, created_at: Int64, disabled_at: Int64?

        var record: AccountRecord {
            AccountRecord(id: self.id, phone: self.phone, citizenId: self.citizen_id, fullName: self.full_name, email: self.email,
                          passwordHash: self.password_hash, roles: self.roles.split(separator: ",").compactMap { Role(rawValue: String($0)) },
                          agency: self.agency, phoneVerifiedAt: self.phone_verified_at.map(Date.init(epochMilliseconds:)),
                          failedSignIns: Int(self.failed_sign_ins), lockedUntil: self.locked_until.map(Date.init(epochMilliseconds:)),
                          createdAt: Date(epochMilliseconds: self.created_at), disabledAt: self.disabled_at.map(Date.init(epochMilliseconds:)))
        }
    }

    /// Inserts an account; false when its phone or citizen id is already registered (nothing is written then).
    func insert(_ account: AccountRecord, in db: any SQLDatabase) async throws -> Bool {
        let taken = try await db.select().column("id").from("accounts")
            .where("phone", .equal, account.phone)
            .orWhere("citizen_id", .equal, SQLBind(account.citizenId))
            .first()
        guard taken == nil else { return false }
        try await db.insert(into: "accounts").columns(Self.columns)
            .values(SQLBind(account.id), SQLBind(account.phone), SQLBind(account.citizenId), SQLBind(account.fullName), SQLBind(account.email),
                    SQLBind(account.passwordHash), SQLBind(account.roles.map(\.rawValue).joined(separator: ",")), SQLBind(account.agency),
                    SQLBind(account.phoneVerifiedAt?.epochMilliseconds), SQLBind(Int64(account.failedSignIns)),
                    SQLBind(account.lockedUntil?.epochMilliseconds), SQLBind(account.createdAt.epochMilliseconds),
                    SQLBind(account.disabledAt?.epochMilliseconds))
            .run()
        return true
    }

    func find(id: String, in db: any SQLDatabase) async throws -> AccountRecord? {
        try await db.select().columns(Self.columns).from("accounts").where("id", .equal, id).first(decoding: Row.self)?.record
    }

    func find(phone: String, in db: any SQLDatabase) async throws -> AccountRecord? {
        try await db.select().columns(Self.columns).from("accounts").where("phone", .equal, phone).first(decoding: Row.self)?.record
    }

    func find(id: String) async throws -> AccountRecord? {
        try await self.database.read { try await self.find(id: id, in: $0) }
    }

    func markPhoneVerified(_ id: String, at time: Date, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("phone_verified_at", to: SQLBind(time.epochMilliseconds)).where("id", .equal, id).run()
    }

    /// Records a failed sign-in; `lockedUntil` is set once the count reaches the limit.
    func recordFailure(_ id: String, count: Int, lockedUntil: Date?, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("failed_sign_ins", to: SQLBind(Int64(count)))
            .set("locked_until", to: SQLBind(lockedUntil?.epochMilliseconds)).where("id", .equal, id).run()
    }

    func clearFailures(_ id: String, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("failed_sign_ins", to: SQLBind(Int64(0))).set("locked_until", to: SQLBind(Int64?.none))
            .where("id", .equal, id).run()
    }

    func setPassword(_ id: String, hash: String, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("password_hash", to: SQLBind(hash)).set("failed_sign_ins", to: SQLBind(Int64(0)))
            .set("locked_until", to: SQLBind(Int64?.none)).where("id", .equal, id).run()
    }

    /// Staff accounts, of one agency or of several (nil: all); disabled ones only when asked.
    func staff(agencies: [String]?, includingDisabled: Bool = false, in db: any SQLDatabase) async throws -> [AccountRecord] {
        var query = db.select().columns(Self.columns).from("accounts").where("roles", .notEqual, Role.citizen.rawValue)
        if let agencies { query = query.where("agency", .in, agencies) }
        if !includingDisabled { query = query.where("disabled_at", .is, SQLLiteral.null) }
        return try await query.orderBy("full_name").limit(2_000).all(decoding: Row.self).map(\.record)
    }

    func staff(agency: String?, in db: any SQLDatabase) async throws -> [AccountRecord] {
        try await self.staff(agencies: agency.map { [$0] }, in: db)
    }

    /// A staff account's name, roles and agency.
    func update(_ account: AccountRecord, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("full_name", to: account.fullName).set("roles", to: account.roles.map(\.rawValue).joined(separator: ","))
            .set("agency", to: SQLBind(account.agency)).set("email", to: SQLBind(account.email)).where("id", .equal, account.id).run()
    }

    func setDisabled(_ id: String, at time: Date?, in db: any SQLDatabase) async throws {
        try await db.update("accounts").set("disabled_at", to: SQLBind(time?.epochMilliseconds)).where("id", .equal, id).run()
    }
}
