import Contracts
import Foundation
import NIOHTTP1
import NIOCore
import PageKit
import ServiceKit

/// The portal's calls to documents: a citizen's files are stored there under the citizen's own token, so the
/// citizen owns them.
struct DocumentsGateway: Sendable {
    let client: ServiceClient

    /// Stores a file; its id, or the problem documents answered (413 too large, 415 a type not allowed).
    func upload(_ file: MultipartForm.File, token: String, requestID: String?) async throws -> UploadedFile {
        try await file.store(with: self.client, token: token, requestID: requestID)
    }

    /// A signed download link for a file, made with the portal's service token: the caller has checked the right.
    /// Documents answers a path on its own public address.
    func link(_ fileID: String, seconds: Int, requestID: String?) async throws -> String {
        struct Link: Decodable { let url: String }
        return try await self.client.send(.POST, service: Topology.documents, path: "/v1/files/\(fileID.pathSegment)/links",
                                          body: Data(#"{"seconds":\#(seconds)}"#.utf8), requestID: requestID, idempotent: false).decode(Link.self).url
    }

    /// The public check of a signed result by its printed code; nil when no result has it.
    func verification(code: String, requestID: String?) async throws -> DocumentVerification? {
        let response = try await self.client.send(.GET, service: Topology.documents, path: "/v1/verify/" + code.pathSegment, requestID: requestID)
        if response.status == 404 { return nil }
        return try response.decode(DocumentVerification.self)
    }
}
