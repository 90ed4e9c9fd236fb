import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// An outgoing document's way to the register: an officer composes it (the files, the recipients, the leader who
/// signs) and it goes to the leader as a sign request (their desk, approvable from a phone with the authenticator's
/// code); once the main file is signed, the clerk numbers it in the agency's outgoing register and dispatches it to
/// the recipients it was drafted for.
struct OfficialDraftController {
    let documents: OfficialDocumentRepository
    let files: FileController
    let signatures: SignatureStore
    let requests: SignRequestStore
    let runtime: ServiceRuntime
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/official-documents/drafts", use: self.create)
        router.get("/v1/official-documents/drafts", use: self.list)
        router.get("/v1/official-documents/drafts/:id", use: self.show)
        router.post("/v1/official-documents/drafts/:id/number", use: self.number)
        openAPI.add("POST", "/v1/official-documents/drafts", summary: "Staff compose an outgoing document {type, excerpt, symbol, signer (as "
                    + "printed), leader (the account that signs), urgency?, confidentiality?, fileIds (the first is signed), recipients, replyTo?}: "
                    + "the leader gets a sign request for its main file", tag: "official-documents",
                    responses: [201: ("The draft, awaiting its signature", Schema.anyObject), 422: ("Missing fields, files not yours", nil)], token: true)
        openAPI.add("GET", "/v1/official-documents/drafts", summary: "The caller agency's drafts with their state: awaitingSignature, signed, declined",
                    tag: "official-documents", responses: [200: ("Drafts, newest first", Schema.anyObject)], token: true)
        openAPI.add("GET", "/v1/official-documents/drafts/:id", summary: "A draft of the caller's agency", tag: "official-documents",
                    responses: [200: ("The draft", Schema.anyObject), 404: ("Not found", nil)], token: true)
        openAPI.add("POST", "/v1/official-documents/drafts/:id/number", summary: "The clerk (or the agency's staff) numbers a signed draft in the "
                    + "outgoing register: it becomes an official document, to dispatch to its recipients", tag: "official-documents",
                    responses: [201: ("The numbered document", Schema.anyObject), 404: ("Not found", nil), 409: ("Not signed yet", nil)], token: true)
    }

    func agency(of identity: Identity) throws -> String {
        guard let agency = identity.agency else { throw Problem.forbidden("Only staff of an agency compose its documents.") }
        return agency
    }

    func view(_ stored: OfficialDocumentRepository.StoredDraft) async throws -> OfficialDraft {
        let state: OfficialDraft.State = switch try await self.requests.read(stored.signRequestId).state {
        case "pending": .awaitingSignature
        case "signed": .signed
        default: .declined
        }
        return OfficialDraft(id: stored.id, agency: stored.agency, draft: stored.draft, signRequestId: stored.signRequestId, state: state,
                             createdBy: stored.createdBy, createdAt: stored.createdAt)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        let agency = try self.agency(of: identity)
        var asked = try await request.decodeJSON(as: NewOfficialDraft.self)
        asked.recipients = Array(Set(asked.recipients.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != agency })).sorted()
        var issues: [FieldIssue] = []
        let required: [(String, String, String, String)] = [
            ("type", asked.type, "Chọn loại văn bản.", "Choose the kind of document."),
            ("excerpt", asked.excerpt, "Nhập trích yếu.", "Write the excerpt."),
            ("symbol", asked.symbol, "Nhập ký hiệu (ví dụ UBND-VP).", "Write the symbol (such as UBND-VP)."),
            ("signer", asked.signer, "Nhập người ký như in trên văn bản.", "Write the signer as printed."),
            ("leader", asked.leader, "Chọn lãnh đạo ký.", "Choose the leader who signs."),
        ]
        for (field, value, vi, en) in required where value.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: field, code: "required", vi: vi, en: en))
        }
        if asked.recipients.isEmpty {
            issues.append(FieldIssue(field: "recipients", code: "required", vi: "Chọn ít nhất một cơ quan nhận.", en: "Choose at least one recipient agency."))
        }
        if asked.fileIds.isEmpty {
            issues.append(FieldIssue(field: "fileIds", code: "required", vi: "Đính kèm tệp văn bản.", en: "Attach the document's file."))
        }
        var main: StoredFile?
        for (index, id) in asked.fileIds.enumerated() {
            guard let file = try? await self.files.readable(id, by: identity) else {
                issues.append(FieldIssue(field: "fileIds", code: "file.unknown", vi: "Không có tệp \(id).", en: "There is no file \(id) you may attach."))
                continue
            }
            if index == 0 { main = file }
        }
        guard issues.isEmpty, let main else { throw Problem.validation(issues) }
        let composed = asked
        let now = self.now()
        let stored = OfficialDocumentRepository.StoredDraft(id: UUID().uuidString.lowercased(), agency: agency, draft: composed,
                                                            signRequestId: UUID().uuidString.lowercased(), createdBy: identity.subject, createdAt: now)
        try await self.runtime.database.transaction { db in
            if let reply = composed.replyTo {
                guard let dispatch = try await self.documents.dispatch(reply, in: db), dispatch.recipient == agency else {
                    throw Problem.validation([FieldIssue(field: "replyTo", code: "dispatch.unknown", vi: "Không có văn bản đến \(reply).",
                                                         en: "Your agency received no dispatch \(reply) to answer.")])
                }
            }
            try await self.documents.insert(stored, in: db)
            try await self.requests.open(id: stored.signRequestId, file: main, signer: composed.leader, requestedBy: identity.subject,
                                         reason: "\(composed.type): \(composed.excerpt)", dossierID: nil, requestID: context.requestID, at: now, in: db)
        }
        return try Response.json(try await self.view(stored), status: .created, location: "/v1/official-documents/drafts/\(stored.id)")
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        try await self.requests.expire(nil, at: self.now())
        var drafts: [OfficialDraft] = []
        for stored in try await self.documents.drafts(agency: try self.agency(of: identity)) { drafts.append(try await self.view(stored)) }
        return try Response.json(drafts, status: .ok)
    }

    func stored(_ context: ServiceRequestContext, in db: (any SQLDatabase)? = nil) async throws -> OfficialDocumentRepository.StoredDraft {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        let id = try context.parameters.require("id")
        let found = if let db { try await self.documents.draft(id, in: db) } else { try await self.runtime.database.read { try await self.documents.draft(id, in: $0) } }
        guard let found, found.agency == identity.agency else { throw Problem.notFound("Your agency has no draft \(id).") }
        return found
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try Response.json(try await self.view(try await self.stored(context)), status: .ok)
    }

    @Sendable func number(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .clerk)
        let now = self.now()
        let document = try await self.runtime.database.transaction { db -> OfficialDocument in
            let stored = try await self.stored(context, in: db)
            let draft = stored.draft
            guard let main = draft.fileIds.first, !(try await self.signatures.list(main)).isEmpty else {
                throw Problem.conflict("\(draft.type) \"\(draft.excerpt)\" is not signed yet: its leader has not approved the sign request.")
            }
            let document = try await self.documents.issue(OfficialDocumentRepository.Issue(
                id: stored.id, agency: stored.agency, type: draft.type, excerpt: draft.excerpt, symbol: draft.symbol, signer: draft.signer,
                issuedOn: LocalDate(now), urgency: draft.urgency ?? .normal, confidentiality: draft.confidentiality ?? .normal, fileIds: draft.fileIds,
                replyTo: draft.replyTo, createdBy: stored.createdBy, createdAt: now, plannedRecipients: draft.recipients), in: db)
            try await self.documents.deleteDraft(stored.id, in: db)
            self.runtime.logger.info("official document numbered", metadata: ["symbol": .string(document.symbol), "by": .string(identity.subject)])
            return document
        }
        return try Response.json(document, status: .created, location: "/v1/official-documents/\(document.id)")
    }
}
