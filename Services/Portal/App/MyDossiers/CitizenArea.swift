import Foundation
import Hummingbird
import ServiceKit

/// What every "My dossiers" page needs: the signed-in, confirmed citizen, and a short token in their name for the
/// calls the portal makes for them.
struct CitizenArea: Sendable {
    let visitors: Visitors
    let issuer: TokenIssuer
    let singleWindow: SingleWindowGateway

    enum Entry {
        case citizen(Visitor, AccountRecord, token: String)
        case away(Response)
    }

    func enter(_ request: Request) async throws -> Entry {
        let visitor = try await self.visitors.visitor(request)
        guard let account = visitor.account else {
            var path = request.uri.path
            if let query = request.uri.query, !query.isEmpty { path += "?" + query }
            return .away(visitor.redirect(to: "/login?next=" + FormEncoding.encode(request.method == .get ? path : "/my/dossiers")))
        }
        guard account.phoneVerifiedAt != nil else { return .away(visitor.redirect(to: "/verify")) }
        return .citizen(visitor, account, token: try await self.issuer.token(for: account.identity, lifetime: 300))
    }
}
