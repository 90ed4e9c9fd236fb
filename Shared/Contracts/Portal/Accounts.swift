import DomainKit
import Foundation

/// `POST /api/v1/token`: the mobile app signs in with a phone and password, or swaps a refresh token for new tokens.
public struct TokenRequest: Codable, Sendable, Equatable {
    public enum GrantType: String, Codable, Sendable {
        case password
        case refreshToken
    }

    public var grantType: GrantType
    public var phone: String?
    public var password: String?
    public var refreshToken: String?

    public init(grantType: GrantType, phone: String? = nil, password: String? = nil, refreshToken: String? = nil) {
        self.grantType = grantType
        self.phone = phone
        self.password = password
        self.refreshToken = refreshToken
    }
}

/// A short-lived access token (an ES256 JWT every service verifies) and a refresh token that is good once.
public struct TokenResponse: Codable, Sendable, Equatable {
    public var accessToken: String
    public var tokenType: String
    /// Seconds the access token lives.
    public var expiresIn: Int
    public var refreshToken: String

    public init(accessToken: String, tokenType: String = "Bearer", expiresIn: Int, refreshToken: String) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
    }
}

/// An account as the API shows it (no password hash, no lock counters).
public struct AccountView: Codable, Sendable, Equatable {
    public var id: String
    public var phone: String
    public var citizenId: String?
    public var fullName: String
    public var email: String?
    public var roles: [Role]
    public var agency: String?
    public var phoneVerified: Bool
    public var createdAt: Date
    /// When an administrator disabled it (staff accounts).
    public var disabledAt: Date?

    public init(id: String, phone: String, citizenId: String?, fullName: String, email: String?, roles: [Role], agency: String?,
                phoneVerified: Bool, createdAt: Date, disabledAt: Date? = nil) {
        self.disabledAt = disabledAt
        self.id = id
        self.phone = phone
        self.citizenId = citizenId
        self.fullName = fullName
        self.email = email
        self.roles = roles
        self.agency = agency
        self.phoneVerified = phoneVerified
        self.createdAt = createdAt
    }
}

/// `POST /api/v1/staff`: an admin creates an officer, leader, editor or admin account tied to an agency.
public struct NewStaffRequest: Codable, Sendable, Equatable {
    public var phone: String
    public var fullName: String
    public var password: String
    public var roles: [Role]
    public var agency: String?
    public var email: String?

    public init(phone: String, fullName: String, password: String, roles: [Role], agency: String?, email: String? = nil) {
        self.phone = phone
        self.fullName = fullName
        self.password = password
        self.roles = roles
        self.agency = agency
        self.email = email
    }
}

/// `PATCH /api/v1/staff/{id}`: what an administrator changes of a staff account (absent: unchanged).
public struct StaffChangeRequest: Codable, Sendable, Equatable {
    public var fullName: String?
    public var roles: [Role]?
    public var agency: String?
    public var email: String?

    public init(fullName: String? = nil, roles: [Role]? = nil, agency: String? = nil, email: String? = nil) {
        self.fullName = fullName
        self.roles = roles
        self.agency = agency
        self.email = email
    }
}

/// `POST /api/v1/staff/{id}/password`: the new password an administrator sets (the person changes it after).
public struct PasswordResetRequest: Codable, Sendable, Equatable {
    public var password: String

    public init(password: String) { self.password = password }
}

/// A member of an agency's staff as colleagues see them (`GET /api/v1/staff?agency=`): no phone, no e-mail.
public struct StaffMember: Codable, Sendable, Equatable {
    public var id: String
    public var fullName: String
    public var roles: [Role]
    public var agency: String?

    public init(id: String, fullName: String, roles: [Role], agency: String?) {
        self.id = id
        self.fullName = fullName
        self.roles = roles
        self.agency = agency
    }
}
