import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Outgoing and incoming registers: documents with their per-agency, per-year numbers, and dispatches with the
/// recipients' own numbers. Attached files are shared with every recipient agency (`file_grants`).
struct OfficialDocumentRepository: Sendable {
    let database: Database

    private struct DocumentRow: Decodable { let body: String }
    private struct DispatchRow: Decodable {
        let id: String, document_id: String, recipient: String, received_number: Int, received_at: Int64, acknowledged_at: Int64?
        let acknowledged_by: String?, assigned_to: String?, reply_id: String?, reminded_at: Int64?
    }

    private static let dispatchColumns = ["id", "document_id", "recipient", "received_number", "received_at", "acknowledged_at", "acknowledged_by",
                                          "assigned_to", "reply_id", "reminded_at"]

    /// The next number of an agency's register (`outgoing` or `incoming`) in a year.
    static func next(_ kind: String, agency: String, year: Int, in db: any SQLDatabase) async throws -> Int {
        struct Last: Decodable { let last: Int }
        return try await db.raw("""
            INSERT INTO register_sequences (agency, year, kind, last) VALUES (\(bind: agency), \(bind: year), \(bind: kind), 1)
            ON CONFLICT (agency, year, kind) DO UPDATE SET last = register_sequences.last + 1
            RETURNING last
            """).first(decoding: Last.self)?.last ?? 1
    }

    /// What a new document in the outgoing register is made of, numbered at once or from a signed draft.
    struct Issue: Sendable {
        var id: String
        var agency: String
        var type: String
        var excerpt: String
        var symbol: String
        var signer: String
        var issuedOn: LocalDate
        var urgency: OfficialDocument.Urgency
        var confidentiality: OfficialDocument.Confidentiality
        var fileIds: [String]
        var replyTo: String?
        var createdBy: String
        var createdAt: Date
        var plannedRecipients: [String]?
    }

    /// Gives the document the next number of its agency's outgoing register for the year and writes it; a reply is
    /// linked to the dispatch it answers, which must be one the agency received (422 otherwise).
    func issue(_ issue: Issue, in db: any SQLDatabase) async throws -> OfficialDocument {
        if let reply = issue.replyTo {
            guard let dispatch = try await self.dispatch(reply, in: db), dispatch.recipient == issue.agency else {
                throw Problem.validation([FieldIssue(field: "replyTo", code: "dispatch.unknown", vi: "Không có văn bản đến \(reply).",
                                                     en: "Your agency received no dispatch \(reply) to answer.")])
            }
        }
        let number = try await Self.next("outgoing", agency: issue.agency, year: issue.issuedOn.year, in: db)
        let document = OfficialDocument(
            id: issue.id, agency: issue.agency, number: number, symbol: "\(number)/\(issue.symbol)", type: issue.type, excerpt: issue.excerpt,
            signer: issue.signer, issuedOn: issue.issuedOn, urgency: issue.urgency, confidentiality: issue.confidentiality, fileIds: issue.fileIds,
            replyTo: issue.replyTo, createdBy: issue.createdBy, createdAt: issue.createdAt, dispatches: [], plannedRecipients: issue.plannedRecipients)
        try await self.insert(document, in: db)
        if let reply = issue.replyTo {
            try await db.update("dispatches").set("reply_id", to: SQLBind(document.id)).where("id", .equal, reply).run()
        }
        return document
    }

    // MARK: Drafts

    struct StoredDraft: Codable, Sendable {
        var id: String
        var agency: String
        var draft: NewOfficialDraft
        var signRequestId: String
        var createdBy: String
        var createdAt: Date
    }

    func insert(_ draft: StoredDraft, in db: any SQLDatabase) async throws {
        try await db.insert(into: "official_drafts").columns("id", "agency", "sign_request_id", "created_at", "body")
            .values(SQLBind(draft.id), SQLBind(draft.agency), SQLBind(draft.signRequestId), SQLBind(draft.createdAt.epochMilliseconds),
                    SQLBind(String(decoding: try StreamingJSON.encode(draft), as: UTF8.self)))
            .run()
    }

    func draft(_ id: String, in db: any SQLDatabase) async throws -> StoredDraft? {
        try await db.select().column("body").from("official_drafts").where("id", .equal, id).first(decoding: DocumentRow.self)
            .map { try JSONDecoder.motcua.decode(StoredDraft.self, from: Data($0.body.utf8)) }
    }

    func drafts(agency: String) async throws -> [StoredDraft] {
        try await self.database.read { db in
            try await db.select().column("body").from("official_drafts").where("agency", .equal, agency).orderBy("created_at", .descending).limit(200)
                .all(decoding: DocumentRow.self).map { try JSONDecoder.motcua.decode(StoredDraft.self, from: Data($0.body.utf8)) }
        }
    }

    func deleteDraft(_ id: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "official_drafts").where("id", .equal, id).run()
    }

    func insert(_ document: OfficialDocument, in db: any SQLDatabase) async throws {
        var stored = document
        stored.dispatches = []
        try await db.insert(into: "official_documents")
            .columns("id", "agency", "year", "number", "symbol", "excerpt_key", "issued_on", "created_at", "body")
            .values(SQLBind(document.id), SQLBind(document.agency), SQLBind(document.issuedOn.year), SQLBind(document.number), SQLBind(document.symbol),
                    SQLBind(VietnameseText.searchKey(document.excerpt + " " + document.symbol + " " + document.type)),
                    SQLBind(document.issuedOn.description), SQLBind(document.createdAt.epochMilliseconds),
                    SQLBind(String(decoding: try StreamingJSON.encode(stored), as: UTF8.self)))
            .run()
    }

    func find(_ id: String) async throws -> OfficialDocument? {
        try await self.database.read { try await self.find(id, in: $0) }
    }

    func find(_ id: String, in db: any SQLDatabase) async throws -> OfficialDocument? {
        guard let row = try await db.select().column("body").from("official_documents").where("id", .equal, id).first(decoding: DocumentRow.self)
        else { return nil }
        var document = try JSONDecoder.motcua.decode(OfficialDocument.self, from: Data(row.body.utf8))
        document.dispatches = try await db.select().columns(Self.dispatchColumns).from("dispatches").where("document_id", .equal, id)
            .orderBy("recipient").all(decoding: DispatchRow.self).map(Self.dispatch)
        return document
    }

    /// Puts the document into each recipient's incoming register (its own number) and lets them read its files.
    func dispatch(_ document: OfficialDocument, to recipients: [String], at now: Date, in db: any SQLDatabase) async throws -> [OfficialDocument.Dispatch] {
        var dispatches: [OfficialDocument.Dispatch] = []
        for recipient in recipients {
            let number = try await Self.next("incoming", agency: recipient, year: LocalDate(now).year, in: db)
            let dispatch = OfficialDocument.Dispatch(id: UUID().uuidString.lowercased(), recipient: recipient, receivedNumber: number, receivedAt: now,
                                                     acknowledgedAt: nil, acknowledgedBy: nil, assignedTo: nil, replyId: nil)
            try await db.insert(into: "dispatches")
                .columns("id", "document_id", "recipient", "year", "received_number", "received_at")
                .values(SQLBind(dispatch.id), SQLBind(document.id), SQLBind(recipient), SQLBind(LocalDate(now).year), SQLBind(number),
                        SQLBind(now.epochMilliseconds))
                .run()
            try await FileRepository.grant(document.fileIds, to: recipient, in: db)
            dispatches.append(dispatch)
        }
        return dispatches
    }

    func dispatch(_ id: String, in db: any SQLDatabase) async throws -> OfficialDocument.Dispatch? {
        try await db.select().columns(Self.dispatchColumns).from("dispatches").where("id", .equal, id).first(decoding: DispatchRow.self).map(Self.dispatch)
    }

    func documentID(ofDispatch id: String, in db: any SQLDatabase) async throws -> String? {
        try await db.select().columns(Self.dispatchColumns).from("dispatches").where("id", .equal, id).first(decoding: DispatchRow.self)?.document_id
    }

    /// The outgoing register of an agency, or its incoming one, newest first: by number, by words of the excerpt or
    /// symbol (without diacritics), by the other agency, by the issue date.
    func register(incoming: Bool, agency: String, number: Int?, query: String?, other: String?, from: LocalDate?, to: LocalDate?, limit: Int)
        async throws -> [OfficialDocument] {
        let ids: [String] = try await self.database.read { db in
            struct Identifier: Decodable { let id: String }
            var select = db.select().distinct().column(SQLColumn("id", table: "d")).column(SQLColumn("created_at", table: "d"))
                .from(SQLAlias(SQLIdentifier("official_documents"), as: SQLIdentifier("d")))
            if incoming || other != nil {
                select = select.join(SQLAlias(SQLIdentifier("dispatches"), as: SQLIdentifier("x")), method: SQLJoinMethod.inner,
                                     on: SQLColumn("document_id", table: "x"), .equal, SQLColumn("id", table: "d"))
            }
            if incoming {
                select = select.where(SQLColumn("recipient", table: "x"), .equal, SQLBind(agency))
                if let number { select = select.where(SQLColumn("received_number", table: "x"), .equal, SQLBind(number)) }
                if let other { select = select.where(SQLColumn("agency", table: "d"), .equal, SQLBind(other)) }
            } else {
                select = select.where(SQLColumn("agency", table: "d"), .equal, SQLBind(agency))
                if let number { select = select.where(SQLColumn("number", table: "d"), .equal, SQLBind(number)) }
                if let other { select = select.where(SQLColumn("recipient", table: "x"), .equal, SQLBind(other)) }
            }
            for word in VietnameseText.searchKey(query ?? "").split(separator: " ") {
                select = select.where(SQLColumn("excerpt_key", table: "d"), .like, SQLBind("%\(word)%"))
            }
            if let from { select = select.where(SQLColumn("issued_on", table: "d"), .greaterThanOrEqual, SQLBind(from.description)) }
            if let to { select = select.where(SQLColumn("issued_on", table: "d"), .lessThanOrEqual, SQLBind(to.description)) }
            return try await select.orderBy(SQLOrderBy(expression: SQLColumn("created_at", table: "d"), direction: SQLDirection.descending)).limit(limit).all(decoding: Identifier.self).map(\.id)
        }
        var documents: [OfficialDocument] = []
        for id in ids { if let document = try await self.find(id) { documents.append(document) } }
        return documents
    }

    private static func dispatch(_ row: DispatchRow) -> OfficialDocument.Dispatch {
        OfficialDocument.Dispatch(id: row.id, recipient: row.recipient, receivedNumber: row.received_number,
                                  receivedAt: Date(epochMilliseconds: row.received_at), acknowledgedAt: row.acknowledged_at.map(Date.init(epochMilliseconds:)),
                                  acknowledgedBy: row.acknowledged_by, assignedTo: row.assigned_to, replyId: row.reply_id,
                                  remindedAt: row.reminded_at.map(Date.init(epochMilliseconds:)))
    }
}
