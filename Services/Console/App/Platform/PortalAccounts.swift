import Contracts
import DomainKit
import Foundation
import ServiceKit

/// The console asks the portal, which keeps the accounts, as any client would: the password grant of
/// `POST /api/v1/token`, the refresh grant, `GET /api/v1/me`, and revocation at sign-out.
struct PortalAccounts: Sendable {
    let client: ServiceClient

    /// Signs in with a phone and password; the portal's answers (401 wrong, 403 locked, 429 too many) come back as
    /// problems. `clientAddress` is the officer's, so the portal's attempt limit counts each person apart.
    func signIn(phone: String, password: String, clientAddress: String, requestID: String) async throws -> (TokenResponse, AccountView) {
        let tokens = try await self.client.post(TokenRequest(grantType: .password, phone: phone, password: password), as: TokenResponse.self,
                                                service: Topology.portal, path: "/api/v1/token", requestID: requestID,
                                                headers: [("X-Forwarded-For", clientAddress)])
        let account = try await self.client.send(.GET, service: Topology.portal, path: "/api/v1/me", requestID: requestID,
                                                 authorization: "Bearer " + tokens.accessToken).decode(AccountView.self)
        return (tokens, account)
    }

    /// The staff of an agency (names and roles), as the officer may see them.
    func colleagues(of agency: String, as token: String, requestID: String) async throws -> [StaffMember] {
        try await self.client.send(.GET, service: Topology.portal, path: "/api/v1/staff?agency=" + FormEncoding.encode(agency), requestID: requestID,
                                   authorization: "Bearer " + token).decode([StaffMember].self)
    }

    /// New tokens for a refresh token (each is good once). The officer's address goes along as at sign-in: from the
    /// console's own address every officer's refresh would share one attempt limit, and a busy morning would lock all out.
    func refresh(_ refreshToken: String, clientAddress: String, requestID: String) async throws -> TokenResponse {
        try await self.client.post(TokenRequest(grantType: .refreshToken, refreshToken: refreshToken), as: TokenResponse.self,
                                   service: Topology.portal, path: "/api/v1/token", requestID: requestID,
                                   headers: [("X-Forwarded-For", clientAddress)])
    }

    /// Ends the refresh token's family at the portal (sign-out).
    func revoke(_ refreshToken: String, requestID: String) async throws {
        struct Body: Encodable { let refreshToken: String }
        try await self.client.send(.POST, service: Topology.portal, path: "/api/v1/token/revoke",
                                       body: try StreamingJSON.encode(Body(refreshToken: refreshToken)), requestID: requestID).succeeded()
    }

    // MARK: Staff accounts, as their administrator manages them (the portal decides who may)

    func staffAccounts(agency: String?, as token: String, requestID: String) async throws -> [AccountView] {
        try await self.client.send(.GET, service: Topology.portal, path: "/api/v1/staff/accounts" + (agency.map { "?agency=" + FormEncoding.encode($0) } ?? ""),
                                   requestID: requestID, authorization: "Bearer " + token).decode([AccountView].self)
    }

    func staffAccount(_ id: String, as token: String, requestID: String) async throws -> AccountView {
        try await self.client.send(.GET, service: Topology.portal, path: "/api/v1/staff/" + id.pathSegment, requestID: requestID,
                                   authorization: "Bearer " + token).decode(AccountView.self)
    }

    func createStaff(_ request: NewStaffRequest, as token: String, requestID: String) async throws -> AccountView {
        try await self.client.send(.POST, service: Topology.portal, path: "/api/v1/staff", body: try StreamingJSON.encode(request),
                                   requestID: requestID, authorization: "Bearer " + token).decode(AccountView.self)
    }

    func changeStaff(_ id: String, _ change: StaffChangeRequest, as token: String, requestID: String) async throws -> AccountView {
        try await self.client.send(.PATCH, service: Topology.portal, path: "/api/v1/staff/" + id.pathSegment, body: try StreamingJSON.encode(change),
                                   requestID: requestID, authorization: "Bearer " + token).decode(AccountView.self)
    }

    func setStaffPassword(_ id: String, _ password: String, as token: String, requestID: String) async throws {
        try await self.client.send(.POST, service: Topology.portal, path: "/api/v1/staff/\(id.pathSegment)/password",
                                   body: try StreamingJSON.encode(PasswordResetRequest(password: password)), requestID: requestID,
                                   authorization: "Bearer " + token).succeeded()
    }

    /// `disable` or `enable`.
    func setStaff(_ id: String, _ action: String, as token: String, requestID: String) async throws -> AccountView {
        try await self.client.send(.POST, service: Topology.portal, path: "/api/v1/staff/\(id.pathSegment)/\(action.pathSegment)", requestID: requestID,
                                   authorization: "Bearer " + token).decode(AccountView.self)
    }

    /// Changes to staff accounts by a person (the audit trail; admins).
    func audit(_ query: String, as token: String, requestID: String) async throws -> [AuditEntry] {
        try await self.client.send(.GET, service: Topology.portal, path: "/api/v1/audit?" + query, requestID: requestID,
                                   authorization: "Bearer " + token).decode([AuditEntry].self)
    }
}
