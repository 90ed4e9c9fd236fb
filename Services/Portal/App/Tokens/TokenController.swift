import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// The mobile app's sign-in: `POST /api/v1/token` (password or refresh token), `POST /api/v1/token/revoke`,
/// `GET /api/v1/me`; and the admin's `POST /api/v1/staff` to create staff accounts.
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
        router.post("/api/v1/staff", use: self.createStaff)
        router.get("/api/v1/staff") { request, context -> Response in
            // Colleagues: the staff of the caller's own agency (admins and services: any agency, or all), names and roles
            // only. Single-window asks it before a dossier is assigned or handed to someone.
            let identity = try context.requireRole(.officer, .leader, .admin, .service)
            let agency = request.query("agency").flatMap { $0.isEmpty ? nil : $0 }
            if !identity.has(.admin) && !identity.has(.service) {
                guard let agency, agency == identity.agency else {
                    throw Problem.forbidden("Staff see their own agency's colleagues only (agency=\(identity.agency ?? "none")).")
                }
            }
            let staff = try await self.service.database.read { try await self.service.accounts.staff(agency: agency, in: $0) }
            return try Response.json(staff.map { StaffMember(id: $0.id, fullName: $0.fullName, roles: $0.roles, agency: $0.agency) })
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
        openAPI.add("GET", "/api/v1/staff", summary: "The staff of an agency (?agency=, the caller's own; admins any or all): id, name, roles",
                    tag: "accounts", responses: [200: ("Staff", Schema.array(Schema.anyObject)), 403: ("Another agency's", nil)], token: true)
        openAPI.add("POST", "/api/v1/staff", summary: "Create an officer, leader, editor or admin account (admin)", tag: "accounts",
                    request: Schema.object(["phone": Schema.string, "fullName": Schema.string, "password": Schema.string,
                                                "roles": Schema.array(Schema.string), "agency": Schema.string, "email": Schema.string],
                                               required: ["phone", "fullName", "password", "roles"]),
                    responses: [201: ("Created", Schema.ref("Account")), 403: ("Not an admin", nil), 409: ("Phone taken", nil), 422: ("Invalid", nil)], token: true)
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
            case .locked(let until):
                throw Problem(.forbidden, type: "account.locked",
                              detail: "This account is locked after too many wrong passwords until \(VietnamTime.rfc3339(until)); or reset the password.")
            }
            refresh = try await self.service.database.transaction { try await self.refreshTokens.issue(for: account.id, now: now, in: $0) }
        case .refreshToken:
            guard let token = body.refreshToken else { throw Problem.badRequest("A refresh grant needs 'refreshToken'.") }
            let use = try await self.service.database.transaction { try await self.refreshTokens.use(token, now: now, in: $0) }
            guard case .rotated(let id, let next) = use, let found = try await self.service.accounts.find(id: id) else {
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

    func createStaff(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        guard try context.requireIdentity().has(.admin) else { throw Problem.forbidden("Only an admin creates staff accounts.") }
        let body = try await request.decodeJSON(as: NewStaffRequest.self)
        var issues: [FieldIssue] = []
        var phone: String?
        switch Validate.mobilePhone(body.phone) {
        case .success(let valid): phone = valid
        case .failure(let issue): issues.append(issue)
        }
        if body.fullName.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "fullName", code: "fullName.missing", vi: "Nhập họ và tên.", en: "Enter the full name."))
        }
        if body.password.count < AccountInput.minimumPasswordLength { issues.append(AccountService.shortPassword) }
        let roles = Set(body.roles)
        if roles.isEmpty || roles.contains(.citizen) || roles.contains(.service) {
            issues.append(FieldIssue(field: "roles", code: "roles.invalid", vi: "Chọn vai trò: officer, leader, editor hoặc admin.",
                                     en: "Choose roles among officer, leader, editor and admin."))
        }
        if !roles.isDisjoint(with: [.officer, .leader, .editor]), (body.agency ?? "").isEmpty {
            issues.append(FieldIssue(field: "agency", code: "agency.missing", vi: "Cán bộ phải thuộc một cơ quan.", en: "Officers, leaders and editors belong to an agency."))
        }
        guard issues.isEmpty, let phone else { throw Problem.validation(issues) }
        let now = self.service.now()
        let account = AccountRecord(id: UUID().uuidString.lowercased(), phone: phone, citizenId: nil, fullName: body.fullName, email: body.email,
                                    passwordHash: try await self.service.passwords.hash(body.password),
                                    roles: Role.allCases.filter(roles.contains), agency: body.agency, phoneVerifiedAt: now,
                                    failedSignIns: 0, lockedUntil: nil, createdAt: now)
        guard try await self.service.database.transaction({ try await self.service.accounts.insert(account, in: $0) }) else {
            throw Problem(.conflict, type: "account.exists", detail: "The phone \(phone) already has an account.")
        }
        return try Response.json(Self.view(account), status: .created, location: "/api/v1/staff/\(account.id)")
    }

    static func view(_ account: AccountRecord) -> AccountView {
        AccountView(id: account.id, phone: account.phone, citizenId: account.citizenId, fullName: account.fullName, email: account.email,
                    roles: account.roles, agency: account.agency, phoneVerified: account.phoneVerifiedAt != nil, createdAt: account.createdAt)
    }
}
