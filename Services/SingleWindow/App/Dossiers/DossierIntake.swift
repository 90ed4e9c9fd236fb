import Contracts
import Crypto
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Takes a new dossier in from any channel: who may use which channel, the checks against the procedure, the code,
/// the legal clock, the history's first entry and the event — all in one transaction.
struct DossierIntake: Sendable {
    let runtime: ServiceRuntime
    let dossiers: DossierRepository
    /// Procedures and agencies, from memory.
    let catalog: CatalogIndex
    let calendar: WorkingCalendar
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
        guard let procedure = try await self.catalog.procedure(request.procedureCode) else {
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
        let missing = IntakeRules.missingDocuments(procedure, attachments: request.attachments)
        if !missing.isEmpty {
            issues.append(FieldIssue(field: "attachments", code: "documents.missing", vi: "Còn thiếu: \(missing.joined(separator: "; ")).",
                                     en: "Missing: \(missing.joined(separator: "; "))."))
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }

        // Only a keyed submission can be replayed, so only it needs the hash of its body.
        let keyed = try idempotencyKey.map { (key: $0, hash: try Self.hash(request)) }
        let now = self.now()
        let dossiers = self.dossiers
        let outbox = self.runtime.outbox
        let calendar = self.calendar
        return try await self.runtime.database.transaction { db in
            if let keyed, let earlier = try await dossiers.idempotent(subject: identity.subject, key: keyed.key, in: db) {
                guard earlier.request_hash == keyed.hash else {
                    throw Problem.conflict("This Idempotency-Key was used for a different submission; use a new key for a new dossier.")
                }
                guard let dossier = try await dossiers.find(id: earlier.dossier_id) else {
                    throw Problem(.internalServerError, detail: "An idempotency key points at a missing dossier.")
                }
                return (dossier, false, nil)
            }
            let day = LocalDate(now)
            let sequence = try await dossiers.nextSequence(agency: agency.code, day: day, in: db)
            let code: DossierCode
            do {
                code = try DossierCode(agencyCode: agency.code, day: day, sequence: sequence)
            } catch {
                throw Problem.unavailable("Agency \(agency.code) has taken 9,999 dossiers today; the daily sequence is full.")
            }
            // At the counter the officer receives the dossier on the spot; other channels wait for an officer.
            let status: DossierStatus = request.channel == .counter ? .received : .submitted
            var dossier = StoredDossier(
                id: UUID().uuidString.lowercased(), code: code.description, procedureCode: procedure.code, procedureName: procedure.name,
                processingDays: procedure.processingDays, agencyCode: agency.code, channel: request.channel, status: status, applicant: applicant, attachments: request.attachments,
                delivery: request.delivery, submittedBy: identity.subject, submittedAt: now, clock: DossierClock(), version: 1,
                assignedTo: request.channel == .counter ? identity.subject : nil, rating: nil, agencyName: agency.name
            )
            if status == .received {
                dossier.clock = dossier.clock.moving(to: .received, at: now, processingDays: procedure.processingDays, calendar: calendar)
            }
            let event = DossierEventView(at: now, actor: identity.subject, role: role, agencyCode: identity.agency, action: "submit",
                                         fromStatus: nil, toStatus: status, comment: request.channel.rawValue)
            dossier.record(event)
            try await dossiers.insert(dossier, in: db)
            try await dossiers.appendEvent(event, dossierID: dossier.id, in: db)
            if let keyed {
                try await dossiers.remember(subject: identity.subject, key: keyed.key, hash: keyed.hash, dossierID: dossier.id, in: db)
            }
            let type = status == .received ? EventType.dossierReceived : EventType.dossierSubmitted
            try await outbox.enqueue(try DossierEvents.envelope(type, dossier, from: nil, requestID: requestID), in: db)
            return (dossier, true, [event])
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

    /// Same key and same body replay; the hash is over the canonical JSON of the request.
    static func hash(_ request: SubmitDossierRequest) throws -> String {
        let data = try JSONEncoder.motcua.encode(request)
        return Digits.hex(SHA256.hash(data: data))
    }
}

/// The `dossier.*` events a change leaves through the outbox.
enum DossierEvents {
    static func envelope(_ type: String, _ dossier: StoredDossier, from: DossierStatus?, requestID: String) throws -> EventEnvelope {
        try EventEnvelope(type: type, source: Topology.singleWindow, requestId: requestID, payload: DossierEventPayload(
            dossierId: dossier.id, code: dossier.code, procedureCode: dossier.procedureCode, agencyCode: dossier.agencyCode, fromStatus: from,
            toStatus: dossier.status, applicantPhone: dossier.applicant.phone, applicantEmail: dossier.applicant.email, dueAt: dossier.clock.dueAt,
            result: dossier.status == .resultReady ? dossier.result : nil,
            supplementRequest: dossier.status == .supplementRequested ? dossier.supplementRequest : nil
        ))
    }

    /// The event type for a move into `status`.
    static func type(for status: DossierStatus) -> String {
        switch status {
        case .received: EventType.dossierReceived
        case .resultReady: EventType.dossierResultReady
        case .delivered: EventType.dossierDelivered
        default: EventType.dossierStatusChanged
        }
    }
}
