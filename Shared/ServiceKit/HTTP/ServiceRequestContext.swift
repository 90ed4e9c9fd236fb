import HTTPTypes
import DomainKit
import Hummingbird

/// The request context of every MotCua service: the request id to pass on, and who is calling.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From `X-Request-ID`, or generated at the edge.
    public var requestID: String
    /// Set by `IdentityMiddleware` when the request carries a valid token.
    public var identity: Identity?
    /// The peer of the connection (a proxy, when there is one).
    public let remoteAddress: String?
    /// Set by `IdentityMiddleware`: the peer is a reverse proxy named in `TRUSTED_PROXIES`.
    public var throughTrustedProxy = false
    /// The request came over the mutual-TLS listener: the caller showed a certificate of the service CA.
    public var overServiceTLS = false

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The caller's address, which rate limits count by. `X-Forwarded-For` is believed only from those who can vouch
    /// for it: the services that face people (`edgeServices`: the portal and the staff console pass the person's
    /// address on, with their service token) or a reverse proxy named in `TRUSTED_PROXIES`. From anyone else, another service included, it
    /// is ignored, or a guesser (or a leaked token) could name a new address for every try and never be slowed.
    public func clientAddress(_ request: Request) -> String {
        if let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").first,
           self.identity?.serviceName.map(Self.edgeServices.contains) == true || self.throughTrustedProxy {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return self.remoteAddress ?? "unknown"
    }

    /// The services people reach directly, which forward each person's address to the services behind them.
    public static let edgeServices: Set<String> = [TokenIssuer.serviceName, "console"]

    /// Uploads are streamed by the services that take files; JSON bodies stay small.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    /// Responses write times as RFC 3339 with the Vietnam offset, like every other MotCua JSON (`StreamingJSON`).
    public var responseEncoder: StreamingResponseEncoder { StreamingResponseEncoder() }
    public var requestDecoder: JSONDecoder { JSONDecoder.motcua }

    /// The caller, or 401 when the request has no valid token.
    public func requireIdentity() throws -> Identity {
        guard let identity = self.identity else {
            throw Problem.unauthorized("Sign in first: this needs a bearer token.")
        }
        return identity
    }

    /// The caller if it is one of the named services (or, when `admins`, an admin), else 401/403 saying who may call:
    /// a service token carries only the rights its service needs, so the portal's cannot stand in for payments'.
    @discardableResult
    public func requireCaller(_ services: String..., admins: Bool = false) throws -> Identity {
        let identity = try self.requireIdentity()
        if admins, identity.has(.admin) { return identity }
        guard let caller = identity.serviceName, services.contains(caller) else {
            let who = services.joined(separator: " or ") + (admins ? " (or an admin)" : "")
            throw Problem.forbidden("Only \(who) may call this; the caller is \(identity.serviceName.map { "the \($0) service" } ?? identity.subject).")
        }
        return identity
    }

    /// The caller if they hold one of the roles, or 401/403 saying which roles would do.
    @discardableResult
    public func requireRole(_ roles: Role...) throws -> Identity {
        let identity = try self.requireIdentity()
        guard identity.roles.contains(where: roles.contains) else {
            throw Problem.forbidden("This needs the role \(roles.map(\.rawValue).joined(separator: " or ")); you have \(identity.roles.map(\.rawValue).joined(separator: ", ")).")
        }
        return identity
    }

    /// Staff may act only for their own agency; admins and services for any.
    public func requireAgency(_ agency: String) throws {
        let identity = try self.requireIdentity()
        if identity.roles.contains(.admin) || identity.roles.contains(.service) { return }
        guard identity.agency == agency else {
            throw Problem.forbidden("This belongs to agency \(agency); your account is for \(identity.agency ?? "no agency").")
        }
    }
}

extension HTTPField.Name {
    public static let requestID = HTTPField.Name("X-Request-ID")!
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

import Foundation
