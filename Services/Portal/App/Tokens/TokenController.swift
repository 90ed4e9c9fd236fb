import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// The mobile app's sign-in: `POST /api/v1/token` (password or refresh token), `POST /api/v1/token/revoke`,
/// `GET /api/v1/me`. Staff accounts are `StaffController`'s.
struct TokenController {
    let service: AccountService
    let issuer: TokenIssuer
    let refreshTokens: RefreshTokens
    let attempts: RateLimiter
    /// Access tokens live fifteen minutes; the app refreshes them.
    static let accessLifetime: TimeInterval = 15 * 60

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/api/v1/token", use: self.token)
        router.post("/api/v1/token/revoke") { request, _ -> Response in
            struct Body: Decodable { let refreshToken: String }
            let body = try await request.decodeJSON(as: Body.self)
            try await self.service.database.transaction { try await self.refreshTokens.revoke(body.refreshToken, in: $0) }
            return Response(status: .noContent)
        }
        router.get("/api/v1/me") { _, context -> Response in
            let identity = try context.requireIdentity()
            guard let account = try await self.service.accounts.find(id: identity.subject) else {
                throw Problem.notFound("There is no account \(identity.subject).")
            }
            return try Response.json(Self.view(account))
        }

        openAPI.addSchema("TokenRequest", Schema.object([
            "grantType": Schema.enumeration(["password", "refreshToken"]), "phone": Schema.string, "password": Schema.string,
            "refreshToken": Schema.string,
        ], required: ["grantType"]))
        openAPI.addSchema("TokenResponse", Schema.object([
            "accessToken": Schema.string, "tokenType": Schema.string, "expiresIn": Schema.integer, "refreshToken": Schema.string,
        ]))
        openAPI.addSchema("Account", Schema.object([
            "id": Schema.string, "phone": Schema.string, "citizenId": Schema.string, "fullName": Schema.string, "email": Schema.string,
            "roles": Schema.array(Schema.string), "agency": Schema.string, "phoneVerified": Schema.boolean, "createdAt": Schema.dateTime,
        ]))
        openAPI.add("POST", "/api/v1/token", summary: "Sign in (phone and password) or refresh; answers an access token and a one-use refresh token",
                    tag: "mobile", request: Schema.ref("TokenRequest"),
                    responses: [200: ("Tokens", Schema.ref("TokenResponse")), 400: ("Bad request", nil), 401: ("Wrong phone, password or refresh token", nil),
                                403: ("Locked, or the phone is not confirmed", nil), 429: ("Too many attempts", nil)])
        openAPI.add("POST", "/api/v1/token/revoke", summary: "Sign out on the phone: the refresh token's family ends", tag: "mobile",
                    request: Schema.object(["refreshToken": Schema.string], required: ["refreshToken"]), responses: [204: ("Revoked", nil)])
        openAPI.add("GET", "/api/v1/me", summary: "The signed-in account", tag: "mobile",
                    responses: [200: ("Account", Schema.ref("Account")), 401: ("No token", nil), 404: ("The token names no account (a service's token)", nil)],
                    token: true)
    }

    func token(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        if let retryAfter = self.attempts.take(context.clientAddress(request)) {
            throw Problem.tooManyRequests("Too many sign-in attempts from your address; try again in \(retryAfter) seconds.", retryAfter: retryAfter)
        }
        let body = try await request.decodeJSON(as: TokenRequest.self)
        let now = self.service.now()
        let account: AccountRecord
        let refresh: String
        switch body.grantType {
        case .password:
            guard let phone = body.phone, let password = body.password else {
                throw Problem.badRequest("A password grant needs 'phone' and 'password'.")
            }
            switch try await self.service.signIn(phone: phone, password: password) {
            case .signedIn(let signedIn):
                account = signedIn
            case .unverified:
                throw Problem(.forbidden, type: "account.unverified", detail: "This account's phone is not confirmed yet; confirm it on the portal first.")
            case .wrong:
                throw Problem.unauthorized("The phone number or password is not right.")
            case .disabled:
                throw Problem(.forbidden, type: "account.disabled", detail: "This account was disabled by an administrator; ask them to enable it.")
            case .locked(let until):
                throw Problem(.forbidden, type: "account.locked",
                              detail: "This account is locked after too many wrong passwords until \(VietnamTime.rfc3339(until)); or reset the password.")
            }
            refresh = try await self.service.database.transaction { try await self.refreshTokens.issue(for: account.id, now: now, in: $0) }
        case .refreshToken:
            guard let token = body.refreshToken else { throw Problem.badRequest("A refresh grant needs 'refreshToken'.") }
            let use = try await self.service.database.transaction { try await self.refreshTokens.use(token, now: now, in: $0) }
            guard case .rotated(let id, let next) = use, let found = try await self.service.accounts.find(id: id), found.disabledAt == nil else {
                throw Problem.unauthorized("This refresh token is not valid (expired, revoked or already used); sign in again.")
            }
            account = found
            refresh = next
        }
        let access = try await self.issuer.token(for: account.identity, lifetime: Self.accessLifetime, now: now)
        var response = try Response.json(TokenResponse(accessToken: access, expiresIn: Int(Self.accessLifetime), refreshToken: refresh))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func view(_ account: AccountRecord) -> AccountView {
        AccountView(id: account.id, phone: account.phone, citizenId: account.citizenId, fullName: account.fullName, email: account.email,
                    roles: account.roles, agency: account.agency, phoneVerified: account.phoneVerifiedAt != nil, createdAt: account.createdAt,
                    disabledAt: account.disabledAt)
    }
}
