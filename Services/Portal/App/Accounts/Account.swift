import DomainKit
import Foundation
import ServiceKit

/// A person who signs in: a citizen who registered, or staff (officer, leader, editor, admin) an admin created.
struct AccountRecord: Sendable, Equatable {
    var id: String
    var phone: String
    var citizenId: String?
    var fullName: String
    var email: String?
    var passwordHash: String
    var roles: [Role]
    var agency: String?
    var phoneVerifiedAt: Date?
    var failedSignIns: Int
    var lockedUntil: Date?
    var createdAt: Date
    /// When an admin disabled it: it cannot sign in, and its tokens issued until then are refused everywhere.
    var disabledAt: Date? = nil

    var identity: Identity { Identity(subject: self.id, roles: self.roles, agency: self.agency) }
    var isStaff: Bool { self.roles.contains { $0 != .citizen } }
}

/// What people type, in one shape: phone numbers as DomainKit's validation writes them ("0912345678").
enum AccountInput {
    static func phone(_ text: String) -> String? { try? Validate.mobilePhone(text).get() }

    static let minimumPasswordLength = 8
}
