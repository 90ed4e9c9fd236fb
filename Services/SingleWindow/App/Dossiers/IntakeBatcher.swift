import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// A dossier checked against its procedure and ready to write: everything intake decides before the database.
struct PreparedIntake: Sendable {
    /// An `Idempotency-Key` and the hash of the body it was sent with.
    struct Claim: Sendable {
        let key: String
        let hash: String
    }

    let request: SubmitDossierRequest
    let applicant: Applicant
    let procedure: Procedure
    let agency: Agency
    let identity: Identity
    let role: Role
    let claim: Claim?
    let requestID: String
    let at: Date
    /// The catalog version `procedure` is, which the dossier keeps with its fees.
    var procedureVersion = 1

    /// Two submissions with the same key must not be written in one batch: the second must see the first.
    var claimID: String? { self.claim.map { self.identity.subject + "\u{0}" + $0.key } }
}

/// What writing a prepared intake did.
enum IntakeOutcome: Sendable {
    case created(StoredDossier, DossierEventView)
    /// The key was used before with the same body: the dossier then made.
    case replayed(dossierID: String)
}

/// Intakes that arrive together are written together (`WriteBatcher`): one transaction and one statement per table
/// for the whole batch (codes for every agency and day in one upsert, then the dossiers, their first history
/// entries, the keys and the events), instead of six statements for each dossier through the one writer. On
/// PostgreSQL two batches are written side by side, so one is being filled while the other commits (four made
/// smaller batches and cost the server more for no more dossiers a second on two cores): the codes' upsert takes its
/// rows in one order, so they cannot deadlock, and an agency's sequence row is held only until its batch commits.
typealias IntakeBatcher = WriteBatcher<PreparedIntake, IntakeOutcome>

extension WriteBatcher where Item == PreparedIntake, Output == IntakeOutcome {
    init(database: Database, dossiers: DossierRepository, outbox: Outbox, calendar: WorkingCalendar, maximum: Int = 64) {
        let writer = IntakeWriter(dossiers: dossiers, outbox: outbox, calendar: calendar)
        self.init(database: database, maximum: maximum, lanes: database.dialect == .postgres ? 2 : 1, conflictKey: { $0.claimID }, write: { try await writer.insert($0, in: $1) })
    }
}

/// The statements of an intake batch, inside the caller's transaction.
struct IntakeWriter: Sendable {
    let dossiers: DossierRepository
    let outbox: Outbox
    let calendar: WorkingCalendar

    func insert(_ intakes: [PreparedIntake], in db: any SQLDatabase) async throws -> [Result<IntakeOutcome, any Error>] {
        var results = [Result<IntakeOutcome, any Error>?](repeating: nil, count: intakes.count)
        // Keys seen before: the same body replays its dossier, another body is refused.
        let claimed = intakes.enumerated().compactMap { index, intake in intake.claim.map { (index, intake.identity.subject, $0) } }
        if !claimed.isEmpty {
            let earlier = try await self.dossiers.idempotent(claimed.map { ($0.1, $0.2.key) }, in: db)
            for (index, subject, claim) in claimed {
                guard let found = earlier[DossierRepository.claimKey(subject: subject, key: claim.key)] else { continue }
                results[index] = found.request_hash == claim.hash
                    ? .success(.replayed(dossierID: found.dossier_id))
                    : .failure(Problem.conflict("This Idempotency-Key was used for a different submission; use a new key for a new dossier."))
            }
        }
        let fresh = intakes.indices.filter { results[$0] == nil }
        guard !fresh.isEmpty else { return results.map { $0! } }

        // Codes: one number per dossier from each agency's daily sequence, taken for the whole batch at once.
        var wanted: [DossierRepository.SequenceKey: Int] = [:]
        for index in fresh { wanted[.init(agency: intakes[index].agency.code, day: LocalDate(intakes[index].at)), default: 0] += 1 }
        let lasts = try await self.dossiers.nextSequences(wanted, in: db)
        var next = wanted.reduce(into: [DossierRepository.SequenceKey: Int]()) { $0[$1.key] = lasts[$1.key]! - $1.value + 1 }

        var created: [(dossier: StoredDossier, event: DossierEventView, intake: PreparedIntake)] = []
        for index in fresh {
            let intake = intakes[index]
            let key = DossierRepository.SequenceKey(agency: intake.agency.code, day: LocalDate(intake.at))
            let sequence = next[key]!
            next[key] = sequence + 1
            let code: DossierCode
            do {
                code = try DossierCode(agencyCode: intake.agency.code, day: key.day, sequence: sequence)
            } catch {
                throw Problem.unavailable("Agency \(intake.agency.code) has taken 9,999 dossiers today; the daily sequence is full.")
            }
            let (dossier, event) = self.dossier(intake, code: code)
            created.append((dossier, event, intake))
            results[index] = .success(.created(dossier, event))
        }
        try await self.dossiers.insert(created.map(\.dossier), in: db)
        try await self.dossiers.appendEvents(created.map { ($0.event, $0.dossier.id) }, in: db)
        let remembered = created.compactMap { entry in entry.intake.claim.map { (entry.intake.identity.subject, $0.key, $0.hash, entry.dossier.id) } }
        if !remembered.isEmpty { try await self.dossiers.remember(remembered, in: db) }
        try await self.outbox.enqueue(try created.map { entry in
            try DossierEvents.envelope(DossierEvents.type(for: entry.dossier.status), entry.dossier, from: nil, requestID: entry.intake.requestID)
        }, in: db)
        return results.map { $0! }
    }

    /// The new dossier and its first history entry. At the counter the officer decides on the spot: received (the
    /// clock and the process start), a supplement asked for (nothing starts until it is complete), or refused; other
    /// channels wait for an officer, unless the postal intake's officer asks for a supplement or refuses at once.
    private func dossier(_ intake: PreparedIntake, code: DossierCode) -> (StoredDossier, DossierEventView) {
        let request = intake.request
        let decision = request.decision?.kind ?? .receive
        let status: DossierStatus = switch (request.channel, decision) {
        case (.counter, .receive): .received
        case (.counter, .requestSupplement), (.post, .requestSupplement): .supplementRequested
        case (.counter, .refuse), (.post, .refuse): .refused
        default: .submitted
        }
        var dossier = StoredDossier(
            id: TimeOrderedID.make(at: intake.at), code: code.description, procedureCode: intake.procedure.code, procedureName: intake.procedure.name,
            processingDays: intake.procedure.processingDays, agencyCode: intake.agency.code, channel: request.channel, status: status,
            applicant: intake.applicant, attachments: request.attachments, delivery: request.delivery, submittedBy: intake.identity.subject,
            submittedAt: intake.at, clock: DossierClock(), version: 1, assignedTo: request.channel == .counter ? intake.identity.subject : nil,
            rating: nil, agencyName: intake.agency.name
        )
        dossier.procedureVersion = intake.procedureVersion
        dossier.fees = intake.procedure.fees
        if status == .received {
            dossier.clock = dossier.clock.moving(to: .received, at: intake.at, processingDays: intake.procedure.processingDays, calendar: self.calendar)
            dossier.process = DossierProcess(steps: intake.procedure.steps, homeAgency: intake.agency.code, at: intake.at,
                                             processingDays: intake.procedure.processingDays, calendar: self.calendar)
        }
        var event = DossierEventView(at: intake.at, actor: intake.identity.subject, role: intake.role, agencyCode: intake.identity.agency,
                                     action: "submit", fromStatus: nil, toStatus: status, comment: request.channel.rawValue)
        switch status {
        case .supplementRequested:
            dossier.supplementRequest = request.decision?.supplement
            event.action = DossierAction.requestSupplement.rawValue
            event.comment = request.decision?.reason
            event.detail = ActionDetails.detail(DossierActionRequest(action: .requestSupplement, expectedVersion: 0, supplement: dossier.supplementRequest),
                                                from: dossier)
        case .refused:
            dossier.clock.finishedAt = intake.at
            event.action = DossierAction.refuse.rawValue
            event.comment = request.decision?.reason
        default:
            break
        }
        dossier.record(event)
        return (dossier, event)
    }
}
