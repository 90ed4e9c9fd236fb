import Hummingbird

/// Reads `Authorization: Bearer …` when present. A request without a token goes on anonymously (routes that need
/// one ask `requireIdentity`); a request with a bad token is refused at once, so a client learns its token is wrong.
public struct IdentityMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let verifier: TokenVerifier
    let trustedProxies: TrustedProxies
    /// Service tokens only over the mutual-TLS listener (when the service has one).
    let serviceTokensOverTLSOnly: Bool

    public init(verifier: TokenVerifier, trustedProxies: TrustedProxies = TrustedProxies(""), serviceTokensOverTLSOnly: Bool = false) {
        self.verifier = verifier
        self.trustedProxies = trustedProxies
        self.serviceTokensOverTLSOnly = serviceTokensOverTLSOnly
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.throughTrustedProxy = self.trustedProxies.contains(context.remoteAddress)
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        guard header.lowercased().hasPrefix("bearer ") else {
            throw Problem.unauthorized("The Authorization header must be 'Bearer <token>'.")
        }
        context.identity = try await self.verifier.verify(String(header.dropFirst("bearer ".count)))
        if self.serviceTokensOverTLSOnly, context.identity?.has(.service) == true, !context.overServiceTLS {
            throw Problem.unauthorized("Service tokens are accepted on the service port only, over TLS with a certificate of the service CA.")
        }
        context.logger[metadataKey: "subject"] = .string(context.identity!.subject)
        return try await next(request, context)
    }
}
