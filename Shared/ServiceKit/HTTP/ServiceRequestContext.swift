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

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The caller's address, which rate limits count by. `X-Forwarded-For` is believed only from those who can vouch
    /// for it: another MotCua service (its service token; the portal passes the citizen's address on) or a reverse
    /// proxy named in `TRUSTED_PROXIES`. From anyone else it is ignored, or a guesser could name a new address for
    /// every try and never be slowed.
    public func clientAddress(_ request: Request) -> String {
        if let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").first,
           self.identity?.has(.service) == true || self.throughTrustedProxy {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return self.remoteAddress ?? "unknown"
    }

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

/// Reads or creates the request id, puts it in every log line and echoes it on the response.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let incoming = request.headers[.requestID].flatMap { $0.count <= 200 && !$0.isEmpty ? $0 : nil }
        context.requestID = incoming ?? Self.generate()
        context.logger[metadataKey: "requestId"] = .string(context.requestID)
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestID
        return response
    }

    /// 128 random bits as 32 hex digits.
    /// Written digit by digit into one string: this runs for every request.
    static func generate() -> String {
        let halves = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<32 {
                let half = index < 16 ? halves.0 : halves.1
                let nibble = UInt8((half >> UInt64(60 - 4 * (index % 16))) & 0xF)
                buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 32
        }
    }
}

extension HTTPField.Name {
    public static let requestID = HTTPField.Name("X-Request-ID")!
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

import Foundation
