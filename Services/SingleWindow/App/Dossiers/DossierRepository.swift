import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// A dossier as stored: the columns that queries filter on, and the rest as JSON.
struct StoredDossier: Codable, Sendable {
    var id: String
    var code: String
    var procedureCode: String
    var procedureName: String
    /// The procedure's time limit when the dossier came in: a later change to the catalog does not move its deadline.
    var processingDays: Int
    /// The catalog version of the procedure it came in under, and the fees that version charged: a fee changed later
    /// charges new dossiers, not this one (nil for dossiers received before versions were kept: the catalog's fees).
    var procedureVersion: Int? = nil
    var fees: [Procedure.Fee]? = nil
    var agencyCode: String
    var channel: IntakeChannel
    var status: DossierStatus
    var applicant: Applicant
    var attachments: [Attachment]
    var delivery: SubmitDossierRequest.Delivery
    var submittedBy: String
    var submittedAt: Date
    var clock: DossierClock
    var version: Int
    /// The officer working on it, by account subject.
    var assignedTo: String?
    /// The applicant's satisfaction after delivery, 1 (very unhappy) to 5 (very satisfied).
    var rating: Int?
    /// The latest supplement request (form 02).
    var supplementRequest: SupplementRequirement? = nil
    /// How many times a supplement was asked for after the dossier was received (Decision 766 counts a second as late).
    var supplementRounds: Int? = nil
    var result: DossierResult? = nil
    /// A result filed and waiting for its leader's signature (documents holds the sign request).
    var resultDraft: ResultDraft? = nil
    var handover: Handover? = nil
    /// A late dossier's apology and new appointment (form 04).
    var apology: Apology? = nil
    /// Its way through the procedure's internal process (set when it is received).
    var process: DossierProcess? = nil
    /// The name of `agencyCode`, for the public look-up.
    var agencyName: String? = nil
    /// The public timeline: each change of status, when it happened (`record`).
    var steps: [DossierLookup.Step]? = nil
}

/// Dossiers, their history, and the per-agency daily sequence behind their codes.
struct DossierRepository: Sendable {
    let database: Database
    /// The public look-up's answers (the applicant's phone and the public view), kept a few seconds so a crowd
    /// refreshing the same codes is answered from memory; unknown codes are never kept. Off unless the application
    /// turns it on (`LOOKUP_CACHE_SECONDS`).
    var publicViews = ExpiringCache<PublicView>(lifetime: .zero)

    struct PublicView: Sendable { let phone: String; let view: String }

    /// An agency's daily sequence.
    struct SequenceKey: Hashable, Sendable {
        let agency: String
        let day: LocalDate
    }

    /// Takes `count` numbers from each agency's daily sequence inside the caller's transaction, in one statement;
    /// the last number taken for each. The upsert holds each row's lock until commit, so replicas on one PostgreSQL
    /// never hand out the same number (rows are taken in one order, so two batches never wait for each other in a
    /// circle); a rolled-back intake gives its numbers back.
    func nextSequences(_ wanted: [SequenceKey: Int], in db: any SQLDatabase) async throws -> [SequenceKey: Int] {
        struct Row: Decodable { let agency_code: String; let day: String; let last: Int }
        var insert = db.insert(into: "dossier_sequences").columns("agency_code", "day", "last")
        for (key, count) in wanted.sorted(by: { ($0.key.agency, $0.key.day) < ($1.key.agency, $1.key.day) }) {
            insert = insert.values(SQLBind(key.agency), SQLBind(key.day.description), SQLBind(count))
        }
        let rows = try await insert
            .onConflict(with: ["agency_code", "day"]) { $0.set("last", to: SQLRaw("dossier_sequences.last + excluded.last")) }
            .returning("agency_code", "day", "last").all(decoding: Row.self)
        var lasts: [SequenceKey: Int] = [:]
        for row in rows { if let day = LocalDate(iso: row.day) { lasts[SequenceKey(agency: row.agency_code, day: day)] = row.last } }
        guard lasts.count == wanted.count else { throw Problem(.internalServerError, detail: "The dossier sequence did not answer for every agency.") }
        return lasts
    }

    func insert(_ dossiers: [StoredDossier], in db: any SQLDatabase) async throws {
        guard !dossiers.isEmpty else { return }
        var insert = db.insert(into: "dossiers")
            .columns("id", "code", "procedure_code", "agency_code", "channel", "status", "applicant_phone", "submitted_by", "submitted_at",
                     "received_at", "due_at", "paused_at", "finished_at", "timeliness", "body", "version", "assigned_to", "public_view", "search_key",
                     "procedure_name", "applicant_name", "step_title", "step_due_at", "closed_at", "supplement_rounds", "digitised", "electronic_result")
        for dossier in dossiers {
            let columns = InboxColumns(dossier)
            let report = ReportColumns(dossier)
            insert = insert.values(
                SQLBind(dossier.id), SQLBind(dossier.code), SQLBind(dossier.procedureCode), SQLBind(dossier.agencyCode),
                SQLBind(dossier.channel.rawValue), SQLBind(dossier.status.rawValue), SQLBind(dossier.applicant.phone),
                SQLBind(dossier.submittedBy), SQLBind(dossier.submittedAt.epochMilliseconds), SQLBind(dossier.clock.receivedAt?.epochMilliseconds),
                SQLBind(dossier.clock.dueAt?.epochMilliseconds), SQLBind(dossier.clock.pausedAt?.epochMilliseconds),
                SQLBind(dossier.clock.finishedAt?.epochMilliseconds), SQLBind(dossier.clock.timeliness?.rawValue),
                SQLBind(try Self.body(dossier)), SQLBind(dossier.version), SQLBind(dossier.assignedTo), SQLBind(dossier.lookup.json.text),
                SQLBind(InboxQuery.searchKey(dossier)), SQLBind(columns.procedureName), SQLBind(columns.applicantName), SQLBind(columns.stepTitle),
                SQLBind(columns.stepDueAt), SQLBind(report.closedAt), SQLBind(report.supplementRounds), SQLBind(report.digitised),
                SQLBind(report.electronicResult))
        }
        try await insert.run()
    }

    /// Writes a changed dossier if its stored version is still `expectedVersion`; false when someone changed it first.
    func update(_ dossier: StoredDossier, expectedVersion: Int, in db: any SQLDatabase) async throws -> Bool {
        struct Row: Decodable { let id: String }
        // Forgotten before the write: a look-up racing the commit may keep the old answer, for the cache's few seconds.
        self.publicViews.forget(dossier.code)
        let columns = InboxColumns(dossier)
        let report = ReportColumns(dossier)
        let updated = try await db.raw("""
            UPDATE dossiers SET agency_code = \(bind: dossier.agencyCode), status = \(bind: dossier.status.rawValue), received_at = \(bind: dossier.clock.receivedAt?.epochMilliseconds),
                due_at = \(bind: dossier.clock.dueAt?.epochMilliseconds), paused_at = \(bind: dossier.clock.pausedAt?.epochMilliseconds),
                finished_at = \(bind: dossier.clock.finishedAt?.epochMilliseconds), timeliness = \(bind: dossier.clock.timeliness?.rawValue),
                body = \(bind: try Self.body(dossier)), version = \(bind: dossier.version),
                assigned_to = \(bind: dossier.assignedTo), rating = \(bind: dossier.rating), public_view = \(bind: dossier.lookup.json.text),
                applicant_name = \(bind: columns.applicantName), step_title = \(bind: columns.stepTitle), step_due_at = \(bind: columns.stepDueAt),
                closed_at = \(bind: report.closedAt), supplement_rounds = \(bind: report.supplementRounds), digitised = \(bind: report.digitised),
                electronic_result = \(bind: report.electronicResult)
            WHERE id = \(bind: dossier.id) AND version = \(bind: expectedVersion)
            RETURNING id
            """).all(decoding: Row.self)
        return !updated.isEmpty
    }

    /// A fee paid for the dossier, for the reports' `paid_online`: once paid through the gateway it stays online.
    func recordPayment(dossierID: String, online: Bool, in db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE dossiers SET paid_online = CASE WHEN paid_online = 1 THEN 1 ELSE \(bind: online ? 1 : 0) END WHERE id = \(bind: dossierID)
            """).run()
    }

    func appendEvent(_ event: DossierEventView, dossierID: String, in db: any SQLDatabase) async throws {
        try await self.appendEvents([(event, dossierID)], in: db)
    }

    /// History entries of several dossiers in one statement.
    func appendEvents(_ events: [(event: DossierEventView, dossierID: String)], in db: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        var insert = db.insert(into: "dossier_events").columns("id", "dossier_id", "at", "action", "body", "actor")
        for (event, dossierID) in events {
            insert = insert.values(SQLBind(TimeOrderedID.make(at: event.at)), SQLBind(dossierID), SQLBind(event.at.epochMilliseconds),
                                   SQLBind(event.action), SQLBind(String(decoding: try StreamingJSON.encode(event), as: UTF8.self)),
                                   SQLBind(event.actor))
        }
        try await insert.run()
    }

    private struct Body: Decodable { let body: String }

    func find(id: String) async throws -> StoredDossier? {
        try await self.one { $0.where("id", .equal, id) }
    }

    /// Reads through the caller's transaction, so the dossier cannot change before the caller writes.
    func find(id: String, in db: any SQLDatabase) async throws -> StoredDossier? {
        try await db.select().column("body").from("dossiers").where("id", .equal, id).first(decoding: Body.self)
            .map { try JSONDecoder.motcua.decode(StoredDossier.self, from: Data($0.body.utf8)) }
    }

    func find(code: String) async throws -> StoredDossier? {
        try await self.one { $0.where("code", .equal, code) }
    }

    private func one(_ filter: @escaping @Sendable (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> StoredDossier? {
        let row = try await self.database.read { db in
            try await filter(db.select().column("body").from("dossiers")).first(decoding: Body.self)
        }
        return try row.map { try JSONDecoder.motcua.decode(StoredDossier.self, from: Data($0.body.utf8)) }
    }

    /// The stored public view of the dossier with this code, and the applicant's phone to check the caller against.
    func publicView(code: String) async throws -> (phone: String, view: String?)? {
        if let kept = self.publicViews.find(code) { return (kept.phone, kept.view) }
        struct Row: Decodable { let applicant_phone: String; let public_view: String? }
        let found = try await self.database.read { db in
            try await db.raw("SELECT applicant_phone, public_view FROM dossiers WHERE code = \(bind: code)").first(decoding: Row.self)
        }
        if let found, let view = found.public_view { self.publicViews.keep(code, PublicView(phone: found.applicant_phone, view: view)) }
        return found.map { ($0.applicant_phone, $0.public_view) }
    }

    func history(of dossierID: String) async throws -> [DossierEventView] {
        try await self.database.read { db in
            try await db.select().column("body").from("dossier_events").where("dossier_id", .equal, dossierID).orderBy("at").all(decoding: Body.self)
        }.map { try JSONDecoder.motcua.decode(DossierEventView.self, from: Data($0.body.utf8)) }
    }

    // MARK: Idempotency

    struct IdempotentRequest: Decodable { let subject: String; let key: String; let request_hash: String; let dossier_id: String }

    /// The claims already made among these (subject, key) pairs, by `claimKey`.
    func idempotent(_ claims: [(subject: String, key: String)], in db: any SQLDatabase) async throws -> [String: IdempotentRequest] {
        guard !claims.isEmpty else { return [:] }
        let rows = try await db.select().columns("subject", "key", "request_hash", "dossier_id").from("idempotency_keys")
            .where { group in
                claims.reduce(group) { group, claim in group.orWhere { $0.where("subject", .equal, claim.subject).where("key", .equal, claim.key) } }
            }
            .all(decoding: IdempotentRequest.self)
        return Dictionary(rows.map { (Self.claimKey(subject: $0.subject, key: $0.key), $0) }, uniquingKeysWith: { first, _ in first })
    }

    func remember(_ claims: [(subject: String, key: String, hash: String, dossierID: String)], in db: any SQLDatabase) async throws {
        let now = Date().epochMilliseconds
        var insert = db.insert(into: "idempotency_keys").columns("subject", "key", "request_hash", "dossier_id", "created_at")
        for claim in claims {
            insert = insert.values(SQLBind(claim.subject), SQLBind(claim.key), SQLBind(claim.hash), SQLBind(claim.dossierID), SQLBind(now))
        }
        try await insert.run()
    }

    static func claimKey(subject: String, key: String) -> String { subject + "\u{0}" + key }

    static func body(_ dossier: StoredDossier) throws -> String {
        String(decoding: try StreamingJSON.encode(dossier), as: UTF8.self)
    }
}
