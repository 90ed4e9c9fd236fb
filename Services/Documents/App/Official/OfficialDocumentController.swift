import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import SQLKit

/// Official documents between agencies: issued into the outgoing register with a number and symbol, signed (a
/// signature on the main file), dispatched to agencies at any level — each recipient's incoming register gives it
/// its own number — then acknowledged, assigned and answered by the recipients, while the sender sees each one's
/// delivery and acknowledgement. Dispatches and acknowledgements leave through the outbox.
struct OfficialDocumentController {
    let documents: OfficialDocumentRepository
    let files: FileController
    let signatures: SignatureStore
    let runtime: ServiceRuntime
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/official-documents", use: self.create)
        router.get("/v1/official-documents/:id", use: self.show)
        router.post("/v1/official-documents/:id/dispatch", use: self.dispatch)
        router.post("/v1/official-documents/:id/remind", use: self.remind)
        router.post("/v1/dispatches/:id/acknowledge", use: self.acknowledge)
        router.post("/v1/dispatches/:id/assign", use: self.assign)
        router.get("/v1/registers/outgoing", use: self.outgoing)
        router.get("/v1/registers/incoming", use: self.incoming)
        openAPI.add("POST", "/v1/official-documents", summary: "Staff: issue an official document of their agency into its outgoing register "
                    + "{type, excerpt, symbol, signer, issuedOn?, urgency?, confidentiality?, fileIds, replyTo? (a dispatch it answers)}",
                    tag: "official-documents", responses: [201: ("Numbered", Schema.anyObject), 422: ("Missing fields, files not yours", nil)], token: true)
        openAPI.add("GET", "/v1/official-documents/:id", summary: "A document with each recipient's delivery, acknowledgement and reply (its "
                    + "agency and its recipients)", tag: "official-documents", responses: [200: ("The document", Schema.anyObject), 404: ("Not found", nil)],
                    token: true)
        openAPI.add("POST", "/v1/official-documents/:id/dispatch", summary: "Send it to agencies {recipients}; its main file must be signed. "
                    + "Each recipient's incoming register gives it a number; the files become readable there", tag: "official-documents",
                    responses: [200: ("Dispatched", Schema.anyObject), 409: ("Not signed yet", nil), 422: ("No recipients", nil)], token: true)
        openAPI.add("POST", "/v1/official-documents/:id/remind", summary: "The sender reminds every recipient that has not acknowledged it yet "
                    + "(each gets the document's e-mail again)", tag: "official-documents",
                    responses: [200: ("Reminded", Schema.anyObject), 404: ("Not your agency's", nil), 409: ("Every recipient has acknowledged", nil)],
                    token: true)
        openAPI.add("POST", "/v1/dispatches/:id/acknowledge", summary: "The recipient agency's staff acknowledge receipt", tag: "official-documents",
                    responses: [200: ("Acknowledged", Schema.anyObject), 409: ("Acknowledged before", nil)], token: true)
        openAPI.add("POST", "/v1/dispatches/:id/assign", summary: "The recipient agency assigns it to an officer {officer}", tag: "official-documents",
                    responses: [200: ("Assigned", Schema.anyObject)], token: true)
        openAPI.add("GET", "/v1/registers/outgoing", summary: "The caller agency's outgoing register: ?number=, ?q= (excerpt or symbol, without "
                    + "diacritics), ?agency= (a recipient), ?from=&to= (issue dates)", tag: "official-documents",
                    responses: [200: ("Documents, newest first", Schema.anyObject)], token: true)
        openAPI.add("GET", "/v1/registers/incoming", summary: "The caller agency's incoming register, searched the same way (?agency= the sender)",
                    tag: "official-documents", responses: [200: ("Entries, newest first", Schema.anyObject)], token: true)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        guard let agency = identity.agency else { throw Problem.forbidden("Only staff of an agency issue its documents.") }
        let asked = try await request.decodeJSON(as: NewOfficialDocument.self)
        var issues: [FieldIssue] = []
        for (field, value) in [("type", asked.type), ("excerpt", asked.excerpt), ("symbol", asked.symbol), ("signer", asked.signer)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: field, code: "required", vi: "Cần \(field).", en: "\(field) is required."))
        }
        if asked.fileIds.isEmpty {
            issues.append(FieldIssue(field: "fileIds", code: "required", vi: "Cần tệp văn bản.", en: "Attach the document's file (the first is the main one)."))
        }
        for id in asked.fileIds where (try? await self.files.readable(id, by: identity)) == nil {
            issues.append(FieldIssue(field: "fileIds", code: "file.unknown", vi: "Không có tệp \(id).", en: "There is no file \(id) you may attach."))
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let now = self.now()
        let issuedOn = asked.issuedOn ?? LocalDate(now)
        let issue = OfficialDocumentRepository.Issue(
            id: UUID().uuidString.lowercased(), agency: agency, type: asked.type, excerpt: asked.excerpt, symbol: asked.symbol, signer: asked.signer,
            issuedOn: issuedOn, urgency: asked.urgency ?? .normal, confidentiality: asked.confidentiality ?? .normal, fileIds: asked.fileIds,
            replyTo: asked.replyTo, createdBy: identity.subject, createdAt: now)
        let document = try await self.runtime.database.transaction { db in try await self.documents.issue(issue, in: db) }
        return try Response.json(document, status: .created)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try Response.json(try await self.visible(try context.parameters.require("id"), to: try context.requireIdentity()), status: .ok)
    }

    @Sendable func dispatch(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        struct Asked: Decodable { var recipients: [String] }
        let asked = try await request.decodeJSON(as: Asked.self)
        let recipients = Array(Set(asked.recipients.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        guard !recipients.isEmpty else {
            throw Problem.validation([FieldIssue(field: "recipients", code: "required", vi: "Cần cơ quan nhận.", en: "Name at least one recipient agency.")])
        }
        let id = try context.parameters.require("id")
        guard let document = try await self.documents.find(id), document.agency == identity.agency else {
            throw Problem.notFound("Your agency has no official document \(id).")
        }
        guard let main = document.fileIds.first, !(try await self.signatures.list(main)).isEmpty else {
            throw Problem.conflict("Document \(document.symbol) is not signed: sign its main file before sending it.")
        }
        let already = Set(document.dispatches.map(\.recipient))
        let fresh = recipients.filter { !already.contains($0) }
        let now = self.now()
        try await self.runtime.database.transaction { db in
            let dispatches = try await self.documents.dispatch(document, to: fresh, at: now, in: db)
            try await self.runtime.outbox.enqueue(try dispatches.map { dispatch in
                try EventEnvelope(type: EventType.documentDispatched, source: self.runtime.settings.name, requestId: context.requestID,
                                  payload: DispatchEvent(documentId: document.id, dispatchId: dispatch.id, symbol: document.symbol, excerpt: document.excerpt,
                                                         sender: document.agency, recipient: dispatch.recipient, receivedNumber: dispatch.receivedNumber))
            }, in: db)
        }
        return try Response.json(try await self.documents.find(id)!, status: .ok)
    }

    @Sendable func remind(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        let id = try context.parameters.require("id")
        guard let document = try await self.documents.find(id), document.agency == identity.agency else {
            throw Problem.notFound("Your agency has no official document \(id).")
        }
        let late = document.dispatches.filter { $0.acknowledgedAt == nil }
        guard !late.isEmpty else { throw Problem.conflict("Every recipient of \(document.symbol) has acknowledged it; nobody is left to remind.") }
        let now = self.now()
        try await self.runtime.database.transaction { db in
            try await db.update("dispatches").set("reminded_at", to: SQLBind(now.epochMilliseconds)).where("id", .in, late.map(\.id)).run()
            try await self.runtime.outbox.enqueue(try late.map { dispatch in
                try EventEnvelope(type: EventType.documentDispatched, source: self.runtime.settings.name, requestId: context.requestID,
                                  payload: DispatchEvent(documentId: document.id, dispatchId: dispatch.id, symbol: document.symbol, excerpt: document.excerpt,
                                                         sender: document.agency, recipient: dispatch.recipient, receivedNumber: dispatch.receivedNumber))
            }, in: db)
        }
        return try Response.json(try await self.documents.find(id)!, status: .ok)
    }

    @Sendable func acknowledge(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        let id = try context.parameters.require("id")
        let now = self.now()
        let documentID = try await self.runtime.database.transaction { db -> String in
            guard let dispatch = try await self.documents.dispatch(id, in: db), dispatch.recipient == identity.agency,
                  let documentID = try await self.documents.documentID(ofDispatch: id, in: db) else {
                throw Problem.notFound("Your agency received no dispatch \(id).")
            }
            guard dispatch.acknowledgedAt == nil else { throw Problem.conflict("This dispatch was acknowledged before.") }
            try await db.update("dispatches").set("acknowledged_at", to: SQLBind(now.epochMilliseconds))
                .set("acknowledged_by", to: SQLBind(identity.subject)).where("id", .equal, id).run()
            try await self.runtime.outbox.enqueue(try EventEnvelope(
                type: EventType.documentAcknowledged, source: self.runtime.settings.name, requestId: context.requestID,
                payload: DispatchEvent(documentId: documentID, dispatchId: id, symbol: nil, excerpt: nil, sender: nil, recipient: dispatch.recipient,
                                       receivedNumber: dispatch.receivedNumber)), in: db)
            return documentID
        }
        return try Response.json(try await self.documents.find(documentID)!, status: .ok)
    }

    @Sendable func assign(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        struct Asked: Decodable { var officer: String }
        let asked = try await request.decodeJSON(as: Asked.self)
        let id = try context.parameters.require("id")
        let documentID = try await self.runtime.database.transaction { db -> String in
            guard let dispatch = try await self.documents.dispatch(id, in: db), dispatch.recipient == identity.agency,
                  let documentID = try await self.documents.documentID(ofDispatch: id, in: db) else {
                throw Problem.notFound("Your agency received no dispatch \(id).")
            }
            try await db.update("dispatches").set("assigned_to", to: SQLBind(asked.officer)).where("id", .equal, id).run()
            return documentID
        }
        return try Response.json(try await self.documents.find(documentID)!, status: .ok)
    }

    @Sendable func outgoing(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try Response.json(try await self.search(request, context: context, incoming: false), status: .ok)
    }

    @Sendable func incoming(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        let documents = try await self.search(request, context: context, incoming: true)
        let entries = documents.compactMap { document in
            document.dispatches.first { $0.recipient == identity.agency }.map { IncomingEntry(dispatch: $0, document: document) }
        }
        return try Response.json(entries, status: .ok)
    }

    // MARK: Helpers

    private func search(_ request: Request, context: ServiceRequestContext, incoming: Bool) async throws -> [OfficialDocument] {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        guard let agency = identity.agency else { throw Problem.forbidden("Registers belong to an agency; your account has none.") }
        let number = try request.query("number").map { text in
            guard let number = Int(text) else { throw Problem.badRequest("number must be a whole number.") }
            return number
        }
        return try await self.documents.register(incoming: incoming, agency: agency, number: number, query: request.query("q"),
                                                 other: request.query("agency"), from: try request.dateQuery("from"), to: try request.dateQuery("to"),
                                                 limit: try request.integerQuery("limit", default: 50, range: 1...500))
    }

    /// The document when the caller's agency issued or received it.
    private func visible(_ id: String, to identity: Identity) async throws -> OfficialDocument {
        guard let document = try await self.documents.find(id),
              identity.has(.admin) || document.agency == identity.agency || document.dispatches.contains(where: { $0.recipient == identity.agency })
        else { throw Problem.notFound("There is no official document \(id) for your agency.") }
        return document
    }
}
