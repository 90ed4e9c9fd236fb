import DomainKit
import Foundation
import JWTKit

/// Who is calling: a person signed in at the portal, or another MotCua service.
public struct Identity: Sendable, Codable, Equatable {
    public var subject: String
    public var roles: [Role]
    /// The agency code of an officer, leader or editor.
    public var agency: String?

    public init(subject: String, roles: [Role], agency: String? = nil) {
        self.subject = subject
        self.roles = roles
        self.agency = agency
    }

    public func has(_ role: Role) -> Bool { self.roles.contains(role) }

    /// The calling service's name, for a service token (`service:<name>`); nil for a person.
    public var serviceName: String? {
        guard self.roles == [.service], self.subject.hasPrefix("service:") else { return nil }
        return String(self.subject.dropFirst("service:".count))
    }
}

/// The claims of a MotCua access token (`sub`, `roles`, `agency` as DESIGN.md names them).
public struct AccessClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var roles: [Role]
    public var agency: String?
    public var iss: IssuerClaim
    /// Who the token is for: `motcua` (every service) for the portal's tokens, the one service called for a service token.
    public var aud: AudienceClaim?
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim

    public init(identity: Identity, issuer: String, audience: String, issuedAt: Date, lifetime: TimeInterval) {
        self.sub = .init(value: identity.subject)
        self.roles = identity.roles
        self.agency = identity.agency
        self.iss = .init(value: issuer)
        self.aud = .init(value: [audience])
        self.iat = .init(value: issuedAt)
        self.exp = .init(value: issuedAt.addingTimeInterval(lifetime))
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try self.exp.verifyNotExpired()
    }

    public var identity: Identity { Identity(subject: self.sub.value, roles: self.roles, agency: self.agency) }
}
