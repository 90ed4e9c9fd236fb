import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// Staff accounts, as administrators manage them: the province's admin any agency's, an agency's admin those of
/// their agency and the agencies under it (the tree single-window keeps). Creating, changing roles or agency,
/// setting a password, disabling and enabling; every change but creation ends the account's sessions and refresh
/// tokens and revokes its access tokens everywhere (`Revocations`), so a role taken away or a disabled account stops
/// working at once, not when its token expires.
struct StaffController {
    let service: AccountService
    let runtime: ServiceRuntime
    let singleWindow: SingleWindowGateway
    var audit: AuditLog { AuditLog(database: self.service.database) }

    /// The audit entry of a change to `account`, by the caller, from their address.
    func entry(_ action: String, _ account: AccountRecord, _ request: Request, _ context: ServiceRequestContext) throws -> AuditEntry {
        let roles = account.roles.map(\.rawValue).joined(separator: ",")
        return AuditEntry(at: self.service.now(), actor: try context.requireIdentity().subject, action: action, target: "account \(account.id)",
                          detail: "\(account.fullName) · \(account.phone) · \(roles) · \(account.agency ?? "-")", address: context.clientAddress(request),
                          source: Topology.portal)
    }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/api/v1/staff", use: self.colleagues)
        router.post("/api/v1/staff", use: self.create)
        router.get("/api/v1/staff/accounts", use: self.accounts)
        router.get("/api/v1/staff/:id", use: self.account)
        router.patch("/api/v1/staff/:id", use: self.change)
        router.post("/api/v1/staff/:id/password", use: self.setPassword)
        router.post("/api/v1/staff/:id/disable") { request, context in try await self.setDisabled(request, context: context, disabled: true) }
        router.post("/api/v1/staff/:id/enable") { request, context in try await self.setDisabled(request, context: context, disabled: false) }
        let roles = "roles among officer, leader, clerk, editor, agencyAdmin (and admin, by the province's admin)"
        openAPI.add("GET", "/api/v1/staff", summary: "The staff of an agency (?agency=, the caller's own; admins any or all): id, name, roles",
                    tag: "accounts", responses: [200: ("Staff", Schema.array(Schema.anyObject)), 403: ("Another agency's", nil)], token: true)
        openAPI.add("POST", "/api/v1/staff", summary: "Create a staff account (admin; an agency admin in their agency's subtree) with " + roles,
                    tag: "accounts", request: Schema.object(["phone": Schema.string, "fullName": Schema.string, "password": Schema.string,
                                                             "roles": Schema.array(Schema.string), "agency": Schema.string, "email": Schema.string],
                                                            required: ["phone", "fullName", "password", "roles"]),
                    responses: [201: ("Created", Schema.ref("Account")), 403: ("Not an administrator of the agency", nil), 409: ("Phone taken", nil),
                                422: ("Invalid", nil)], token: true)
        openAPI.add("GET", "/api/v1/staff/accounts", summary: "Staff accounts with phones and whether disabled, of ?agency= (default: every agency "
                    + "the caller administers)", tag: "accounts",
                    responses: [200: ("Accounts", Schema.array(Schema.ref("Account"))), 403: ("Not an administrator of the agency", nil)], token: true)
        openAPI.add("GET", "/api/v1/staff/:id", summary: "One staff account", tag: "accounts",
                    responses: [200: ("Account", Schema.ref("Account")), 403: ("Not an administrator of its agency", nil), 404: ("No such account", nil)],
                    token: true)
        openAPI.add("PATCH", "/api/v1/staff/:id", summary: "Change a staff account's fullName, " + roles + ", agency or email; its sign-ins end",
                    tag: "accounts", responses: [200: ("Account", Schema.ref("Account")), 403: ("Not an administrator of its agency", nil),
                                                 404: ("No such account", nil), 422: ("Invalid", nil)], token: true)
        openAPI.add("POST", "/api/v1/staff/:id/password", summary: "Set a staff account's password {password}; its sign-ins end", tag: "accounts",
                    responses: [204: ("Set", nil), 403: ("Not an administrator of its agency", nil), 404: ("No such account", nil), 422: ("Too short", nil)],
                    token: true)
        openAPI.add("POST", "/api/v1/staff/:id/disable", summary: "Disable a staff account: it cannot sign in, its sessions end and its tokens are "
                    + "refused by every service at once (`account.disabled`)", tag: "accounts",
                    responses: [200: ("Account", Schema.ref("Account")), 403: ("Not an administrator of its agency", nil), 404: ("No such account", nil),
                                409: ("Your own account", nil)], token: true)
        openAPI.add("POST", "/api/v1/staff/:id/enable", summary: "Enable a disabled staff account", tag: "accounts",
                    responses: [200: ("Account", Schema.ref("Account")), 403: ("Not an administrator of its agency", nil), 404: ("No such account", nil)],
                    token: true)
    }

    // MARK: Who administers what

    /// The agencies the caller administers: nil for the province's admin (all), else their agency and those under it.
    func administered(by identity: Identity, requestID: String) async throws -> Set<String>? {
        if identity.has(.admin) { return nil }
        guard identity.has(.agencyAdmin), let own = identity.agency else {
            throw Problem.forbidden("Only an administrator manages staff accounts; your roles are \(identity.roles.map(\.rawValue).joined(separator: ", ")).")
        }
        return Set(AgencyTree(try await self.singleWindow.agencies(requestID: requestID)).subtree(of: own))
    }

    func require(_ agency: String?, in administered: Set<String>?, identity: Identity) throws {
        guard let administered else { return }
        guard let agency, administered.contains(agency) else {
            throw Problem.forbidden("Staff of \(agency ?? "no agency") are not yours to manage; you administer \(identity.agency ?? "no agency") "
                                    + "and the agencies under it.")
        }
    }

    /// The problems with roles and an agency given to an account, in both languages.
    static func issues(roles given: [Role], agency: String?, byProvinceAdmin: Bool) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let roles = Set(given)
        let grantable: Set<Role> = byProvinceAdmin ? [.officer, .leader, .clerk, .editor, .agencyAdmin, .admin]
                                                   : [.officer, .leader, .clerk, .editor, .agencyAdmin]
        if roles.isEmpty || !roles.isSubset(of: grantable) {
            issues.append(FieldIssue(field: "roles", code: "roles.invalid",
                                     vi: "Chọn vai trò trong: cán bộ, lãnh đạo, văn thư, biên tập, quản trị cơ quan" + (byProvinceAdmin ? ", quản trị tỉnh." : "."),
                                     en: "Choose roles among officer, leader, clerk, editor, agency admin" + (byProvinceAdmin ? ", province admin." : ".")))
        }
        if roles != [.admin], (agency ?? "").isEmpty {
            issues.append(FieldIssue(field: "agency", code: "agency.missing", vi: "Cán bộ phải thuộc một cơ quan.",
                                     en: "Staff other than the province's admin belong to an agency."))
        }
        return issues
    }

    func found(_ request: Request, context: ServiceRequestContext) async throws -> (AccountRecord, Identity, Set<String>?) {
        let identity = try context.requireIdentity()
        let administered = try await self.administered(by: identity, requestID: context.requestID)
        let id = try context.parameters.require("id")
        guard let account = try await self.service.accounts.find(id: id), account.isStaff else {
            throw Problem.notFound("There is no staff account \(id).")
        }
        try self.require(account.agency, in: administered, identity: identity)
        return (account, identity, administered)
    }

    // MARK: Routes

    @Sendable func colleagues(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        // The staff of the caller's own agency (admins and services: any agency, or all), names and roles only.
        // Single-window asks it before a dossier is assigned or handed to someone.
        let identity = try context.requireRole(.officer, .leader, .clerk, .agencyAdmin, .admin, .service)
        let agency = request.query("agency").flatMap { $0.isEmpty ? nil : $0 }
        if !identity.has(.admin) && !identity.has(.service) {
            guard let agency, agency == identity.agency else {
                throw Problem.forbidden("Staff see their own agency's colleagues only (agency=\(identity.agency ?? "none")).")
            }
        }
        let staff = try await self.service.database.read { try await self.service.accounts.staff(agency: agency, in: $0) }
        return try Response.json(staff.map { StaffMember(id: $0.id, fullName: $0.fullName, roles: $0.roles, agency: $0.agency) })
    }

    @Sendable func accounts(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let administered = try await self.administered(by: identity, requestID: context.requestID)
        var agencies = administered.map { Array($0) }
        if let agency = request.query("agency"), !agency.isEmpty {
            try self.require(agency, in: administered, identity: identity)
            agencies = [agency]
        }
        let staff = try await self.service.database.read { [agencies] in
            try await self.service.accounts.staff(agencies: agencies, includingDisabled: true, in: $0)
        }
        return try Response.json(staff.map(TokenController.view))
    }

    @Sendable func account(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try Response.json(TokenController.view(try await self.found(request, context: context).0))
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let administered = try await self.administered(by: identity, requestID: context.requestID)
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
        issues += Self.issues(roles: body.roles, agency: body.agency, byProvinceAdmin: administered == nil)
        guard issues.isEmpty, let phone else { throw Problem.validation(issues) }
        try self.require(body.agency, in: administered, identity: identity)
        let now = self.service.now()
        let roles = Set(body.roles)
        let account = AccountRecord(id: UUID().uuidString.lowercased(), phone: phone, citizenId: nil, fullName: body.fullName, email: body.email,
                                    passwordHash: try await self.service.passwords.hash(body.password),
                                    roles: Role.allCases.filter(roles.contains), agency: body.agency.flatMap { $0.isEmpty ? nil : $0 },
                                    phoneVerifiedAt: now, failedSignIns: 0, lockedUntil: nil, createdAt: now)
        let created = try self.entry("staff.create", account, request, context)
        guard try await self.service.database.transaction({ db in
            guard try await self.service.accounts.insert(account, in: db) else { return false }
            try await self.audit.add(created, in: db)
            return true
        }) else {
            throw Problem(.conflict, type: "account.exists", detail: "The phone \(phone) already has an account.")
        }
        return try Response.json(TokenController.view(account), status: .created, location: "/api/v1/staff/\(account.id)")
    }

    @Sendable func change(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var (account, identity, administered) = try await self.found(request, context: context)
        let body = try await request.decodeJSON(as: StaffChangeRequest.self)
        if let name = body.fullName {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Problem.validation([FieldIssue(field: "fullName", code: "fullName.missing", vi: "Nhập họ và tên.", en: "Enter the full name.")])
            }
            account.fullName = name
        }
        if let roles = body.roles { account.roles = Role.allCases.filter(Set(roles).contains) }
        if let agency = body.agency { account.agency = agency.isEmpty ? nil : agency }
        if let email = body.email { account.email = email.isEmpty ? nil : email }
        let issues = Self.issues(roles: account.roles, agency: account.agency, byProvinceAdmin: administered == nil)
        guard issues.isEmpty else { throw Problem.validation(issues) }
        try self.require(account.agency, in: administered, identity: identity)
        let changed = account
        let entry = try self.entry("staff.change", changed, request, context)
        try await self.endSignIns(of: changed.id, requestID: context.requestID) { db in
            try await self.service.accounts.update(changed, in: db)
            try await self.audit.add(entry, in: db)
        }
        return try Response.json(TokenController.view(changed))
    }

    @Sendable func setPassword(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let (account, _, _) = try await self.found(request, context: context)
        let body = try await request.decodeJSON(as: PasswordResetRequest.self)
        guard body.password.count >= AccountInput.minimumPasswordLength else { throw Problem.validation([AccountService.shortPassword]) }
        let hash = try await self.service.passwords.hash(body.password)
        let entry = try self.entry("staff.password", account, request, context)
        try await self.endSignIns(of: account.id, requestID: context.requestID) { db in
            try await self.service.accounts.setPassword(account.id, hash: hash, in: db)
            try await self.audit.add(entry, in: db)
        }
        return Response(status: .noContent)
    }

    func setDisabled(_ request: Request, context: ServiceRequestContext, disabled: Bool) async throws -> Response {
        var (account, identity, _) = try await self.found(request, context: context)
        guard account.id != identity.subject else {
            throw Problem(.conflict, type: "account.self", detail: "You cannot disable or enable your own account; ask another administrator.")
        }
        let now = self.service.now()
        account.disabledAt = disabled ? (account.disabledAt ?? now) : nil
        let id = account.id, at = account.disabledAt
        let entry = try self.entry(disabled ? "staff.disable" : "staff.enable", account, request, context)
        if disabled {
            try await self.endSignIns(of: id, requestID: context.requestID) { db in
                try await self.service.accounts.setDisabled(id, at: at, in: db)
                try await self.audit.add(entry, in: db)
            }
        } else {
            try await self.service.database.transaction { db in
                try await self.service.accounts.setDisabled(id, at: nil, in: db)
                try await self.audit.add(entry, in: db)
            }
        }
        return try Response.json(TokenController.view(account))
    }

    /// Writes `change` and, in the same transaction, ends the account's browser sessions and refresh tokens, revokes
    /// its access tokens here and tells every service to refuse them (`account.disabled` through the outbox).
    func endSignIns(of id: String, requestID: String, _ change: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let revoked = Revocations.Disabled(accountId: id, since: self.service.now())
        let event = try EventEnvelope(type: EventType.accountDisabled, source: self.runtime.settings.name, requestId: requestID, payload: revoked)
        try await self.service.database.transaction { db in
            try await change(db)
            try await self.service.sessions.endAll(of: id, in: db)
            try await self.service.refreshTokens.revokeAll(of: id, in: db)
            try await Revocations.record(revoked, verifier: self.runtime.verifier, in: db)
            try await self.runtime.outbox.enqueue(event, in: db)
        }
    }
}
