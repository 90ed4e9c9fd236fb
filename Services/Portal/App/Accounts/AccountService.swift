import DomainKit
import Foundation
import HTTPTypes
import Logging
import PageKit
import SQLKit
import ServiceKit

/// The rules of accounts, shared by the pages and the mobile API: registration, phone proof, sign-in with lock-out,
/// password reset by SMS code.
struct AccountService: Sendable {
    let database: Database
    let accounts: AccountRepository
    let codes: PhoneCodes
    let sessions: SessionRepository
    let refreshTokens: RefreshTokens
    let passwords: Passwords
    let sender: any CodeSending
    let logger: Logger
    let now: @Sendable () -> Date

    /// Five wrong passwords in a row lock an account for fifteen minutes.
    static let lockAfter = 5
    static let lockFor: TimeInterval = 15 * 60

    struct Registration: Sendable {
        var phone: String
        var citizenId: String
        var fullName: String
        var password: String
        var email: String?
    }

    enum SignIn: Sendable, Equatable {
        case signedIn(AccountRecord)
        /// The password was right but the phone is not proven yet.
        case unverified(AccountRecord)
        case wrong
        case locked(until: Date)
        /// An admin disabled the account.
        case disabled
    }

    enum CodeSend: Sendable, Equatable {
        case sent
        /// The last code went less than a minute ago.
        case tooSoon
        /// The SMS could not be handed over now; the account and the code stand, and the person can ask again.
        case failed

        /// The `/verify` page that tells the person how the sending went.
        var verifyPage: String {
            switch self {
            case .sent: "/verify?sent=yes"
            case .tooSoon: "/verify?sent=soon"
            case .failed: "/verify?sent=failed"
            }
        }
    }

    // MARK: registration

    /// Checks every field and creates a citizen account with its phone unproven; the field issues otherwise.
    func register(_ form: Registration) async throws -> Result<AccountRecord, Problem> {
        var issues: [FieldIssue] = []
        func check(_ result: Result<String, FieldIssue>) -> String? {
            switch result {
            case .success(let value): return value
            case .failure(let issue): issues.append(issue); return nil
            }
        }
        let phone = check(Validate.mobilePhone(form.phone))
        let citizenId = check(Validate.citizenID(form.citizenId))
        let name = form.fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            issues.append(FieldIssue(field: "fullName", code: "fullName.missing", vi: "Nhập họ và tên.", en: "Enter your full name."))
        }
        if form.password.count < AccountInput.minimumPasswordLength {
            issues.append(Self.shortPassword)
        }
        var email: String?
        if let typed = form.email?.trimmingCharacters(in: .whitespaces), !typed.isEmpty { email = check(Validate.email(typed)) }
        guard issues.isEmpty, let phone, let citizenId else { return .failure(.validation(issues)) }
        let account = AccountRecord(id: UUID().uuidString.lowercased(), phone: phone, citizenId: citizenId, fullName: name,
                                    email: email, passwordHash: try await self.passwords.hash(form.password),
                                    roles: [.citizen], agency: nil, phoneVerifiedAt: nil, failedSignIns: 0, lockedUntil: nil, createdAt: self.now())
        let inserted = try await self.database.transaction { try await self.accounts.insert(account, in: $0) }
        guard inserted else {
            return .failure(Problem(.conflict, type: "account.exists", detail: "An account with this phone or citizen id exists; sign in or reset its password.",
                                    errors: [FieldIssue(field: "phone", code: "account.exists",
                                                        vi: "Số điện thoại hoặc số định danh này đã có tài khoản. Hãy đăng nhập hoặc lấy lại mật khẩu.",
                                                        en: "This phone or ID number already has an account. Sign in or reset the password.")]))
        }
        return .success(account)
    }

    static let shortPassword = FieldIssue(field: "password", code: "password.short", vi: "Mật khẩu cần ít nhất 8 ký tự.",
                                          en: "A password needs at least 8 characters.")

    // MARK: one-time codes

    /// Sends a new code for `purpose` to the account's phone.
    func sendCode(to account: AccountRecord, purpose: PhoneCodes.Purpose, language: Language, requestID: String?) async throws -> CodeSend {
        let now = self.now()
        guard let issued = try await self.database.transaction({ try await self.codes.issue(for: account.id, purpose: purpose, now: now, in: $0) })
        else { return .tooSoon }
        do {
            try await self.sender.send(code: issued.code, id: issued.id, purpose: purpose, to: account.phone, language: language, requestID: requestID)
            return .sent
        } catch {
            self.logger.warning("a one-time code could not be sent", metadata: ["account": .string(account.id), "error": .string("\(error)")])
            // The code stays, but the person may ask again at once rather than wait a minute for one that never came.
            try await self.database.transaction { db in
                try await db.delete(from: "phone_codes").where("id", .equal, issued.id).run()
            }
            return .failed
        }
    }

    func verifyPhone(_ account: AccountRecord, code: String) async throws -> PhoneCodes.Check {
        let now = self.now()
        return try await self.database.transaction { db in
            let check = try await self.codes.check(code, for: account.id, purpose: .verifyPhone, now: now, in: db)
            if check == .accepted { try await self.accounts.markPhoneVerified(account.id, at: now, in: db) }
            return check
        }
    }

    // MARK: sign-in

    func signIn(phone typed: String, password: String) async throws -> SignIn {
        let now = self.now()
        guard let phone = AccountInput.phone(typed), let account = try await self.database.read({ try await self.accounts.find(phone: phone, in: $0) })
        else {
            _ = try await self.passwords.verify(password, against: self.passwords.decoy)
            return .wrong
        }
        if let until = account.lockedUntil, until > now { return .locked(until: until) }
        guard account.disabledAt == nil else {
            _ = try await self.passwords.verify(password, against: self.passwords.decoy)
            return .disabled
        }
        guard try await self.passwords.verify(password, against: account.passwordHash) else {
            let failures = (account.lockedUntil.map { $0 <= now } == true ? 0 : account.failedSignIns) + 1
            let lock = failures >= Self.lockAfter ? now.addingTimeInterval(Self.lockFor) : nil
            try await self.database.transaction { try await self.accounts.recordFailure(account.id, count: lock == nil ? failures : 0, lockedUntil: lock, in: $0) }
            return lock.map { .locked(until: $0) } ?? .wrong
        }
        if account.failedSignIns > 0 || account.lockedUntil != nil {
            try await self.database.transaction { try await self.accounts.clearFailures(account.id, in: $0) }
        }
        return account.phoneVerifiedAt == nil ? .unverified(account) : .signedIn(account)
    }

    func startSession(for account: AccountRecord) async throws -> String {
        let now = self.now()
        return try await self.database.transaction { try await self.sessions.create(for: account.id, now: now, in: $0) }
    }

    // MARK: password reset

    /// Sends a reset code when the phone has an account. The caller answers the same either way, so the page does
    /// not tell who has an account.
    func requestReset(phone typed: String, language: Language, requestID: String?) async throws -> CodeSend? {
        guard let phone = AccountInput.phone(typed),
              let account = try await self.database.read({ try await self.accounts.find(phone: phone, in: $0) }) else { return nil }
        return try await self.sendCode(to: account, purpose: .resetPassword, language: language, requestID: requestID)
    }

    /// Sets a new password when the code is right; every session and refresh token of the account ends, and a reset proves the phone.
    func resetPassword(phone typed: String, code: String, newPassword: String) async throws -> Result<AccountRecord, Problem> {
        guard newPassword.count >= AccountInput.minimumPasswordLength else { return .failure(.validation([Self.shortPassword])) }
        let now = self.now()
        let hash = try await self.passwords.hash(newPassword)
        guard let phone = AccountInput.phone(typed) else { return .failure(.validation([Self.wrongCode])) }
        return try await self.database.transaction { db -> Result<AccountRecord, Problem> in
            guard let account = try await self.accounts.find(phone: phone, in: db) else { return .failure(.validation([Self.wrongCode])) }
            switch try await self.codes.check(code, for: account.id, purpose: .resetPassword, now: now, in: db) {
            case .accepted:
                try await self.accounts.setPassword(account.id, hash: hash, in: db)
                if account.phoneVerifiedAt == nil { try await self.accounts.markPhoneVerified(account.id, at: now, in: db) }
                try await self.sessions.endAll(of: account.id, in: db)
                try await self.refreshTokens.revokeAll(of: account.id, in: db)
                return .success(account)
            case .wrong(let left):
                return .failure(.validation([Self.wrongCode(triesLeft: left)]))
            case .noLiveCode:
                return .failure(.validation([Self.noLiveCode]))
            }
        }
    }

    static let wrongCode = FieldIssue(field: "code", code: "code.wrong", vi: "Mã xác thực không đúng.", en: "That code is not right.")

    static func wrongCode(triesLeft: Int) -> FieldIssue {
        FieldIssue(field: "code", code: "code.wrong", vi: "Mã xác thực không đúng. Còn \(triesLeft) lần thử.",
                   en: "That code is not right. \(triesLeft) tries left.")
    }

    static let noLiveCode = FieldIssue(field: "code", code: "code.expired", vi: "Mã đã hết hạn hoặc đã dùng hết số lần thử. Hãy yêu cầu mã mới.",
                                       en: "The code has expired or has no tries left. Ask for a new one.")
}
