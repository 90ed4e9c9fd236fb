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
    let signatures: SignatureStore
    let files: FileController
    /// How long a request waits for the leader.
    let lifetime: TimeInterval
    let now: @Sendable () -> Date

    struct SignRequest: Codable, Sendable, ResponseEncodable {
        struct Entry: Codable, Sendable { var at: Date; var actor: String; var action: String; var detail: String? }
        var id: String
        var documentId: String
        var signer: String
        var requestedBy: String
        var reason: String?
        /// pending, signed, refused or expired.
        var state: String
        var createdAt: Date
        var expiresAt: Date
        var signature: SignatureView?
        var audit: [Entry]
    }

    private struct Identifier: Decodable { let id: String }

    private struct Row: Decodable {
        let id: String, file_id: String, signer: String, requested_by: String, reason: String?, state: String, created_at: Int64, expires_at: Int64
        let signature_number: Int?
    }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/otp/enrolment", use: self.enrol)
        router.post("/v1/otp/enrolment/confirm", use: self.confirm)
        router.post("/v1/sign-requests", use: self.create)
        router.get("/v1/sign-requests", use: self.list)
        router.get("/v1/sign-requests/:id", use: self.show)
        router.post("/v1/sign-requests/:id/approve", use: self.approve)
        router.post("/v1/sign-requests/:id/refuse", use: self.refuse)
        openAPI.add("POST", "/v1/otp/enrolment", summary: "Staff: start enrolling an authenticator app; answers the otpauth:// URL to scan",
                    tag: "sign-requests", responses: [201: ("The URL", Schema.anyObject), 409: ("Enrolled already", nil)], token: true)
        openAPI.add("POST", "/v1/otp/enrolment/confirm", summary: "Confirm the enrolment with a first code {code}", tag: "sign-requests",
                    responses: [200: ("Confirmed", Schema.anyObject), 422: ("Wrong code", nil)], token: true)
        openAPI.add("POST", "/v1/sign-requests", summary: "Ask a leader {signer} to sign a stored result {documentId, reason?}", tag: "sign-requests",
                    responses: [201: ("The request", Schema.anyObject), 404: ("No such file (or not yours)", nil), 422: ("No signer", nil)], token: true)
        openAPI.add("GET", "/v1/sign-requests", summary: "Requests addressed to the caller (?state=pending by default); admins see all", tag: "sign-requests",
                    responses: [200: ("The requests", Schema.anyObject)], token: true)
        openAPI.add("GET", "/v1/sign-requests/:id", summary: "A request with its audit trail", tag: "sign-requests",
                    responses: [200: ("The request", Schema.anyObject), 404: ("No such request (or not yours)", nil)], token: true)
        openAPI.add("POST", "/v1/sign-requests/:id/approve", summary: "The leader approves with {code} from the authenticator app; the server signs "
                    + "with the leader's key", tag: "sign-requests",
                    responses: [200: ("Signed", Schema.anyObject), 409: ("Not pending, expired, or no certificate that can sign", nil),
                                422: ("Wrong code, or no authenticator enrolled", nil)], token: true)
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

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin, .service)
        struct Asked: Decodable { var documentId: String; var signer: String; var reason: String? }
        let asked = try await request.decodeJSON(as: Asked.self)
        guard !asked.signer.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.validation([FieldIssue(field: "signer", code: "required", vi: "Cần người ký.", en: "Name the leader who signs.")])
        }
        let file = try await self.files.readable(asked.documentId, by: identity)
        let now = self.now(), id = UUID().uuidString.lowercased()
        try await self.runtime.database.transaction { db in
            try await db.insert(into: "sign_requests")
                .columns("id", "file_id", "signer", "requested_by", "reason", "state", "created_at", "expires_at")
                .values(SQLBind(id), SQLBind(file.id), SQLBind(asked.signer), SQLBind(identity.subject), SQLBind(asked.reason), SQLBind("pending"),
                        SQLBind(now.epochMilliseconds), SQLBind(now.addingTimeInterval(self.lifetime).epochMilliseconds))
                .run()
            try await Self.audit(id, actor: identity.subject, action: "requested", detail: asked.reason, at: now, in: db)
            // The leader hears of it in the app's inbox (notifications).
            try await self.runtime.outbox.enqueue(try EventEnvelope(
                type: EventType.documentSignRequested, source: self.runtime.settings.name, requestId: context.requestID,
                payload: SignRequestEvent(requestId: id, documentId: file.id, documentName: file.name, signer: asked.signer,
                                          requestedBy: identity.subject, reason: asked.reason, expiresAt: now.addingTimeInterval(self.lifetime))), in: db)
        }
        var response = try await self.view(id).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let state = request.query("state") ?? "pending"
        // Expiry is written once for the whole list, not once per request read.
        try await self.expire(nil)
        let rows = try await self.runtime.database.read { db in
            var select = db.select().columns("id").from("sign_requests").where("state", .equal, state)
            if !identity.has(.admin) { select = select.where("signer", .equal, identity.subject) }
            return try await select.orderBy("created_at", .descending).limit(200).all(decoding: Identifier.self)
        }
        var items: [SignRequest] = []
        for row in rows { items.append(try await self.read(row.id)) }
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
        guard try await self.codes.isEnrolled(identity.subject) else {
            throw Problem.validation([FieldIssue(field: "code", code: "otp.not-enrolled", vi: "Tài khoản chưa đăng ký ứng dụng xác thực.",
                                                 en: "No authenticator app is enrolled on this account; enrol one first.")])
        }
        guard try await self.codes.check(identity.subject, code: asked.code, at: now) else {
            try await self.runtime.database.transaction { try await Self.audit(pending.id, actor: identity.subject, action: "wrong-code", detail: nil, at: now, in: $0) }
            throw Self.wrongCode()
        }
        guard let file = try await self.files.files.find(pending.documentId) else { throw Problem.notFound("The document to sign is gone.") }
        let signature = try await self.signatures.sign(file, as: identity, at: now)
        try await self.runtime.database.transaction { db in
            try await db.update("sign_requests").set("state", to: SQLBind("signed")).set("decided_at", to: SQLBind(now.epochMilliseconds))
                .set("signature_number", to: SQLBind(signature.number)).where("id", .equal, pending.id).run()
            try await Self.audit(pending.id, actor: identity.subject, action: "approved", detail: "signature \(signature.number) \(signature.code)", at: now,
                                 in: db)
        }
        return try await self.view(pending.id)
    }

    @Sendable func refuse(_ request: Request, context: ServiceRequestContext) async throws -> SignRequest {
        let identity = try context.requireRole(.leader, .officer, .admin)
        struct Asked: Decodable { var reason: String }
        let asked = try await request.decodeJSON(as: Asked.self)
        let pending = try await self.pending(try context.parameters.require("id"), for: identity)
        let now = self.now()
        try await self.runtime.database.transaction { db in
            try await db.update("sign_requests").set("state", to: SQLBind("refused")).set("decided_at", to: SQLBind(now.epochMilliseconds))
                .where("id", .equal, pending.id).run()
            try await Self.audit(pending.id, actor: identity.subject, action: "refused", detail: asked.reason, at: now, in: db)
        }
        return try await self.view(pending.id)
    }

    // MARK: Helpers

    /// The request when it is addressed to the caller and still pending; an expired one is marked so (and audited) first.
    private func pending(_ id: String, for identity: Identity) async throws -> SignRequest {
        let request = try await self.visible(id, to: identity)
        guard request.signer == identity.subject else { throw Problem.forbidden("This request is addressed to \(request.signer).") }
        guard request.state == "pending" else { throw Problem.conflict("This request is \(request.state) already.") }
        return request
    }

    private func visible(_ id: String, to identity: Identity) async throws -> SignRequest {
        let request = try await self.view(id)
        guard identity.has(.admin) || request.signer == identity.subject || request.requestedBy == identity.subject else {
            throw Problem.notFound("There is no sign request with the id \(id).")
        }
        return request
    }

    /// Marks pending requests past their time expired (one request, or all of them), each once and audited.
    private func expire(_ id: String?) async throws {
        let now = self.now()
        try await self.runtime.database.transaction { db in
            struct Expired: Decodable { let id: String }
            let only: SQLQueryString = id.map { "AND id = \(bind: $0)" } ?? ""
            let expired = try await db.raw("""
                UPDATE sign_requests SET state = 'expired', decided_at = \(bind: now.epochMilliseconds)
                WHERE state = 'pending' AND expires_at <= \(bind: now.epochMilliseconds) \(only) RETURNING id
                """).all(decoding: Expired.self)
            for request in expired { try await Self.audit(request.id, actor: "system", action: "expired", detail: nil, at: now, in: db) }
        }
    }

    /// The request as it stands, an expired one marked so first.
    private func view(_ id: String) async throws -> SignRequest {
        try await self.expire(id)
        return try await self.read(id)
    }

    private func read(_ id: String) async throws -> SignRequest {
        struct AuditRow: Decodable { let at: Int64; let actor: String; let action: String; let detail: String? }
        let (row, audit) = try await self.runtime.database.read { db in
            (try await db.select().columns("id", "file_id", "signer", "requested_by", "reason", "state", "created_at", "expires_at", "signature_number")
                .from("sign_requests").where("id", .equal, id).first(decoding: Row.self),
             try await db.select().columns("at", "actor", "action", "detail").from("sign_request_audit").where("request_id", .equal, id)
                .orderBy("at").all(decoding: AuditRow.self))
        }
        guard let row else { throw Problem.notFound("There is no sign request with the id \(id).") }
        var signature: SignatureView?
        if let number = row.signature_number { signature = try await self.signatures.list(row.file_id).first { $0.number == number } }
        return SignRequest(id: row.id, documentId: row.file_id, signer: row.signer, requestedBy: row.requested_by, reason: row.reason, state: row.state,
                           createdAt: Date(epochMilliseconds: row.created_at), expiresAt: Date(epochMilliseconds: row.expires_at),
                           signature: signature,
                           audit: audit.map { .init(at: Date(epochMilliseconds: $0.at), actor: $0.actor, action: $0.action, detail: $0.detail) })
    }

    private static func audit(_ id: String, actor: String, action: String, detail: String?, at: Date, in db: any SQLDatabase) async throws {
        try await db.insert(into: "sign_request_audit").columns("id", "request_id", "at", "actor", "action", "detail")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(id), SQLBind(at.epochMilliseconds), SQLBind(actor), SQLBind(action), SQLBind(detail))
            .run()
    }

    static func wrongCode() -> Problem {
        Problem.validation([FieldIssue(field: "code", code: "otp.wrong", vi: "Mã xác thực không đúng hoặc đã dùng.",
                                       en: "The code is wrong or was used already; enter the code your authenticator app shows now.")])
    }
}
