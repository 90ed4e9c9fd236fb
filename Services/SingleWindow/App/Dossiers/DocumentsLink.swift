import Contracts
import DomainKit
import Foundation
import ServiceKit

/// A result is ready only when its file is a signed document in the documents service: single-window asks for the
/// file's signatures and keeps the newest one's verification code with the result, for the portal to print.
struct ResultDocuments: Sendable {
    let client: ServiceClient
    /// `RESULT_SIGNATURE_CHECK=off` skips the check (a province without the documents service).
    let enabled: Bool

    private struct Signature: Decodable { let number: Int; let code: String }

    /// The verification code of the file's newest signature; 422 when the file is unknown or unsigned, 503 when the
    /// documents service cannot answer (the officer tries again; nothing changed).
    func verificationCode(of fileID: String, requestID: String?) async throws -> String? {
        guard self.enabled else { return nil }
        let path = "/v1/documents/\(fileID.pathSegment)/signatures"
        let response: ServiceResponse
        do {
            response = try await self.client.send(.GET, service: Topology.documents, path: path, requestID: requestID)
        } catch {
            throw Problem(.serviceUnavailable, detail: "The documents service cannot be reached to check that the result is signed; try again shortly.")
        }
        if response.status == 404 {
            throw Problem.validation([FieldIssue(field: "result.fileId", code: "result.unknown", vi: "Không có tệp kết quả \(fileID).",
                                                 en: "There is no stored file \(fileID); upload the result first.")])
        }
        guard let signatures = try? response.decode([Signature].self) else {
            throw Problem(.serviceUnavailable, detail: "The documents service did not answer whether the result is signed; try again shortly.")
        }
        guard let newest = signatures.max(by: { $0.number < $1.number }) else {
            throw Problem.validation([FieldIssue(field: "result.fileId", code: "result.unsigned", vi: "Kết quả chưa được ký số.",
                                                 en: "The result is not signed yet: a leader signs it (or approves its sign request) first.")])
        }
        return newest.code
    }
}
