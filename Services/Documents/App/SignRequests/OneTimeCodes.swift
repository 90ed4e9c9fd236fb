import Foundation
import HummingbirdOTP
import ServiceKit
import SQLKit

/// Authenticator-app enrolment for people who sign: a TOTP secret (RFC 6238, 6 digits, 30 s) sealed at rest,
/// confirmed by a first code, and checked with one step of clock drift either way; a code is accepted once.
/// Wrong codes in a row are counted per account: after `maximumFailures` the enrolment is locked until an
/// administrator resets it, so that no one guesses a six-digit code by trying them all.
struct OneTimeCodes: Sendable {
    static let maximumFailures: Int64 = 10
    let database: Database
    let vault: KeyVault

    struct Enrolment: Codable, Sendable {
        /// `otpauth://totp/…` for the authenticator app (as a QR code).
        var authenticatorURL: String
        var confirmed: Bool
    }

    private struct Row: Decodable { let sealed_secret: String; let confirmed_at: Int64?; let last_step: Int64?; let failures: Int64? }

    /// A refusal that names what happened: the enrolment locked by wrong codes.
    static func locked() -> Problem {
        Problem(.locked, detail: "Too many wrong authenticator codes in a row: codes are refused on this account until an administrator resets "
                + "its authenticator (POST /v1/otp/enrolment/reset).")
    }

    /// A new secret for the account (replacing an unconfirmed one); a confirmed enrolment is kept until reset.
    func enrol(_ subject: String, label: String, at now: Date) async throws -> Enrolment {
        if let row = try await self.row(subject), row.confirmed_at != nil {
            throw Problem.conflict("An authenticator is already enrolled on this account; an administrator resets it before a new one.")
        }
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        let secret = String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        let sealed = try self.vault.seal(Data(secret.utf8))
        try await self.database.transaction { db in
            try await db.delete(from: "otp_enrolments").where("subject", .equal, subject).run()
            try await db.insert(into: "otp_enrolments").columns("subject", "sealed_secret", "created_at")
                .values(SQLBind(subject), SQLBind(sealed), SQLBind(now.epochMilliseconds)).run()
        }
        return Enrolment(authenticatorURL: TOTP(secret: secret).createAuthenticatorURL(label: label, issuer: "MotCua Kien Giang"), confirmed: false)
    }

    /// Whether `code` is the account's current code (one step either way), not used before; a good code is used up.
    /// `confirming` accepts an unconfirmed enrolment and confirms it.
    func check(_ subject: String, code: String, at now: Date, confirming: Bool = false) async throws -> Bool {
        guard code.count == 6, code.allSatisfy(\.isNumber), let number = Int(code) else { return false }
        return try await self.database.transaction { db in
            guard let row = try await db.select().columns("sealed_secret", "confirmed_at", "last_step", "failures").from("otp_enrolments")
                .where("subject", .equal, subject).first(decoding: Row.self) else { return false }
            guard (row.failures ?? 0) < Self.maximumFailures else { throw Self.locked() }
            guard confirming || row.confirmed_at != nil else { return false }
            let totp = TOTP(secret: String(decoding: try self.vault.openData(row.sealed_secret), as: UTF8.self))
            let step = Int64(now.timeIntervalSince1970) / 30
            for candidate in [step, step - 1, step + 1] where candidate > (row.last_step ?? -1) {
                if totp.compute(date: Date(timeIntervalSince1970: Double(candidate * 30))) == number {
                    try await db.update("otp_enrolments").set("last_step", to: SQLBind(candidate)).set("failures", to: SQLBind(Int64(0)))
                        .set("confirmed_at", to: SQLBind(row.confirmed_at ?? now.epochMilliseconds)).where("subject", .equal, subject).run()
                    return true
                }
            }
            try await db.update("otp_enrolments").set("failures", to: SQLBind((row.failures ?? 0) + 1)).where("subject", .equal, subject).run()
            return false
        }
    }

    /// Forgets an account's enrolment (a lost phone, or one locked by wrong codes): the person enrols again. False
    /// when there was none.
    func reset(_ subject: String) async throws -> Bool {
        try await self.database.transaction { db in
            let found = try await db.select().column("subject").from("otp_enrolments").where("subject", .equal, subject).first() != nil
            try await db.delete(from: "otp_enrolments").where("subject", .equal, subject).run()
            return found
        }
    }

    func isEnrolled(_ subject: String) async throws -> Bool {
        try await self.row(subject)?.confirmed_at != nil
    }

    private func row(_ subject: String) async throws -> Row? {
        try await self.database.read { db in
            try await db.select().columns("sealed_secret", "confirmed_at", "last_step", "failures").from("otp_enrolments").where("subject", .equal, subject)
                .first(decoding: Row.self)
        }
    }
}
