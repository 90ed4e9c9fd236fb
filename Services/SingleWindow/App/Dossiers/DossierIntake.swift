import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Takes a new dossier in from any channel: who may use which channel and the checks against the procedure here;
/// the code, the legal clock, the history's first entry and the event in one transaction (`IntakeBatcher`).
struct DossierIntake: Sendable {
    let runtime: ServiceRuntime
    let dossiers: DossierRepository
    /// Procedures and agencies, from memory.
    let catalog: CatalogIndex
    /// Writes intakes that arrive together in one transaction.
    let batcher: IntakeBatcher
    /// Checks the attached files and opens them to the agency.
    let documents: DocumentsLink
    let now: @Sendable () -> Date

    /// The dossier, whether it is new (false when an idempotency key replayed an earlier submission), and its
    /// history when new (one entry, known without reading it back).
    func submit(_ request: SubmitDossierRequest, by identity: Identity, idempotencyKey: String?, requestID: String) async throws
        -> (dossier: StoredDossier, created: Bool, history: [DossierEventView]?) {
        let role = try Self.role(for: request.channel, identity: identity, agency: request.agencyCode)
        let applicant: Applicant
        switch request.applicant.normalised() {
        case .success(let normalised): applicant = normalised
        case .failure(let problems): throw Problem.validation(problems.issues)
        }
        guard let (procedure, version) = try await self.catalog.published(request.procedureCode) else {
            throw Problem.validation([FieldIssue(field: "procedureCode", code: "procedure.unknown", vi: "Không có thủ tục mã \(request.procedureCode).",
                                                 en: "There is no procedure with the code \(request.procedureCode).")])
        }
        guard let agency = try await self.catalog.agency(request.agencyCode) else {
            throw Problem.validation([FieldIssue(field: "agencyCode", code: "agency.unknown", vi: "Không có cơ quan mã \(request.agencyCode).",
                                                 en: "There is no agency with the code \(request.agencyCode).")])
        }
        try await self.checkAgencyHandles(procedure, agency)
        var issues = IntakeRules.channelProblems(procedure, channel: request.channel, delivery: request.delivery.method,
                                                 deliveryAddress: request.delivery.address)
        issues += Self.decisionProblems(request, today: LocalDate(self.now()))
        let missing = IntakeRules.missingDocuments(procedure, attachments: request.attachments)
        // Asking for what is missing, or refusing, is the decision on an incomplete dossier.
        if !missing.isEmpty && (request.decision?.kind ?? .receive) == .receive {
            issues.append(FieldIssue(field: "attachments", code: "documents.missing", vi: "Còn thiếu: \(missing.joined(separator: "; ")).",
                                     en: "Missing: \(missing.joined(separator: "; "))."))
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        // The files are the submitter's own, and the receiving agency may read them from now on.
        try await self.documents.grant(request.attachments, to: agency.code, holder: identity, requestID: requestID)

        // Only a keyed submission can be replayed, so only it needs the hash of its body.
        let claim = try idempotencyKey.map { PreparedIntake.Claim(key: $0, hash: try Idempotency.hash(of: request)) }
        var prepared = PreparedIntake(request: request, applicant: applicant, procedure: procedure, agency: agency, identity: identity, role: role,
                                      claim: claim, requestID: requestID, at: self.now())
        prepared.procedureVersion = version
        switch try await self.batcher.write(prepared) {
        case .created(let dossier, let event):
            return (dossier, true, [event])
        case .replayed(let id):
            guard let dossier = try await self.dossiers.find(id: id) else {
                throw Problem(.internalServerError, detail: "An idempotency key points at a missing dossier.")
            }
            return (dossier, false, nil)
        }
    }

    /// A decision is the counter officer's; asking for a supplement or refusing needs what those actions need, each
    /// field named under `decision`.
    static func decisionProblems(_ request: SubmitDossierRequest, today: LocalDate) -> [FieldIssue] {
        guard let decision = request.decision, decision.kind != .receive else { return [] }
        guard request.channel == .counter || request.channel == .post else {
            return [FieldIssue(field: "decision", code: "decision.channel", vi: "Chỉ cán bộ tiếp nhận tại quầy hoặc qua bưu chính quyết định ngay khi nộp.",
                               en: "Only an intake at the counter or by post decides on the spot.")]
        }
        let action = DossierActionRequest(action: decision.kind == .refuse ? .refuse : .requestSupplement, expectedVersion: 0, comment: decision.reason,
                                          supplement: decision.supplement)
        return ActionDetails.reasonProblems(action, today: today).map { issue in
            issue.named("decision." + (issue.field == "comment" ? "reason" : issue.field))
        }
    }

    /// Which role acts for each channel, and who may use it.
    static func role(for channel: IntakeChannel, identity: Identity, agency: String) throws -> Role {
        switch channel {
        case .online:
            guard identity.has(.citizen) else { throw Problem.forbidden("Online submission is for signed-in citizens; officers use the counter channel.") }
            return .citizen
        case .counter, .post:
            guard identity.has(.officer) || identity.has(.leader) || identity.has(.admin) else {
                throw Problem.forbidden("Counter and postal intake are recorded by an officer of the receiving agency.")
            }
            if !identity.has(.admin) && identity.agency != agency {
                throw Problem.forbidden("This dossier is for agency \(agency); your account is for \(identity.agency ?? "no agency").")
            }
            return identity.has(.officer) ? .officer : identity.has(.leader) ? .leader : .admin
        case .nationalPortal:
            guard identity.has(.service) else { throw Problem.forbidden("Dossiers from the national portal arrive through its connector service.") }
            return .service
        }
    }

    private func checkAgencyHandles(_ procedure: Procedure, _ agency: Agency) async throws {
        guard IntakeRules.handles(procedure, agency: agency, namedAgencyLevels: try await self.catalog.snapshot().namedLevels) else {
            let right = procedure.agencyCodes.isEmpty
                ? "an agency at level \(procedure.levels.map(\.rawValue).joined(separator: " or "))"
                : procedure.agencyCodes.joined(separator: ", ")
            throw Problem.validation([FieldIssue(field: "agencyCode", code: "agency.wrong",
                                                 vi: "\(agency.name) không giải quyết thủ tục này; hãy nộp tại \(right).",
                                                 en: "\(agency.name) does not handle this procedure; submit it to \(right).")])
        }
    }
}

/// The `dossier.*` events a change leaves through the outbox.
enum DossierEvents {
    static func envelope(_ type: String, _ dossier: StoredDossier, from: DossierStatus?, requestID: String) throws -> EventEnvelope {
        var payload = DossierEventPayload(
            dossierId: dossier.id, code: dossier.code, procedureCode: dossier.procedureCode, agencyCode: dossier.agencyCode, fromStatus: from,
            toStatus: dossier.status, applicantPhone: dossier.applicant.phone, applicantEmail: dossier.applicant.email, dueAt: dossier.clock.dueAt,
            result: dossier.status == .resultReady ? dossier.result : nil,
            supplementRequest: dossier.status == .supplementRequested ? dossier.supplementRequest : nil,
            procedureName: dossier.procedureName, agencyName: dossier.agencyName,
            applicantAccount: dossier.channel == .online ? dossier.submittedBy : nil, assignedTo: dossier.assignedTo
        )
        if type == EventType.dossierTransferred {
            payload.fileIds = dossier.attachments.compactMap(\.fileId) + (dossier.resultDraft.map { [$0.fileId] } ?? [])
        }
        return try EventEnvelope(type: type, source: Topology.singleWindow, requestId: requestID, payload: payload)
    }

    /// The event type for a move into `status`.
    static func type(for status: DossierStatus) -> String {
        switch status {
        case .submitted: EventType.dossierSubmitted
        case .received: EventType.dossierReceived
        case .resultReady: EventType.dossierResultReady
        case .delivered: EventType.dossierDelivered
        default: EventType.dossierStatusChanged
        }
    }
}
