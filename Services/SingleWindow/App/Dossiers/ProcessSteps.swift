import Contracts
import DomainKit
import Foundation
import ServiceKit

/// How each action moves a dossier through its procedure's internal process (`DossierProcess`): received starts the
/// first step, starting to process and forward hand it to the next, send back returns it, the signed result takes it
/// to the last step, handing the result over ends it. Who may hand a step on is checked here: a leader's step by a
/// leader, an assigned dossier by the person it is assigned to (or a leader); a step done at another agency moves
/// the dossier there, and the step after it brings it home.
struct ProcessSteps: Sendable {
    let catalog: CatalogIndex
    let calendar: WorkingCalendar
    /// A person named to take a step must be on the staff of the agency that does it, with the step's role.
    let staff: StaffDirectory

    /// Moves `dossier.process` (and, for a step at another agency, `agencyCode` and the assignee) for an action that
    /// moves the status `from` → `to`; the history entry's detail, or nil. Call before the legal clock moves.
    func apply(_ request: DossierActionRequest, by identity: Identity, role: Role, from: DossierStatus, to: DossierStatus,
               dossier: inout StoredDossier, at now: Date, requestID: String) async throws -> String? {
        let days = dossier.processingDays
        if request.action == .receive {
            let steps = try await self.catalog.procedure(dossier.procedureCode)?.steps ?? []
            dossier.process = DossierProcess(steps: steps, homeAgency: dossier.agencyCode, at: now, processingDays: days, calendar: self.calendar)
            return nil
        }
        guard var process = try await self.process(of: dossier, at: now) else {
            if [.forward, .sendBack].contains(request.action) {
                throw Problem.conflict("The procedure \(dossier.procedureCode) has no internal process to move through; ask an administrator to set its steps.")
            }
            return nil
        }
        defer { dossier.process = process }
        if from.pausesClock, to == .processing, let pausedAt = dossier.clock.pausedAt {
            process.resume(pausedAt: pausedAt, resumedAt: now, calendar: self.calendar)
        }
        if let named = request.assignTo, [.startProcessing, .forward, .sendBack].contains(request.action) {
            let index = request.action == .sendBack ? process.current - 1 : process.current + 1
            if process.steps.indices.contains(index) {
                try await self.staff.check(named, isStaffOf: process.agency(of: index), role: process.steps[index].role == .leader ? .leader : nil,
                                           field: "assignTo", requestID: requestID)
            }
        }
        switch request.action {
        case .startProcessing, .forward:
            guard process.hasNext else {
                throw Self.conflict("This is the last step (\(process.step.title)); mark the result ready or hand it over instead.")
            }
            try Self.checkHandsOn(process, dossier: dossier, identity: identity, role: role, strict: request.action == .forward)
            let detail = self.describe(process, to: process.current + 1, now: now)
            try await self.hand(&process, to: process.current + 1, .forward, dossier: &dossier, identity: identity,
                                handedTo: request.assignTo ?? (request.action == .startProcessing && role == .officer ? identity.subject : nil),
                                reason: request.comment, at: now)
            return detail
        case .sendBack:
            guard process.hasPrevious else {
                throw Self.conflict("The dossier is at the first step (\(process.step.title)); there is no step to send it back to.")
            }
            try Self.checkHandsOn(process, dossier: dossier, identity: identity, role: role, strict: true)
            let previous = process.current - 1
            // Back to whoever did that step last, unless someone is named.
            let doer = process.log.last(where: { $0.step == previous })?.by
            let detail = self.describe(process, to: previous, now: now)
            try await self.hand(&process, to: previous, .back, dossier: &dossier, identity: identity, handedTo: request.assignTo ?? doer,
                                reason: request.comment, at: now)
            return detail
        case .markResultReady where process.current != process.steps.count - 1:
            // The result goes back to the counter that received the dossier, to be handed over.
            let last = process.steps.count - 1
            let counter = process.steps[last].role == .officer ? process.log.first { $0.step == 0 }?.by : nil
            try await self.hand(&process, to: last, .result, dossier: &dossier, identity: identity, handedTo: counter, reason: nil, at: now,
                                keepAssignee: counter == nil)
        case .deliver:
            process.finish(.done, by: identity.subject, at: now)
        case .stop, .withdraw, .refuse:
            process.finish(.ended, by: identity.subject, at: now)
        case .transfer:
            // The agency that takes it over carries the process on where it stands.
            if let agency = request.toAgency { process.homeAgency = agency }
        default:
            break
        }
        return nil
    }

    /// A result filed for signing: when the next step is a leader's at this agency, the dossier goes to it, handed to
    /// the leader who signs; the history detail, or nil when the process does not move.
    func submitForSigning(_ dossier: inout StoredDossier, to leader: String, by identity: Identity, at now: Date) -> String? {
        guard var process = dossier.process, !process.isFinished, process.hasNext else { return nil }
        let next = process.steps[process.current + 1]
        guard next.role == .leader, next.agencyCode == nil else { return nil }
        let detail = self.describe(process, to: process.current + 1, now: now)
        process.move(to: process.current + 1, .forward, by: identity.subject, handedTo: leader, reason: nil, at: now, calendar: self.calendar)
        dossier.process = process
        dossier.assignedTo = leader
        return detail
    }

    /// A result the leader would not sign (or let expire): a dossier at a leader's step goes back to the step before,
    /// to the officer who filed it, with the reason.
    func returnUnsigned(_ dossier: inout StoredDossier, to drafter: String, reason: String, by actor: String, at now: Date) {
        guard var process = dossier.process, !process.isFinished, process.hasPrevious, process.step.role == .leader else { return }
        process.move(to: process.current - 1, .back, by: actor, handedTo: drafter, reason: reason, at: now, calendar: self.calendar)
        dossier.process = process
        dossier.assignedTo = drafter
    }

    /// Which of the status table's actions the process allows now: forward while a step follows, send back while
    /// one came before, neither without a process or for someone who may not hand this step on.
    static func allowed(_ actions: [DossierAction], for dossier: StoredDossier, identity: Identity, role: Role) -> [DossierAction] {
        actions.filter { action in
            guard action == .forward || action == .sendBack else { return true }
            guard let process = dossier.process, !process.isFinished,
                  (try? Self.checkHandsOn(process, dossier: dossier, identity: identity, role: role, strict: true)) != nil else { return false }
            return action == .forward ? process.hasNext : process.hasPrevious
        }
    }

    /// The dossier's process, or one adopted from the catalog for a dossier received before processes were kept.
    func process(of dossier: StoredDossier, at now: Date) async throws -> DossierProcess? {
        if let process = dossier.process { return process }
        guard dossier.status != .submitted, let procedure = try await self.catalog.procedure(dossier.procedureCode) else { return nil }
        return DossierProcess(adopting: procedure.steps, homeAgency: dossier.agencyCode, status: dossier.status, at: now,
                              processingDays: dossier.processingDays, calendar: self.calendar)
    }

    private func hand(_ process: inout DossierProcess, to index: Int, _ move: DossierProcess.Move, dossier: inout StoredDossier, identity: Identity,
                      handedTo: String?, reason: String?, at now: Date, keepAssignee: Bool = false) async throws {
        let agency = process.agency(of: index)
        let elsewhere = agency != dossier.agencyCode
        if elsewhere {
            guard try await self.catalog.agency(agency) != nil else {
                throw Self.conflict("The step \(process.steps[index].title) is done at agency \(agency), which the catalog does not have; "
                                    + "ask an administrator to correct the procedure's process.")
            }
            dossier.agencyCode = agency
        }
        if !keepAssignee || elsewhere { dossier.assignedTo = handedTo }
        process.move(to: index, move, by: identity.subject, handedTo: handedTo, reason: reason, at: now, calendar: self.calendar)
    }

    /// "Bước 2 → 3: Lãnh đạo ký (đúng hạn)": the step done, where it went, and whether it kept its time.
    private func describe(_ process: DossierProcess, to index: Int, now: Date) -> String {
        let timing = process.isLate(at: now) ? "trễ hạn" : "đúng hạn"
        return "Bước \(process.current + 1) → \(index + 1): \(process.steps[index].title) (bước \(process.current + 1) \(timing))"
    }

    /// A leader's step is handed on by a leader; a dossier assigned to someone by that person or a leader.
    /// `strict` is off for starting to process, which any officer of the counter may do for the dossier received.
    static func checkHandsOn(_ process: DossierProcess, dossier: StoredDossier, identity: Identity, role: Role, strict: Bool) throws {
        guard role == .officer || role == .leader else { return }
        if process.step.role == .leader && role != .leader {
            throw Problem.forbidden("The step \(process.step.title) is a leader's; a leader of the agency hands it on.")
        }
        if strict, role == .officer, let assignee = dossier.assignedTo, assignee != identity.subject {
            throw Problem.forbidden("The dossier is assigned to \(assignee); they hand it on, or a leader assigns it to you.")
        }
    }

    private static func conflict(_ detail: String) -> Problem {
        var problem = Problem.conflict(detail)
        problem.type = "https://motcua.gov.vn/problems/action-not-allowed"
        return problem
    }
}
