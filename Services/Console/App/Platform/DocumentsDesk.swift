import Contracts
import Foundation
import Hummingbird
import NIOCore
import PageKit
import ServiceKit

/// The documents service as a leader sees it: the sign requests addressed to them, the file to read before signing,
/// and approval with the authenticator's one-time code. Documents checks the code, locks a request after too many
/// wrong ones, and signs; the console only carries the leader's token and shows the answers.
struct DocumentsDesk: Sendable {
    let client: ServiceClient

    func pending(as token: String, requestID: String) async throws -> [SignRequest] {
        try await self.client.send(.GET, service: Topology.documents, path: "/v1/sign-requests?state=pending", requestID: requestID,
                                   authorization: "Bearer " + token).decode([SignRequest].self)
    }

    func request(_ id: String, as token: String, requestID: String) async throws -> SignRequest {
        try await self.client.send(.GET, service: Topology.documents, path: "/v1/sign-requests/" + id.pathSegment, requestID: requestID,
                                   authorization: "Bearer " + token).decode(SignRequest.self)
    }

    func approve(_ id: String, code: String, as token: String, requestID: String) async throws {
        struct Body: Encodable { let code: String }
        try await self.client.send(.POST, service: Topology.documents, path: "/v1/sign-requests/\(id.pathSegment)/approve",
                                                body: try StreamingJSON.encode(Body(code: code)), requestID: requestID, authorization: "Bearer " + token).succeeded()
    }

    /// Several requests signed with one code; documents checks them all before signing any.
    func approve(_ ids: [String], code: String, as token: String, requestID: String) async throws {
        struct Body: Encodable { let ids: [String]; let code: String }
        try await self.client.send(.POST, service: Topology.documents, path: "/v1/sign-requests/approvals",
                                   body: try StreamingJSON.encode(Body(ids: ids, code: code)), requestID: requestID, authorization: "Bearer " + token).succeeded()
    }

    func refuse(_ id: String, reason: String, as token: String, requestID: String) async throws {
        struct Body: Encodable { let reason: String }
        try await self.client.send(.POST, service: Topology.documents, path: "/v1/sign-requests/\(id.pathSegment)/refuse",
                                                body: try StreamingJSON.encode(Body(reason: reason)), requestID: requestID, authorization: "Bearer " + token).succeeded()
    }

    /// Stores a file the officer uploaded, under their own token (documents types it by its first bytes).
    func store(_ file: MultipartForm.File, as token: String, requestID: String) async throws -> UploadedFile {
        try await file.store(with: self.client, token: token, requestID: requestID)
    }

    /// A stored file for the officer's browser, read with their token (documents decides who may): a PDF or an image
    /// is shown in the browser, anything else is downloaded, so nothing a citizen uploaded runs as a page of the console.
    func file(_ fileID: String, as token: String, requestID: String) async throws -> Response {
        let content = try await self.client.send(.GET, service: Topology.documents, path: "/v1/files/\(fileID.pathSegment)/content", requestID: requestID,
                                                 authorization: "Bearer " + token).succeeded()
        let type = content.headers.first { $0.0.lowercased() == "content-type" }?.1 ?? "application/octet-stream"
        let shown = type.hasPrefix("application/pdf") || ["image/png", "image/jpeg", "image/webp"].contains { type.hasPrefix($0) }
        return Response(status: .ok, headers: [.contentType: shown ? type : "application/octet-stream", .cacheControl: "no-store",
                                               .contentDisposition: shown ? "inline" : "attachment"],
                        body: .init(byteBuffer: ByteBuffer(data: content.body)))
    }
}
