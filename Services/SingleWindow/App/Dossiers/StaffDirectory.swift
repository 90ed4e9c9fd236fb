import Contracts
import DomainKit
import Foundation
import ServiceKit

/// Who is on an agency's staff, asked of the portal (which keeps the accounts) with single-window's service token and
/// kept a minute: a dossier is assigned or handed only to someone of the agency that does the step, and a result sent
/// for signing only to one of its leaders — whatever a page offered. `STAFF_CHECKS=off` trusts the caller (the test
/// harness, which runs single-window without a portal).
struct StaffDirectory: Sendable {
    let client: ServiceClient
    let enabled: Bool
    let kept = ExpiringCache<[StaffMember]>(lifetime: .seconds(60), capacity: 2_000)

    /// Throws 422 naming `field` when `subject` is not on `agency`'s staff (with `role`, when one is needed), 503 when
    /// the portal cannot say; nothing has changed in either case.
    func check(_ subject: String, isStaffOf agency: String, role: Role? = nil, field: String, requestID: String) async throws {
        guard self.enabled else { return }
        let staff = try await self.staff(of: agency, requestID: requestID)
        guard let member = staff.first(where: { $0.id == subject }) else {
            throw Problem.validation([FieldIssue(field: field, code: "assignee.not-staff", vi: "\(subject) không phải cán bộ của cơ quan \(agency).",
                                                 en: "\(subject) is not on the staff of agency \(agency).")])
        }
        if let role, !member.roles.contains(role) {
            throw Problem.validation([FieldIssue(field: field, code: "assignee.role", vi: "\(member.fullName) không có vai trò \(role.rawValue).",
                                                 en: "\(member.fullName) does not have the role \(role.rawValue).")])
        }
    }

    private func staff(of agency: String, requestID: String) async throws -> [StaffMember] {
        if let kept = self.kept.find(agency) { return kept }
        let staff: [StaffMember]
        do {
            staff = try await self.client.send(.GET, service: Topology.portal, path: "/api/v1/staff?agency=" + FormEncoding.encode(agency),
                                               requestID: requestID).decode([StaffMember].self)
        } catch {
            throw Problem.unavailable("The portal, which keeps the accounts, cannot say who is on the staff of \(agency) now; nothing changed. Try again shortly.")
        }
        self.kept.keep(agency, staff)
        return staff
    }
}
