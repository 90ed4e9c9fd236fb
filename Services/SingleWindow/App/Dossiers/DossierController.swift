import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// Dossier intake, a dossier with its history, lifecycle actions, and the public look-up by code.
struct DossierController {
    let intake: DossierIntake
    let actions: DossierActions
    let dossiers: DossierRepository
    let catalog: CatalogIndex
    /// Public look-ups per caller: enough for a person, too few to guess codes and phone digits.
    let lookupLimiter: RateLimiter
    let documents: DocumentsLink

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/dossiers", use: self.submit)
        router.get("/v1/dossiers/:id", use: self.show)
        router.post("/v1/dossiers/:id/actions", use: self.act)
        router.group("/v1/lookup").add(middleware: RateLimitMiddleware(limiter: self.lookupLimiter)).get(":code", use: self.lookup)
        router.post("/v1/dossiers/:id/assign", use: self.assign)
        router.post("/v1/dossiers/:id/rating", use: self.rate)
        router.post("/v1/dossiers/:id/apology", use: self.apologise)

        openAPI.addSchema("Dossier", Schema.anyObject)
        openAPI.add("POST", "/v1/dossiers", summary: "Submit a dossier (online: citizen; counter/post: officer of the agency; nationalPortal: service). "
                    + "Idempotency-Key: the same key and body return the first dossier, a different body 409", tag: "dossiers",
                    request: Schema.anyObject,
                    responses: [201: ("Created", Schema.ref("Dossier")), 200: ("Replayed by Idempotency-Key", Schema.ref("Dossier")),
                                401: ("No token", nil), 403: ("Channel not open to the caller", nil), 409: ("Key reused for another body", nil),
                                422: ("Missing documents, wrong level or agency, bad applicant data", nil)], token: true)
        openAPI.add("GET", "/v1/dossiers/:id", summary: "A dossier with its history and the actions the caller may take", tag: "dossiers",
                    responses: [200: ("The dossier", Schema.ref("Dossier")), 404: ("No such dossier (or not yours)", nil)], token: true)
        openAPI.add("POST", "/v1/dossiers/:id/actions", summary: "Take an action: receive, refuse, startProcessing, requestSupplement "
                    + "(supplement: documents, deadline), supplement (attachments), requestFee, confirmFee, stop, markResultReady (result: fileId of a signed document, "
                    + "number, signer), deliver (handover: method, trackingNumber for post), withdraw, transfer (toAgency), forward and sendBack through the "
                    + "procedure's internal process (startProcessing and forward take assignTo; sendBack needs comment)", tag: "dossiers",
                    request: Schema.object(["action": Schema.string, "expectedVersion": Schema.integer, "comment": Schema.string,
                                            "supplement": Schema.object(["documents": Schema.array(Schema.string), "deadline": Schema.string],
                                                                        required: ["documents", "deadline"]),
                                            "attachments": Schema.array(Schema.anyObject),
                                            "result": Schema.object(["fileId": Schema.string, "number": Schema.string, "signer": Schema.string,
                                                                     "signedOn": Schema.string], required: ["fileId", "number", "signer"]),
                                            "handover": Schema.object(["method": Schema.string, "trackingNumber": Schema.string,
                                                                       "recipient": Schema.string], required: ["method"]),
                                            "toAgency": Schema.string],
                                           required: ["action", "expectedVersion"]),
                    responses: [200: ("The dossier after the action", Schema.ref("Dossier")), 403: ("Not your agency or role", nil),
                                409: ("Not allowed now, or a stale version", nil),
                                422: ("A reason, the supplement list and deadline, the result, a tracking number or a valid agency is missing", nil)],
                    token: true)
        openAPI.add("POST", "/v1/dossiers/:id/apology", summary: "Apologise for a dossier that will be late and set a new appointment "
                    + "(Circular 01/2018 form 04)", tag: "dossiers",
                    request: Schema.object(["reason": Schema.string, "newAppointment": Schema.string, "expectedVersion": Schema.integer],
                                           required: ["reason", "newAppointment", "expectedVersion"]),
                    responses: [200: ("The dossier", Schema.ref("Dossier")), 403: ("Not staff of its agency", nil),
                                409: ("Not received, already settled, or a stale version", nil), 422: ("No reason, or the date is not later", nil)],
                    token: true)
        openAPI.add("POST", "/v1/dossiers/:id/assign", summary: "Hand the dossier to an officer (staff of its agency)", tag: "dossiers",
                    request: Schema.object(["officer": Schema.string, "expectedVersion": Schema.integer], required: ["officer", "expectedVersion"]),
                    responses: [200: ("The dossier", Schema.ref("Dossier")), 403: ("Not staff of its agency", nil), 409: ("Stale version", nil)],
                    token: true)
        openAPI.add("POST", "/v1/dossiers/:id/rating", summary: "The applicant rates the service after delivery, once (score 1-5)", tag: "dossiers",
                    request: Schema.object(["score": Schema.integer, "comment": Schema.string], required: ["score"]),
                    responses: [200: ("The dossier", Schema.ref("Dossier")), 409: ("Not delivered yet, or already rated", nil),
                                422: ("Score outside 1-5", nil)], token: true)
        openAPI.add("GET", "/v1/lookup/:code", summary: "Public progress of a dossier, with ?phone= the last four digits of the applicant's phone",
                    tag: "dossiers", responses: [200: ("Progress, no personal data", Schema.anyObject), 404: ("No dossier with that code and phone", nil),
                                                 429: ("Too many look-ups from this address (Retry-After)", nil)])
    }

    @Sendable func submit(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(as: SubmitDossierRequest.self)
        let key = try request.idempotencyKey()
        let (dossier, created, history) = try await self.intake.submit(body, by: identity, idempotencyKey: key, requestID: context.requestID)
        return try await self.respond(dossier, identity: identity, status: created ? .created : .ok, history: history)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        guard let dossier = try await self.dossiers.find(id: id) else { throw Problem.notFound("There is no dossier with the id \(id).") }
        _ = try DossierActions.actingRole(identity, for: dossier)
        return try await self.respond(dossier, identity: identity, status: .ok)
    }

    @Sendable func act(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        var action = try await request.decodeJSON(as: DossierActionRequest.self)
        let id = try context.parameters.require("id")
        // The files an action brings in are checked (and opened to the agency) before anything changes.
        switch action.action {
        case .markResultReady:
            if let fileID = action.result?.fileId, !fileID.trimmingCharacters(in: .whitespaces).isEmpty {
                action.result?.verificationCode = try await self.documents.verificationCode(of: fileID, requestID: context.requestID)
            }
        case .supplement where action.attachments?.contains { $0.fileId != nil } == true:
            guard let dossier = try await self.dossiers.find(id: id) else { throw Problem.notFound("There is no dossier with the id \(id).") }
            _ = try DossierActions.actingRole(identity, for: dossier)
            try await self.documents.grant(action.attachments ?? [], to: dossier.agencyCode, holder: identity, requestID: context.requestID)
        default:
            break
        }
        let dossier = try await self.actions.act(action, on: id, by: identity, requestID: context.requestID)
        return try await self.respond(dossier, identity: identity, status: .ok)
    }

    @Sendable func assign(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let assignment = try await request.decodeJSON(as: AssignRequest.self)
        let id = try context.parameters.require("id")
        // To someone of the dossier's agency: checked against the agency it is at now (a transfer meanwhile changes its
        // version, which the assignment then finds stale).
        if let current = try await self.dossiers.find(id: id) {
            try await self.actions.staff.check(assignment.officer, isStaffOf: current.agencyCode, field: "officer", requestID: context.requestID)
        }
        let dossier = try await self.actions.amend(try context.parameters.require("id"), by: identity, expectedVersion: assignment.expectedVersion,
                                                   requestID: context.requestID) { dossier, role in
            guard [.officer, .leader, .admin].contains(role) else { throw Problem.forbidden("Only staff of the agency assign its dossiers.") }
            dossier.assignedTo = assignment.officer
            return ("assign", assignment.officer)
        }
        return try await self.respond(dossier, identity: identity, status: .ok)
    }

    @Sendable func rate(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let rating = try await request.decodeJSON(as: RatingRequest.self)
        guard (1...5).contains(rating.score) else {
            throw Problem.validation([FieldIssue(field: "score", code: "rating.range", vi: "Điểm đánh giá từ 1 đến 5.", en: "The score is 1 to 5.")])
        }
        let dossier = try await self.actions.amend(try context.parameters.require("id"), by: identity, expectedVersion: nil,
                                                   requestID: context.requestID) { dossier, role in
            guard role == .citizen else { throw Problem.forbidden("Only the applicant rates the service.") }
            guard dossier.status == .delivered else { throw Problem.conflict("A dossier is rated after its result is delivered.") }
            guard dossier.rating == nil else { throw Problem.conflict("This dossier has been rated already.") }
            dossier.rating = rating.score
            return ("rate", "\(rating.score)/5 \(rating.comment ?? "")")
        }
        return try await self.respond(dossier, identity: identity, status: .ok)
    }

    @Sendable func apologise(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let apology = try await request.decodeJSON(as: ApologyRequest.self)
        let now = self.actions.now()
        let dossier = try await self.actions.amend(try context.parameters.require("id"), by: identity, expectedVersion: apology.expectedVersion,
                                                   requestID: context.requestID) { dossier, role in
            // The letter of apology and its new date are the leader's to approve (Decree 118/2025): officers draft, leaders issue.
            guard [.leader, .admin].contains(role) else {
                throw Problem.forbidden("An apology letter with a new appointment is issued by a leader of the agency; ask yours to approve it.")
            }
            guard let due = dossier.clock.dueAt, dossier.clock.finishedAt == nil, !dossier.status.isFinal else {
                throw Problem.conflict("An apology is for a received dossier that is not settled yet; this one is \(dossier.status.englishName).")
            }
            var issues: [FieldIssue] = []
            if apology.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                issues.append(FieldIssue(field: "reason", code: "required", vi: "Cần nêu lý do chậm trễ.", en: "Give the reason for the delay."))
            }
            let earliest = max(LocalDate(due), LocalDate(now))
            if apology.newAppointment <= earliest {
                issues.append(FieldIssue(field: "newAppointment", code: "date.after", vi: "Ngày hẹn mới phải sau \(earliest).",
                                         en: "The new appointment must be after \(earliest)."))
            }
            guard issues.isEmpty else { throw Problem.validation(issues) }
            dossier.apology = Apology(reason: apology.reason, newAppointment: apology.newAppointment, issuedBy: identity.subject, issuedAt: now)
            return ("apologize", "\(apology.reason) — hẹn lại \(apology.newAppointment)")
        }
        return try await self.respond(dossier, identity: identity, status: .ok)
    }

    @Sendable func lookup(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let phone = request.query("phone") ?? ""
        guard phone.count == 4, phone.allSatisfy(\.isNumber) else {
            throw Problem.badRequest("Give ?phone= the last four digits of the applicant's phone number.")
        }
        // The same answer for a wrong code and a wrong phone, so the look-up reveals nothing to a guesser.
        func notFound() -> Problem { Problem.notFound("No dossier has this code and phone number.") }
        guard let found = try await self.dossiers.publicView(code: code), found.phone.hasSuffix(phone) else { throw notFound() }
        if let view = found.view {
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: view)))
        }
        // A dossier written before its public view was kept: built from its history.
        guard let dossier = try await self.dossiers.find(code: code) else { throw notFound() }
        var lookup = dossier.lookup
        lookup.agencyName = try await self.catalog.agency(dossier.agencyCode)?.name ?? dossier.agencyCode
        lookup.history = try await self.dossiers.history(of: dossier.id).map { DossierLookup.Step(at: $0.at, status: $0.toStatus) }
        return lookup.json.response()
    }

    private func respond(_ dossier: StoredDossier, identity: Identity, status: HTTPResponse.Status,
                         history: [DossierEventView]? = nil) async throws -> Response {
        try await Self.respond(dossier, identity: identity, dossiers: self.dossiers, status: status, history: history)
    }

    /// The dossier as the caller sees it, with the actions they may take and its history.
    static func respond(_ dossier: StoredDossier, identity: Identity, dossiers: DossierRepository, status: HTTPResponse.Status = .ok,
                        history: [DossierEventView]? = nil) async throws -> Response {
        // Someone who has just handed the dossier to another agency may no longer act on it: they see it as it left
        // them, with nothing to do.
        let role = try? DossierActions.actingRole(identity, for: dossier)
        let staff = role.map { $0 != .citizen } ?? (identity.has(.officer) || identity.has(.leader) || identity.has(.admin))
        var view = DossierView(
            id: dossier.id, code: dossier.code, procedureCode: dossier.procedureCode, procedureName: dossier.procedureName,
            agencyCode: dossier.agencyCode, channel: dossier.channel, status: dossier.status, applicant: dossier.applicant,
            attachments: dossier.attachments, delivery: dossier.delivery, submittedBy: dossier.submittedBy, submittedAt: dossier.submittedAt,
            clock: dossier.clock, version: dossier.version, assignedTo: dossier.assignedTo, rating: dossier.rating,
            supplementRequest: dossier.supplementRequest, result: dossier.result, resultDraft: dossier.resultDraft, handover: dossier.handover,
            apology: dossier.apology,
            // The internal process is the agency's: the applicant sees the status and the dates, not who holds it.
            process: staff ? dossier.process : nil,
            allowedActions: role.map { ProcessSteps.allowed(DossierWorkflow.actions(from: dossier.status, by: $0), for: dossier, identity: identity, role: $0) } ?? [],
            history: history ?? []
        )
        if history == nil { view.history = try await dossiers.history(of: dossier.id) }
        return try Response.json(view, status: status, location: status == .created ? "/v1/dossiers/\(dossier.id)" : nil)
    }
}


import HTTPTypes
import NIOCore
