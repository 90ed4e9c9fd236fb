import Contracts
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// Signing stored files (results, official documents) and checking signatures: with a document's id, with a file and
/// a signature sent together, or with the short code printed on a result (public).
struct SignatureController {
    let signatures: SignatureStore
    let files: FileController
    let runtime: ServiceRuntime
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/documents/:id/signatures", use: self.sign)
        router.get("/v1/documents/:id/signatures", use: self.list)
        router.get("/v1/documents/:id/signatures/:n", use: self.der)
        router.post("/v1/verify", use: self.verify)
        router.get("/v1/verify/:code", use: self.check)
        openAPI.add("POST", "/v1/documents/:id/signatures", summary: "Sign a stored file (its id) with your current certificate: a detached CMS "
                    + "signature (SHA-256, signing time, your certificate); each further signature counter-signs", tag: "signatures",
                    responses: [201: ("The signature's number and verification code", Schema.anyObject), 404: ("No such file (or not yours)", nil),
                                409: ("No certificate that can sign now (none, expired, revoked)", nil)], token: true)
        openAPI.add("GET", "/v1/documents/:id/signatures", summary: "The signatures on a file, in order", tag: "signatures",
                    responses: [200: ("The signatures", Schema.anyObject)], token: true)
        openAPI.add("GET", "/v1/documents/:id/signatures/:n", summary: "Signature n as DER (application/pkcs7-signature), for openssl cms -verify",
                    tag: "signatures", responses: [200: ("DER", nil), 404: ("No such signature", nil)], token: true)
        openAPI.add("POST", "/v1/verify", summary: "Check signatures: {documentId} (every signature on it) or {file, signature} in base64; "
                    + "answers integrity, chain, revocation, signer, agency, signing time, and the reason when it fails", tag: "signatures",
                    request: Schema.object(["documentId": Schema.string, "file": Schema.string, "signature": Schema.string]),
                    responses: [200: ("The verifications", Schema.anyObject), 400: ("Neither a document nor a file and signature", nil)], token: true)
        openAPI.add("GET", "/v1/verify/:code", summary: "Public: the check of the signature a printed code stands for", tag: "signatures",
                    responses: [200: ("The verification and the file's name", Schema.anyObject), 404: ("No such code", nil)])
    }

    @Sendable func sign(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin)
        let file = try await self.files.readable(try context.parameters.require("id"), by: identity)
        let outbox = self.runtime.outbox, source = self.runtime.settings.name
        let signature = try await self.signatures.sign(file, as: identity, at: self.now()) { db, signature in
            try await outbox.enqueue(try EventEnvelope(type: EventType.documentSigned, source: source, requestId: context.requestID,
                                                       payload: signature.event(of: file.id)), in: db)
        }
        return try Response.json(signature, status: .created, location: "/v1/documents/\(file.id)/signatures/\(signature.number)")
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let file = try await self.files.readable(try context.parameters.require("id"), by: try context.requireIdentity())
        return try Response.json(try await self.signatures.list(file.id))
    }

    @Sendable func der(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let file = try await self.files.readable(try context.parameters.require("id"), by: try context.requireIdentity())
        let number = try context.parameters.require("n", as: Int.self)
        guard let der = try await self.signatures.der(file.id, number: number) else {
            throw Problem.notFound("File \(file.id) has no signature number \(number).")
        }
        return Response(status: .ok, headers: [.contentType: "application/pkcs7-signature",
                                               .contentDisposition: "attachment; filename=\"\(file.id)-\(number).p7s\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: der)))
    }

    struct Asked: Decodable {
        var documentId: String?
        var file: String?
        var signature: String?
    }

    typealias Checked = DocumentVerification

    @Sendable func verify(_ request: Request, context: ServiceRequestContext) async throws -> Checked {
        let identity = try context.requireIdentity()
        let asked = try await request.decodeJSON(as: Asked.self, limit: 40 * 1024 * 1024)
        if let id = asked.documentId {
            return try await self.checked(try await self.files.readable(id, by: identity), number: nil)
        }
        guard let file = asked.file.flatMap({ Data(base64Encoded: $0) }), let signature = asked.signature.flatMap({ Data(base64Encoded: $0) }) else {
            throw Problem.badRequest("Send {\"documentId\"} of a stored file, or {\"file\", \"signature\"} both in base64.")
        }
        return Checked(document: nil, name: nil, verifications: [await self.signatures.verify(content: file, signature: Array(signature), now: self.now())])
    }

    @Sendable func check(_ request: Request, context: ServiceRequestContext) async throws -> Checked {
        let code = try context.parameters.require("code")
        guard let (fileID, number) = try await self.signatures.find(code: code), let file = try await self.files.files.find(fileID) else {
            throw Problem.notFound("No signed result has the code \(code).")
        }
        return try await self.checked(file, number: number)
    }

    private func checked(_ file: StoredFile, number: Int?) async throws -> Checked {
        let content = try Data(contentsOf: URL(fileURLWithPath: self.files.blobs.path(of: file.sha256)))
        var verifications: [Verification] = []
        for (signature, der) in try await self.signatures.signed(file.id) where number == nil || signature.number == number {
            verifications.append(await self.signatures.verify(content: content, signature: der, now: self.now()))
        }
        return Checked(document: file.id, name: file.name, verifications: verifications)
    }
}

extension DocumentVerification: ResponseEncodable {}
