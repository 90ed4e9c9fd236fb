import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Moves a dossier through its lifecycle: the DomainKit table decides what is allowed, this adds who (role and
/// agency), the version check that catches concurrent edits, the clock, the history and the event.
struct DossierActions: Sendable {
    let runtime: ServiceRuntime
    let dossiers: DossierRepository
    /// Procedures and agencies, from memory.
    let catalog: CatalogIndex
    let calendar: WorkingCalendar
    /// Who is on each agency's staff (the portal keeps the accounts), for the people dossiers are handed to.
    let staff: StaffDirectory
    /// The service's clock (tests move it).
    let now: @Sendable () -> Date

    var steps: ProcessSteps { ProcessSteps(catalog: self.catalog, calendar: self.calendar, staff: self.staff) }

    func act(_ request: DossierActionRequest, on id: String, by identity: Identity, requestID: String) async throws -> StoredDossier {
        try await self.runtime.database.transaction { db in
            try await self.act(request, on: id, by: identity, requestID: requestID, in: db)
        }
    }

    /// The same inside the caller's transaction (an event handler's inbox transaction).
    func act(_ request: DossierActionRequest, on id: String, by identity: Identity, requestID: String, in db: any SQLDatabase) async throws -> StoredDossier {
        guard var dossier = try await self.dossiers.find(id: id, in: db) else { throw Problem.notFound("There is no dossier with the id \(id).") }
        let role = try Self.actingRole(identity, for: dossier)
        let from = dossier.status
        let to: DossierStatus
        do {
            to = try DossierWorkflow.apply(request.action, to: from, by: role, received: dossier.clock.receivedAt != nil)
        } catch {
            switch error {
            case .notAllowedFrom:
                var problem = Problem.conflict(error.description)
                problem.type = "https://motcua.gov.vn/problems/action-not-allowed"
                throw problem
            case .roleNotAllowed: throw Problem.forbidden(error.description)
            }
        }
        let now = self.now()
        let issues = ActionDetails.problems(request, for: dossier, today: LocalDate(now))
        guard issues.isEmpty else { throw Problem.validation(issues) }
        if request.action == .transfer, let target = request.toAgency { try await self.checkTransfer(dossier, to: target) }
        guard dossier.version == request.expectedVersion else {
            throw Problem.conflict("The dossier changed since you opened it (version \(dossier.version), you had \(request.expectedVersion)); reload it and try again.")
        }
        var detail = ActionDetails.detail(request, from: dossier)
        ActionDetails.apply(request, to: &dossier, at: now)
        // The internal process moves before the clock, which forgets when a pause began.
        let stepDetail = try await self.steps.apply(request, by: identity, role: role, from: from, to: to, dossier: &dossier, at: now,
                                                    requestID: requestID)
        if let stepDetail { detail = detail.map { "\($0) — \(stepDetail)" } ?? stepDetail }
        dossier.status = to
        if to != from {
            dossier.clock = dossier.clock.moving(to: to, at: now, processingDays: dossier.processingDays, calendar: self.calendar)
        }
        if to == .processing && dossier.assignedTo == nil && role == .officer && ![.transfer, .forward, .sendBack].contains(request.action) {
            dossier.assignedTo = identity.subject
        }
        let eventType = request.action == .transfer ? EventType.dossierTransferred : DossierEvents.type(for: to)
        return try await self.save(dossier, expectedVersion: request.expectedVersion, event: DossierEventView(
            at: now, actor: identity.subject, role: role, agencyCode: identity.agency, action: request.action.rawValue,
            fromStatus: from, toStatus: to, comment: request.comment, detail: detail), eventType: eventType, from: from, requestID: requestID, in: db)
    }

    /// A transfer goes to an agency that exists and takes part in the procedure.
    private func checkTransfer(_ dossier: StoredDossier, to code: String) async throws {
        guard let agency = try await self.catalog.agency(code) else {
            throw Problem.validation([FieldIssue(field: "toAgency", code: "agency.unknown", vi: "Không có cơ quan mã \(code).",
                                                 en: "There is no agency with the code \(code).")])
        }
        guard let procedure = try await self.catalog.procedure(dossier.procedureCode),
              IntakeRules.takesPart(procedure, agency: agency, namedAgencyLevels: try await self.catalog.snapshot().namedLevels) else {
            throw Problem.validation([FieldIssue(field: "toAgency", code: "agency.wrong",
                                                 vi: "\(agency.name) không tham gia giải quyết thủ tục \(dossier.procedureName).",
                                                 en: "\(agency.name) takes no part in the procedure \(dossier.procedureName).")])
        }
    }

    /// A change that is not a status move (assignment, rating): `change` checks and edits the dossier read in the
    /// transaction and names the history entry; the version check and the history work as for actions.
    /// `announce`, when given, makes the event that leaves through the outbox with the change.
    func amend(
        _ id: String, by identity: Identity, expectedVersion: Int?, requestID: String,
        announce: (@Sendable (StoredDossier) throws -> EventEnvelope)? = nil,
        change: @Sendable (inout StoredDossier, Role) throws -> (action: String, comment: String?)
    ) async throws -> StoredDossier {
        try await self.runtime.database.transaction { db in
            guard var dossier = try await self.dossiers.find(id: id, in: db) else { throw Problem.notFound("There is no dossier with the id \(id).") }
            let role = try Self.actingRole(identity, for: dossier)
            let version = dossier.version
            if let expectedVersion, expectedVersion != version {
                throw Problem.conflict("The dossier changed since you opened it (version \(version), you had \(expectedVersion)); reload it and try again.")
            }
            let entry = try change(&dossier, role)
            let saved = try await self.save(dossier, expectedVersion: version, event: DossierEventView(
                at: self.now(), actor: identity.subject, role: role, agencyCode: identity.agency, action: entry.action, fromStatus: dossier.status,
                toStatus: dossier.status, comment: entry.comment), eventType: nil, from: nil, requestID: requestID, in: db)
            if let announce { try await self.runtime.outbox.enqueue(try announce(saved), in: db) }
            return saved
        }
    }

    /// Writes a change with its history entry and its outbox event, if nobody changed the dossier meanwhile; the
    /// dossier as written.
    @discardableResult
    func save(_ dossier: StoredDossier, expectedVersion: Int, event: DossierEventView, eventType: String?, from: DossierStatus?,
              requestID: String, in db: any SQLDatabase) async throws -> StoredDossier {
        var changed = dossier
        changed.version = expectedVersion + 1
        changed.record(event)
        if changed.agencyName == nil || event.action == DossierAction.transfer.rawValue {
            changed.agencyName = try await self.catalog.agency(changed.agencyCode)?.name
        }
        guard try await self.dossiers.update(changed, expectedVersion: expectedVersion, in: db) else {
            throw Problem.conflict("Someone else changed the dossier at the same moment; reload it and try again.")
        }
        try await self.dossiers.appendEvent(event, dossierID: changed.id, in: db)
        if let eventType {
            try await self.runtime.outbox.enqueue(try DossierEvents.envelope(eventType, changed, from: from, requestID: requestID), in: db)
        }
        return changed
    }

    /// The role the caller acts in on this dossier: its applicant as citizen, its agency's staff, admins, services.
    static func actingRole(_ identity: Identity, for dossier: StoredDossier) throws -> Role {
        if identity.has(.service) { return .service }
        if identity.has(.admin) { return .admin }
        if identity.has(.leader) || identity.has(.officer) {
            guard identity.agency == dossier.agencyCode else {
                throw Problem.forbidden("This dossier belongs to agency \(dossier.agencyCode); your account is for \(identity.agency ?? "no agency").")
            }
            return identity.has(.leader) ? .leader : .officer
        }
        if identity.has(.citizen), identity.subject == dossier.submittedBy { return .citizen }
        throw Problem.notFound("There is no dossier with the id \(dossier.id).")
    }
}
