import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import SQLKit

/// A request to a leader to sign a stored result, approved from a phone with a code from their authenticator app:
/// the server then signs with the leader's key. Requests expire; every approval, refusal, wrong code and expiry is
/// audited.
struct SignRequestController {
    let runtime: ServiceRuntime
    let codes: OneTimeCodes
    let requests: SignRequestStore
    let files: FileController
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/otp/enrolment", use: self.enrol)
        router.post("/v1/otp/enrolment/confirm", use: self.confirm)
        router.post("/v1/otp/enrolment/reset", use: self.reset)
        router.post("/v1/sign-requests", use: self.create)
        router.get("/v1/sign-requests", use: self.list)
        router.get("/v1/sign-requests/:id", use: self.show)
        router.post("/v1/sign-requests/:id/approve", use: self.approve)
        router.post("/v1/sign-requests/:id/refuse", use: self.refuse)
        router.post("/v1/sign-requests/approvals", use: self.approveSeveral)
        openAPI.add("POST", "/v1/otp/enrolment", summary: "Staff: start enrolling an authenticator app; answers the otpauth:// URL to scan",
                    tag: "sign-requests", responses: [201: ("The URL", Schema.anyObject), 409: ("Enrolled already", nil)], token: true)
        openAPI.add("POST", "/v1/otp/enrolment/confirm", summary: "Confirm the enrolment with a first code {code}", tag: "sign-requests",
                    responses: [200: ("Confirmed", Schema.anyObject), 422: ("Wrong code", nil),
                                423: ("Locked by ten wrong codes in a row until an administrator resets it", nil)], token: true)
        openAPI.add("POST", "/v1/otp/enrolment/reset", summary: "Admins: forget a person's authenticator {subject} (lost phone, or locked)",
                    tag: "sign-requests", request: Schema.object(["subject": Schema.string], required: ["subject"]),
                    responses: [204: ("Forgotten; the person enrols again", nil), 403: ("Not an admin", nil), 404: ("Nothing enrolled", nil)], token: true)
        openAPI.add("POST", "/v1/sign-requests", summary: "Ask a leader {signer} to sign a stored result {documentId, reason?}", tag: "sign-requests",
                    responses: [201: ("The request", Schema.anyObject), 404: ("No such file (or not yours)", nil), 422: ("No signer", nil)], token: true)
        openAPI.add("GET", "/v1/sign-requests", summary: "Requests addressed to the caller (?state=pending by default); admins see all", tag: "sign-requests",
                    responses: [200: ("The requests", Schema.array(Schema.anyObject))], token: true)
        openAPI.add("GET", "/v1/sign-requests/:id", summary: "A request with its audit trail", tag: "sign-requests",
                    responses: [200: ("The request", Schema.anyObject), 404: ("No such request (or not yours)", nil)], token: true)
        openAPI.add("POST", "/v1/sign-requests/:id/approve", summary: "The leader approves with {code} from the authenticator app; the server signs "
                    + "with the leader's key", tag: "sign-requests",
                    responses: [200: ("Signed", Schema.anyObject), 409: ("Not pending, expired, or no certificate that can sign", nil),
                                422: ("Wrong code (with the tries left), or no authenticator enrolled", nil),
                                423: ("Locked: the sixth wrong code for this request, or ten in a row on the account", nil)], token: true)
        openAPI.add("POST", "/v1/sign-requests/approvals", summary: "The leader signs several requests {ids (1-\(Self.mostAtOnce)), code} with one code "
                    + "of the authenticator app; all are checked first (nothing is signed if one is not theirs and pending), then each is signed",
                    tag: "sign-requests",
                    responses: [200: ("The requests, signed", Schema.array(Schema.anyObject)), 403: ("One is addressed to someone else", nil),
                                409: ("One is not pending (named)", nil), 422: ("Wrong code, no ids, or too many", nil), 423: ("Locked", nil)], token: true)
        openAPI.add("POST", "/v1/sign-requests/:id/refuse", summary: "The leader refuses {reason}", tag: "sign-requests",
                    responses: [200: ("Refused", Schema.anyObject), 409: ("Not pending", nil)], token: true)
    }

    @Sendable func enrol(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin)
        let enrolment = try await self.codes.enrol(identity.subject, label: identity.subject, at: self.now())
        return try Response.json(enrolment, status: .created)
    }

    @Sendable func confirm(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin)
        struct Asked: Decodable { var code: String }
        let asked = try await request.decodeJSON(as: Asked.self)
        guard try await self.codes.check(identity.subject, code: asked.code, at: self.now(), confirming: true) else {
            throw Self.wrongCode()
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"confirmed":true}"#)))
    }

    /// An administrator forgets a person's authenticator (a lost phone, or one locked by wrong codes).
    @Sendable func reset(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try context.requireRole(.admin)
        struct Asked: Decodable { var subject: String }
        let asked = try await request.decodeJSON(as: Asked.self)
        guard try await self.codes.reset(asked.subject) else { throw Problem.notFound("\(asked.subject) has no authenticator enrolled.") }
        return Response(status: .noContent)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin, .service)
        struct Asked: Decodable { var documentId: String; var signer: String; var reason: String? }
        let asked = try await request.decodeJSON(as: Asked.self)
        guard !asked.signer.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.validation([FieldIssue(field: "signer", code: "required", vi: "Cần người ký.", en: "Name the leader who signs.")])
        }
        let file = try await self.files.readable(asked.documentId, by: identity)
        let id = UUID().uuidString.lowercased()
        try await self.runtime.database.transaction { db in
            try await self.requests.open(id: id, file: file, signer: asked.signer, requestedBy: identity.subject, reason: asked.reason, dossierID: nil,
                                         requestID: context.requestID, at: self.now(), in: db)
        }
        return try Response.json(try await self.requests.read(id), status: .created)
    }

    /// `dossier.result-drafted`: an officer filed a dossier's result in single-window; its leader gets the request.
    /// The request's id is the event's, so a repeated event makes no second request.
    func resultDrafted(_ envelope: EventEnvelope, in db: any SQLDatabase) async throws {
        let drafted = try envelope.payload(as: ResultDraftedEvent.self)
        guard let file = try await self.files.files.find(drafted.draft.fileId) else {
            self.runtime.logger.warning("a drafted result names no stored file", metadata: ["dossier": .string(drafted.code), "file": .string(drafted.draft.fileId)])
            return
        }
        try await self.requests.open(id: envelope.id, file: file, signer: drafted.draft.leader, requestedBy: drafted.draft.requestedBy,
                                     reason: "\(drafted.draft.number) — \(drafted.procedureName) (\(drafted.code))", dossierID: drafted.dossierId,
                                     requestID: envelope.requestId, at: self.now(), in: db)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        // Expiry is written once for the whole list, not once per request read.
        try await self.requests.expire(nil, at: self.now())
        let ids = try await self.requests.ids(state: request.query("state") ?? "pending", signer: identity.has(.admin) ? nil : identity.subject)
        var items: [SignRequest] = []
        for id in ids { items.append(try await self.requests.read(id)) }
        return try Response.json(items, status: .ok)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> SignRequest {
        try await self.visible(try context.parameters.require("id"), to: try context.requireIdentity())
    }

    @Sendable func approve(_ request: Request, context: ServiceRequestContext) async throws -> SignRequest {
        let identity = try context.requireRole(.leader, .officer, .admin)
        struct Asked: Decodable { var code: String }
        let asked = try await request.decodeJSON(as: Asked.self)
        let pending = try await self.pending(try context.parameters.require("id"), for: identity)
        let now = self.now()
        try await self.requireEnrolled(identity)
        guard try await self.codes.check(identity.subject, code: asked.code, at: now) else {
            switch try await self.requests.wrongCode(pending, by: identity.subject, at: now, requestID: context.requestID) {
            case .tryAgain(let left): throw Self.wrongCode(triesLeft: left)
            case .locked: throw Self.lockedRequest()
            }
        }
        guard let file = try await self.files.files.find(pending.documentId) else { throw Problem.notFound("The document to sign is gone.") }
        try await self.requests.approve(pending, as: identity, file: file, at: now, requestID: context.requestID)
        return try await self.requests.read(pending.id)
    }

    /// The most requests one code signs.
    static let mostAtOnce = 50

    /// Several requests with one code: every request is checked as the leader's and pending before the code is
    /// tried, so a wrong id signs nothing; a wrong code counts against each of them, as it would one by one.
    @Sendable func approveSeveral(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.leader, .officer, .admin)
        struct Asked: Decodable { var ids: [String]; var code: String }
        let asked = try await request.decodeJSON(as: Asked.self)
        let ids = asked.ids.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        guard (1...Self.mostAtOnce).contains(ids.count) else {
            throw Problem.validation([FieldIssue(field: "ids", code: "ids.count", vi: "Chọn từ 1 đến \(Self.mostAtOnce) văn bản để ký.",
                                                 en: "Choose 1 to \(Self.mostAtOnce) documents to sign.")])
        }
        var pending: [SignRequest] = []
        for id in ids { pending.append(try await self.pending(id, for: identity)) }
        let now = self.now()
        try await self.requireEnrolled(identity)
        guard try await self.codes.check(identity.subject, code: asked.code, at: now) else {
            var left = Int.max
            for item in pending {
                switch try await self.requests.wrongCode(item, by: identity.subject, at: now, requestID: context.requestID) {
                case .tryAgain(let tries): left = min(left, tries)
                case .locked: left = 0
                }
            }
            throw left == 0 ? Self.lockedRequest() : Self.wrongCode(triesLeft: left)
        }
        var signed: [SignRequest] = []
        for item in pending {
            guard let file = try await self.files.files.find(item.documentId) else { throw Problem.notFound("The document of request \(item.id) is gone.") }
            try await self.requests.approve(item, as: identity, file: file, at: now, requestID: context.requestID)
            signed.append(try await self.requests.read(item.id))
        }
        return try Response.json(signed)
    }

    @Sendable func refuse(_ request: Request, context: ServiceRequestContext) async throws -> SignRequest {
        let identity = try context.requireRole(.leader, .officer, .admin)
        struct Asked: Decodable { var reason: String }
        let asked = try await request.decodeJSON(as: Asked.self)
        guard !asked.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem.validation([FieldIssue(field: "reason", code: "required", vi: "Cần nêu lý do từ chối ký.",
                                                 en: "Say why you refuse to sign, so the officer can correct the result.")])
        }
        let pending = try await self.pending(try context.parameters.require("id"), for: identity)
        try await self.requests.refuse(pending, by: identity.subject, reason: asked.reason, at: self.now(), requestID: context.requestID)
        return try await self.requests.read(pending.id)
    }

    // MARK: Helpers

    private func requireEnrolled(_ identity: Identity) async throws {
        guard try await self.codes.isEnrolled(identity.subject) else {
            throw Problem.validation([FieldIssue(field: "code", code: "otp.not-enrolled", vi: "Tài khoản chưa đăng ký ứng dụng xác thực.",
                                                 en: "No authenticator app is enrolled on this account; enrol one first.")])
        }
    }

    /// The request when it is addressed to the caller and still pending; an expired one is marked so (and audited) first.
    private func pending(_ id: String, for identity: Identity) async throws -> SignRequest {
        let request = try await self.visible(id, to: identity)
        guard request.signer == identity.subject else { throw Problem.forbidden("This request is addressed to \(request.signer).") }
        if request.state == "locked" { throw Self.lockedRequest() }
        guard request.state == "pending" else { throw Problem.conflict("This request is \(request.state) already.") }
        return request
    }

    /// The request as it stands (an expired one marked so first), when the caller may see it.
    private func visible(_ id: String, to identity: Identity) async throws -> SignRequest {
        try await self.requests.expire(id, at: self.now())
        let request = try await self.requests.read(id)
        guard identity.has(.admin) || request.signer == identity.subject || request.requestedBy == identity.subject else {
            throw Problem.notFound("There is no sign request with the id \(id).")
        }
        return request
    }

    static func wrongCode(triesLeft: Int? = nil) -> Problem {
        let left = triesLeft.map { (vi: " Còn \($0) lần thử, sau đó yêu cầu ký bị khóa.", en: " \($0) tries left before this request locks.") }
        return Problem.validation([FieldIssue(field: "code", code: "otp.wrong", vi: "Mã xác thực không đúng hoặc đã dùng." + (left?.vi ?? ""),
                                              en: "The code is wrong or was used already; enter the code your authenticator app shows now." + (left?.en ?? ""))])
    }

    /// The leader is told the request is locked and what happens next.
    static func lockedRequest() -> Problem {
        Problem(.locked, detail: "This sign request is locked after \(SignRequestStore.allowedWrongCodes + 1) wrong codes. Nothing was signed; "
                + "the officer who asked must send a new request.")
    }
}

extension SignRequest: ResponseEncodable {}
