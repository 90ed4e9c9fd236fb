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
    var result: DossierResult? = nil
    var handover: Handover? = nil
    /// A late dossier's apology and new appointment (form 04).
    var apology: Apology? = nil
    /// The name of `agencyCode`, for the public look-up.
    var agencyName: String? = nil
    /// The public timeline: each change of status, when it happened (`record`).
    var steps: [DossierLookup.Step]? = nil
}

/// Dossiers, their history, and the per-agency daily sequence behind their codes.
struct DossierRepository: Sendable {
    let database: Database

    /// The next number in an agency's daily sequence, taken inside the caller's transaction. An upsert holds the
    /// row's lock until commit, so replicas on one PostgreSQL never hand out the same number; a rolled-back intake
    /// gives its number back.
    func nextSequence(agency: String, day: LocalDate, in db: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let last: Int }
        let row = try await db.raw("""
            INSERT INTO dossier_sequences (agency_code, day, last) VALUES (\(bind: agency), \(bind: day.description), 1)
            ON CONFLICT (agency_code, day) DO UPDATE SET last = dossier_sequences.last + 1
            RETURNING last
            """).first(decoding: Row.self)
        guard let row else { throw Problem(.internalServerError, detail: "The dossier sequence did not answer.") }
        return row.last
    }

    func insert(_ dossier: StoredDossier, in db: any SQLDatabase) async throws {
        try await db.insert(into: "dossiers")
            .columns("id", "code", "procedure_code", "agency_code", "channel", "status", "applicant_phone", "submitted_by", "submitted_at",
                     "received_at", "due_at", "paused_at", "finished_at", "timeliness", "body", "version", "assigned_to", "public_view")
            .values(SQLBind(dossier.id), SQLBind(dossier.code), SQLBind(dossier.procedureCode), SQLBind(dossier.agencyCode),
                    SQLBind(dossier.channel.rawValue), SQLBind(dossier.status.rawValue), SQLBind(dossier.applicant.phone),
                    SQLBind(dossier.submittedBy), SQLBind(dossier.submittedAt.epochMilliseconds), SQLBind(dossier.clock.receivedAt?.epochMilliseconds),
                    SQLBind(dossier.clock.dueAt?.epochMilliseconds), SQLBind(dossier.clock.pausedAt?.epochMilliseconds),
                    SQLBind(dossier.clock.finishedAt?.epochMilliseconds), SQLBind(dossier.clock.timeliness?.rawValue),
                    SQLBind(try Self.body(dossier)), SQLBind(dossier.version), SQLBind(dossier.assignedTo), SQLBind(dossier.lookup.json.text))
            .run()
    }

    /// Writes a changed dossier if its stored version is still `expectedVersion`; false when someone changed it first.
    func update(_ dossier: StoredDossier, expectedVersion: Int, in db: any SQLDatabase) async throws -> Bool {
        struct Row: Decodable { let id: String }
        let updated = try await db.raw("""
            UPDATE dossiers SET agency_code = \(bind: dossier.agencyCode), status = \(bind: dossier.status.rawValue), received_at = \(bind: dossier.clock.receivedAt?.epochMilliseconds),
                due_at = \(bind: dossier.clock.dueAt?.epochMilliseconds), paused_at = \(bind: dossier.clock.pausedAt?.epochMilliseconds),
                finished_at = \(bind: dossier.clock.finishedAt?.epochMilliseconds), timeliness = \(bind: dossier.clock.timeliness?.rawValue),
                body = \(bind: try Self.body(dossier)), version = \(bind: dossier.version),
                assigned_to = \(bind: dossier.assignedTo), rating = \(bind: dossier.rating), public_view = \(bind: dossier.lookup.json.text)
            WHERE id = \(bind: dossier.id) AND version = \(bind: expectedVersion)
            RETURNING id
            """).all(decoding: Row.self)
        return !updated.isEmpty
    }

    func appendEvent(_ event: DossierEventView, dossierID: String, in db: any SQLDatabase) async throws {
        try await db.insert(into: "dossier_events").columns("id", "dossier_id", "at", "action", "body")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(dossierID), SQLBind(event.at.epochMilliseconds), SQLBind(event.action),
                    SQLBind(String(decoding: try JSONEncoder.motcua.encode(event), as: UTF8.self)))
            .run()
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
        struct Row: Decodable { let applicant_phone: String; let public_view: String? }
        return try await self.database.read { db in
            try await db.raw("SELECT applicant_phone, public_view FROM dossiers WHERE code = \(bind: code)").first(decoding: Row.self)
        }.map { ($0.applicant_phone, $0.public_view) }
    }

    func history(of dossierID: String) async throws -> [DossierEventView] {
        try await self.database.read { db in
            try await db.select().column("body").from("dossier_events").where("dossier_id", .equal, dossierID).orderBy("at").all(decoding: Body.self)
        }.map { try JSONDecoder.motcua.decode(DossierEventView.self, from: Data($0.body.utf8)) }
    }

    // MARK: Idempotency

    struct IdempotentRequest: Decodable { let request_hash: String; let dossier_id: String }

    func idempotent(subject: String, key: String, in db: any SQLDatabase) async throws -> IdempotentRequest? {
        try await db.select().columns("request_hash", "dossier_id").from("idempotency_keys")
            .where("subject", .equal, subject).where("key", .equal, key).first(decoding: IdempotentRequest.self)
    }

    func remember(subject: String, key: String, hash: String, dossierID: String, in db: any SQLDatabase) async throws {
        try await db.insert(into: "idempotency_keys").columns("subject", "key", "request_hash", "dossier_id", "created_at")
            .values(SQLBind(subject), SQLBind(key), SQLBind(hash), SQLBind(dossierID), SQLBind(Date().epochMilliseconds))
            .run()
    }

    private static func body(_ dossier: StoredDossier) throws -> String {
        String(decoding: try JSONEncoder.motcua.encode(dossier), as: UTF8.self)
    }
}
