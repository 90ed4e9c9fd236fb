import Contracts
import Foundation
import ServiceKit
import SQLKit

/// Sign requests and their audit trail. Each change of state is written with its audit entry and its event in one
/// transaction: `document.sign-requested` when made, `document.signed` when approved, `document.sign-declined` when
/// refused or expired.
struct SignRequestStore: Sendable {
    let runtime: ServiceRuntime
    let signatures: SignatureStore
    /// How long a request waits for the leader.
    let lifetime: TimeInterval

    private struct Row: Decodable {
        let id: String, file_id: String, signer: String, requested_by: String, reason: String?, dossier_id: String?, state: String
        let created_at: Int64, expires_at: Int64, signature_number: Int?
    }

    /// A new pending request, written inside the caller's transaction with its audit entry and its event.
    func open(id: String, file: StoredFile, signer: String, requestedBy: String, reason: String?, dossierID: String?, requestID: String?,
              at now: Date, in db: any SQLDatabase) async throws {
        let expires = now.addingTimeInterval(self.lifetime)
        try await db.insert(into: "sign_requests")
            .columns("id", "file_id", "signer", "requested_by", "reason", "dossier_id", "state", "created_at", "expires_at")
            .values(SQLBind(id), SQLBind(file.id), SQLBind(signer), SQLBind(requestedBy), SQLBind(reason), SQLBind(dossierID), SQLBind("pending"),
                    SQLBind(now.epochMilliseconds), SQLBind(expires.epochMilliseconds))
            .run()
        try await Self.audit(id, actor: requestedBy, action: "requested", detail: reason, at: now, in: db)
        // The leader hears of it in the app's inbox (notifications).
        try await self.runtime.outbox.enqueue(try EventEnvelope(
            type: EventType.documentSignRequested, source: self.runtime.settings.name, requestId: requestID,
            payload: SignRequestEvent(requestId: id, documentId: file.id, documentName: file.name, signer: signer, requestedBy: requestedBy,
                                      reason: reason, expiresAt: expires, dossierId: dossierID)), in: db)
    }

    /// Signs the request's file as the leader, marks it signed and tells single-window, all at once: a crash leaves
    /// either a pending request or a signed one with its event, never a signature nobody hears of.
    func approve(_ request: SignRequest, as identity: Identity, file: StoredFile, at now: Date, requestID: String?) async throws {
        _ = try await self.signatures.sign(file, as: identity, at: now) { db, signature in
            try await db.update("sign_requests").set("state", to: SQLBind("signed")).set("decided_at", to: SQLBind(now.epochMilliseconds))
                .set("signature_number", to: SQLBind(signature.number)).where("id", .equal, request.id).run()
            try await Self.audit(request.id, actor: identity.subject, action: "approved", detail: "signature \(signature.number) \(signature.code)",
                                 at: now, in: db)
            try await self.runtime.outbox.enqueue(try EventEnvelope(
                type: EventType.documentSigned, source: self.runtime.settings.name, requestId: requestID,
                payload: signature.event(of: file.id, request: request.id, dossier: request.dossierId)), in: db)
        }
    }

    func refuse(_ request: SignRequest, by subject: String, reason: String, at now: Date, requestID: String?) async throws {
        try await self.runtime.database.transaction { db in
            try await db.update("sign_requests").set("state", to: SQLBind("refused")).set("decided_at", to: SQLBind(now.epochMilliseconds))
                .where("id", .equal, request.id).run()
            try await Self.audit(request.id, actor: subject, action: "refused", detail: reason, at: now, in: db)
            try await self.declined(request.id, file: request.documentId, dossier: request.dossierId, state: "refused", by: subject, reason: reason,
                                    requestID: requestID, in: db)
        }
    }

    /// Wrong codes a request takes; the next one locks it.
    static let allowedWrongCodes = 5

    enum WrongCode: Equatable {
        /// Tries left before the request locks.
        case tryAgain(left: Int)
        /// This wrong code locked the request (or it was locked already): the officer asks again.
        case locked
    }

    /// Writes a wrong code into the request's audit; the sixth locks the request, which is then declined like a refusal
    /// (single-window clears the draft, so the officer makes a new request). Concurrent wrong codes lock it once.
    func wrongCode(_ request: SignRequest, by subject: String, at now: Date, requestID: String?) async throws -> WrongCode {
        try await self.runtime.database.transaction { db in
            try await Self.audit(request.id, actor: subject, action: "wrong-code", detail: nil, at: now, in: db)
            struct Count: Decodable { let n: Int }
            let wrong = try await db.raw("""
                SELECT COUNT(*) AS n FROM sign_request_audit WHERE request_id = \(bind: request.id) AND action = 'wrong-code'
                """).first(decoding: Count.self)?.n ?? 0
            guard wrong > Self.allowedWrongCodes else { return .tryAgain(left: Self.allowedWrongCodes + 1 - wrong) }
            struct Locked: Decodable { let id: String }
            let locked = try await db.raw("""
                UPDATE sign_requests SET state = 'locked', decided_at = \(bind: now.epochMilliseconds)
                WHERE id = \(bind: request.id) AND state = 'pending' RETURNING id
                """).all(decoding: Locked.self)
            if !locked.isEmpty {
                let reason = "\(wrong) mã xác thực sai liên tiếp; yêu cầu ký đã bị khóa"
                try await Self.audit(request.id, actor: "system", action: "locked", detail: reason, at: now, in: db)
                try await self.declined(request.id, file: request.documentId, dossier: request.dossierId, state: "locked", by: subject, reason: reason,
                                        requestID: requestID, in: db)
            }
            return .locked
        }
    }

    /// Marks pending requests past their time expired (one request, or all of them), each once, audited and told.
    /// The number expired.
    @discardableResult
    func expire(_ id: String?, at now: Date) async throws -> Int {
        try await self.runtime.database.transaction { db in
            struct Expired: Decodable { let id: String; let file_id: String; let dossier_id: String? }
            let only: SQLQueryString = id.map { "AND id = \(bind: $0)" } ?? ""
            let expired = try await db.raw("""
                UPDATE sign_requests SET state = 'expired', decided_at = \(bind: now.epochMilliseconds)
                WHERE state = 'pending' AND expires_at <= \(bind: now.epochMilliseconds) \(only) RETURNING id, file_id, dossier_id
                """).all(decoding: Expired.self)
            for request in expired {
                try await Self.audit(request.id, actor: "system", action: "expired", detail: nil, at: now, in: db)
                try await self.declined(request.id, file: request.file_id, dossier: request.dossier_id, state: "expired", by: "system", reason: nil,
                                        requestID: nil, in: db)
            }
            return expired.count
        }
    }

    /// The ids of requests in `state`, newest first; those addressed to `signer` when given.
    func ids(state: String, signer: String?) async throws -> [String] {
        struct Identifier: Decodable { let id: String }
        return try await self.runtime.database.read { db in
            var select = db.select().columns("id").from("sign_requests").where("state", .equal, state)
            if let signer { select = select.where("signer", .equal, signer) }
            return try await select.orderBy("created_at", .descending).limit(200).all(decoding: Identifier.self)
        }.map(\.id)
    }

    func read(_ id: String) async throws -> SignRequest {
        struct AuditRow: Decodable { let at: Int64; let actor: String; let action: String; let detail: String? }
        let (row, audit) = try await self.runtime.database.read { db in
            (try await db.select()
                .columns("id", "file_id", "signer", "requested_by", "reason", "dossier_id", "state", "created_at", "expires_at", "signature_number")
                .from("sign_requests").where("id", .equal, id).first(decoding: Row.self),
             try await db.select().columns("at", "actor", "action", "detail").from("sign_request_audit").where("request_id", .equal, id)
                .orderBy("at").all(decoding: AuditRow.self))
        }
        guard let row else { throw Problem.notFound("There is no sign request with the id \(id).") }
        var signature: SignatureView?
        if let number = row.signature_number { signature = try await self.signatures.list(row.file_id, number: number).first }
        return SignRequest(id: row.id, documentId: row.file_id, signer: row.signer, requestedBy: row.requested_by, reason: row.reason,
                           dossierId: row.dossier_id, state: row.state, createdAt: Date(epochMilliseconds: row.created_at),
                           expiresAt: Date(epochMilliseconds: row.expires_at), signature: signature,
                           audit: audit.map { .init(at: Date(epochMilliseconds: $0.at), actor: $0.actor, action: $0.action, detail: $0.detail) })
    }

    private func declined(_ id: String, file: String, dossier: String?, state: String, by: String, reason: String?, requestID: String?,
                          in db: any SQLDatabase) async throws {
        try await self.runtime.outbox.enqueue(try EventEnvelope(
            type: EventType.documentSignDeclined, source: self.runtime.settings.name, requestId: requestID,
            payload: SignDeclinedEvent(requestId: id, documentId: file, dossierId: dossier, state: state, by: by, reason: reason)), in: db)
    }

    private static func audit(_ id: String, actor: String, action: String, detail: String?, at: Date, in db: any SQLDatabase) async throws {
        try await db.insert(into: "sign_request_audit").columns("id", "request_id", "at", "actor", "action", "detail")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(id), SQLBind(at.epochMilliseconds), SQLBind(actor), SQLBind(action), SQLBind(detail))
            .run()
    }
}
