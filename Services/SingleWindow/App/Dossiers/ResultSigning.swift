import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// A result on its way to the leader's signature. The officer files the unsigned result and names the leader
/// (`POST /v1/dossiers/{id}/result-draft`); `dossier.result-drafted` makes documents open a sign request that the
/// leader approves from a phone; `document.signed` then marks the result ready with its verification code, and
/// `document.sign-declined` (refused, expired) writes why into the history and clears the draft for a new one.
struct ResultSigning: Sendable {
    let actions: DossierActions
    let dossiers: DossierRepository
    let documents: DocumentsLink

    /// How the documents service appears in a dossier's history.
    static let documentsService = Identity(subject: "service:documents", roles: [.service])

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/dossiers/:id/result-draft", use: self.draft)
        openAPI.add("POST", "/v1/dossiers/:id/result-draft", summary: "Staff: file the unsigned result of a dossier in processing {fileId, number, "
                    + "signer (as printed), leader (account), expectedVersion}; the leader gets a sign request, and the result is ready once signed",
                    tag: "dossiers",
                    request: Schema.object(["fileId": Schema.string, "number": Schema.string, "signer": Schema.string, "leader": Schema.string,
                                            "expectedVersion": Schema.integer, "comment": Schema.string],
                                           required: ["fileId", "number", "signer", "leader", "expectedVersion"]),
                    responses: [200: ("The dossier with its resultDraft", Schema.ref("Dossier")), 403: ("Not staff of its agency", nil),
                                409: ("Not in processing, or a stale version", nil),
                                422: ("A detail is missing, or the file is unknown or not this agency's", nil),
                                503: ("The documents service cannot check the file; nothing changed", nil)], token: true)
    }

    @Sendable func draft(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let asked = try await request.decodeJSON(as: ResultDraftRequest.self)
        let blank = { (text: String) in text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        var issues: [FieldIssue] = []
        for (field, value, vi, en) in [("fileId", asked.fileId, "Cần tệp kết quả.", "Upload the result and give its file id."),
                                       ("number", asked.number, "Cần số của kết quả.", "Give the result's official number."),
                                       ("signer", asked.signer, "Cần chức danh người ký.", "Give the signer as printed on the result."),
                                       ("leader", asked.leader, "Cần tài khoản lãnh đạo ký.", "Name the leader's account who signs.")] where blank(value) {
            issues.append(FieldIssue(field: field, code: "required", vi: vi, en: en))
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let id = try context.parameters.require("id")
        guard let current = try await self.dossiers.find(id: id) else { throw Problem.notFound("There is no dossier with the id \(id).") }
        _ = try DossierActions.actingRole(identity, for: current)
        try await self.actions.staff.check(asked.leader, isStaffOf: current.agencyCode, role: .leader, field: "leader", requestID: context.requestID)
        try await self.documents.checkDraft(asked.fileId, agency: current.agencyCode, requestID: context.requestID)
        let draft = ResultDraft(fileId: asked.fileId, number: asked.number, signer: asked.signer, leader: asked.leader, requestedBy: identity.subject,
                                requestedAt: self.actions.now())
        let dossier = try await self.actions.amend(id, by: identity, expectedVersion: asked.expectedVersion, requestID: context.requestID, announce: { dossier in
            try EventEnvelope(type: EventType.dossierResultDrafted, source: Topology.singleWindow, requestId: context.requestID,
                              payload: ResultDraftedEvent(dossierId: dossier.id, code: dossier.code, procedureName: dossier.procedureName,
                                                          agencyCode: dossier.agencyCode, draft: draft))
        }) { dossier, role in
            guard [.officer, .leader, .admin].contains(role) else { throw Problem.forbidden("Only staff of the agency file a dossier's result.") }
            guard dossier.status == .processing else {
                throw Problem.conflict("A result is filed while the dossier is processing; this one is \(dossier.status.englishName).")
            }
            dossier.resultDraft = draft
            // Submitted for signing: the dossier goes on to the leader's step when that is next.
            let step = self.actions.steps.submitForSigning(&dossier, to: draft.leader, by: identity, at: draft.requestedAt)
            return ("draftResult", "Số \(draft.number), trình \(draft.signer) (\(draft.leader)) ký" + (asked.comment.map { " — \($0)" } ?? "")
                        + (step.map { " — \($0)" } ?? ""))
        }
        return try await DossierController.respond(dossier, identity: identity, dossiers: self.dossiers)
    }

    /// `document.signed`: the drafted result of a dossier in processing becomes its ready result, with the
    /// signature's code. A signature for a file that is no longer the draft changes nothing; one that arrives while
    /// the dossier waits (supplement, fee) is written in the history and the draft kept, for the officer to finish.
    func signed(_ envelope: EventEnvelope, in db: any SQLDatabase) async throws {
        let signed = try envelope.payload(as: DocumentSignedEvent.self)
        guard let dossierID = signed.dossierId, let dossier = try await self.dossiers.find(id: dossierID, in: db),
              let draft = dossier.resultDraft, draft.fileId == signed.documentId else { return }
        let requestID = envelope.requestId ?? envelope.id
        guard dossier.status == .processing else {
            try await self.note(dossier, action: "resultSigned", comment: "\(signed.signer) đã ký (mã \(signed.code))", requestID: requestID, in: db)
            return
        }
        let result = DossierResult(fileId: draft.fileId, number: draft.number, signer: draft.signer, signedOn: LocalDate(signed.signedAt),
                                   verificationCode: signed.code)
        _ = try await self.actions.act(DossierActionRequest(action: .markResultReady, expectedVersion: dossier.version,
                                                            comment: "Ký số bởi \(signed.signer)", result: result),
                                       on: dossier.id, by: Self.documentsService, requestID: requestID, in: db)
    }

    /// `document.sign-declined`: the leader refused the draft or let the request expire; the history says which and
    /// why, and the draft is cleared so the officer can file a corrected one.
    func declined(_ envelope: EventEnvelope, in db: any SQLDatabase) async throws {
        let declined = try envelope.payload(as: SignDeclinedEvent.self)
        guard let dossierID = declined.dossierId, var dossier = try await self.dossiers.find(id: dossierID, in: db),
              dossier.resultDraft?.fileId == declined.documentId else { return }
        let drafter = dossier.resultDraft?.requestedBy
        dossier.resultDraft = nil
        let comment = switch declined.state {
        case "expired": "Yêu cầu ký đã hết hạn mà chưa được ký"
        case "locked": "Yêu cầu ký bị khóa vì nhập sai mã xác thực nhiều lần; cần gửi lại yêu cầu ký"
        default: "\(declined.by) từ chối ký: \(declined.reason ?? "")"
        }
        // Back to the officer who filed it, at the step before the leader's.
        if let drafter {
            self.actions.steps.returnUnsigned(&dossier, to: drafter, reason: comment, by: declined.by, at: self.actions.now())
        }
        try await self.note(dossier, action: "resultDeclined", comment: comment, requestID: envelope.requestId ?? envelope.id, in: db)
    }

    private func note(_ dossier: StoredDossier, action: String, comment: String, requestID: String, in db: any SQLDatabase) async throws {
        try await self.actions.save(dossier, expectedVersion: dossier.version, event: DossierEventView(
            at: self.actions.now(), actor: Self.documentsService.subject, role: .service, agencyCode: nil, action: action, fromStatus: dossier.status,
            toStatus: dossier.status, comment: comment), eventType: nil, from: nil, requestID: requestID, in: db)
    }
}
