import Foundation
import Hummingbird
import ServiceKit

/// Someone signed in with a confirmed phone, and a short token in their name for the calls the portal makes for them.
struct Citizen: Sendable {
    let visitor: Visitor
    let account: AccountRecord
    let token: String
}

/// What every "My dossiers" page needs: the signed-in, confirmed citizen; anyone else is sent to sign in (or to
/// confirm their phone) and brought back.
struct CitizenArea: Sendable {
    let visitors: Visitors
    let issuer: TokenIssuer
    let singleWindow: SingleWindowGateway

    /// A route handler that runs `body` for a citizen and answers everyone else with the way in.
    func route(_ body: @escaping @Sendable (Request, ServiceRequestContext, Citizen) async throws -> Response)
        -> @Sendable (Request, ServiceRequestContext) async throws -> Response {
        { request, context in
            let visitor = try await self.visitors.visitor(request)
            guard let account = visitor.account else {
                var path = request.uri.path
                if let query = request.uri.query, !query.isEmpty { path += "?" + query }
                return visitor.redirect(to: "/login?next=" + FormEncoding.encode(request.method == .get ? path : "/my/dossiers"))
            }
            guard account.phoneVerifiedAt != nil else { return visitor.redirect(to: "/verify") }
            let token = try await self.issuer.token(for: account.identity, lifetime: 300)
            return try await body(request, context, Citizen(visitor: visitor, account: account, token: token))
        }
    }
}
