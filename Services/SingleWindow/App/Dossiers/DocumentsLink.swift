import Contracts
import DomainKit
import Foundation
import NIOHTTP1
import ServiceKit

/// What single-window asks the documents service about a dossier's files before it changes the dossier: that a
/// result is signed (and its verification code, for the portal to print), that a drafted result is a file of the
/// dossier's agency, and that attachments exist and are the submitter's own — which opens them to the agency that
/// handles the dossier. When documents cannot answer the officer or citizen is told to try again (503) and nothing
/// changed.
struct DocumentsLink: Sendable {
    let client: ServiceClient
    /// `DOCUMENTS_CHECKS=off` skips every check (a province without the documents service).
    let enabled: Bool

    private struct Signature: Decodable { let number: Int; let code: String }
    private struct File: Decodable { let id: String; let agency: String? }

    /// The verification code of the file's newest signature; 422 when the file is unknown or unsigned.
    func verificationCode(of fileID: String, requestID: String?) async throws -> String? {
        guard self.enabled else { return nil }
        let response = try await self.ask(.GET, "/v1/documents/\(fileID.pathSegment)/signatures", requestID: requestID)
        if response.status == 404 { throw Self.unknownResult(fileID, field: "result.fileId") }
        guard let signatures = try? response.decode([Signature].self) else { throw Self.noAnswer }
        guard let newest = signatures.max(by: { $0.number < $1.number }) else {
            throw Problem.validation([FieldIssue(field: "result.fileId", code: "result.unsigned", vi: "Kết quả chưa được ký số.",
                                                 en: "The result is not signed yet: file it as a draft for the leader to sign (result-draft) first.")])
        }
        return newest.code
    }

    /// A drafted result is a stored file uploaded by staff of the dossier's agency; 422 otherwise.
    func checkDraft(_ fileID: String, agency: String, requestID: String?) async throws {
        guard self.enabled else { return }
        let response = try await self.ask(.GET, "/v1/files/\(fileID.pathSegment)", requestID: requestID)
        if response.status == 404 { throw Self.unknownResult(fileID, field: "fileId") }
        guard let file = try? response.decode(File.self) else { throw Self.noAnswer }
        guard file.agency == agency else {
            throw Problem.validation([FieldIssue(field: "fileId", code: "result.other-agency", vi: "Tệp kết quả không do cán bộ của cơ quan \(agency) tải lên.",
                                                 en: "The result file was not uploaded by staff of agency \(agency); upload it from this agency's account.")])
        }
    }

    /// Opens the attachments' files to `agency` after checking they exist and, with a `holder`, that they are the
    /// holder's own; 422 naming each attachment that is not. Paper attachments (no file) need nothing.
    func grant(_ attachments: [Attachment], to agency: String, holder: Identity?, requestID: String?) async throws {
        let ids = attachments.compactMap(\.fileId).filter { !$0.isEmpty }
        guard self.enabled, !ids.isEmpty else { return }
        let asked = FileGrantRequest(agency: agency, fileIds: ids, holder: holder.map { .init(subject: $0.subject, agency: $0.agency) })
        let response = try await self.ask(.POST, "/v1/file-grants", body: try StreamingJSON.encode(asked), requestID: requestID)
        if (200..<300).contains(response.status) { return }
        guard response.status == 422, let refused = response.problem.errors else { throw Self.noAnswer }
        throw Problem.validation(refused.map { issue in
            let name = attachments.first { $0.fileId == issue.field }?.documentName ?? issue.field
            return issue.code == "file.unknown"
                ? FieldIssue(field: "attachments", code: "attachment.unknown", vi: "Không tìm thấy tệp của \(name); hãy tải lên lại.",
                             en: "The file of \(name) is not stored; upload it again.")
                : FieldIssue(field: "attachments", code: "attachment.not-yours", vi: "Tệp của \(name) không phải do bạn tải lên.",
                             en: "The file of \(name) was not uploaded by you; attach your own copy.")
        })
    }

    private func ask(_ method: HTTPMethod, _ path: String, body: Data? = nil, requestID: String?) async throws -> ServiceResponse {
        do {
            return try await self.client.send(method, service: Topology.documents, path: path, body: body, requestID: requestID, idempotent: true)
        } catch {
            throw Problem(.serviceUnavailable, detail: "The documents service cannot be reached to check the dossier's files; try again shortly.")
        }
    }

    private static let noAnswer = Problem(.serviceUnavailable, detail: "The documents service did not answer about the dossier's files; try again shortly.")

    private static func unknownResult(_ fileID: String, field: String) -> Problem {
        Problem.validation([FieldIssue(field: field, code: "result.unknown", vi: "Không có tệp kết quả \(fileID).",
                                       en: "There is no stored file \(fileID); upload the result first.")])
    }
}
