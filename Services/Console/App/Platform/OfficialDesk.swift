import Contracts
import DomainKit
import Foundation
import ServiceKit

/// The documents service's official documents as an agency's staff use them, every call with their own token:
/// drafts sent for signature, numbering, the outgoing and incoming registers, dispatch, reminders, acknowledgement.
struct OfficialDesk: Sendable {
    let client: ServiceClient

    private func get<Answer: Decodable>(_ path: String, as type: Answer.Type, token: String, requestID: String) async throws -> Answer {
        try await self.client.send(.GET, service: Topology.documents, path: path, requestID: requestID, authorization: "Bearer " + token)
            .decode(Answer.self)
    }

    private func post<Answer: Decodable>(_ path: String, _ body: some Encodable, as type: Answer.Type, token: String, requestID: String) async throws -> Answer {
        try await self.client.send(.POST, service: Topology.documents, path: path, body: try StreamingJSON.encode(body), requestID: requestID,
                                   authorization: "Bearer " + token).decode(Answer.self)
    }

    struct Empty: Encodable {}

    func drafts(as token: String, requestID: String) async throws -> [OfficialDraft] {
        try await self.get("/v1/official-documents/drafts", as: [OfficialDraft].self, token: token, requestID: requestID)
    }

    func draft(_ id: String, as token: String, requestID: String) async throws -> OfficialDraft {
        try await self.get("/v1/official-documents/drafts/" + id.pathSegment, as: OfficialDraft.self, token: token, requestID: requestID)
    }

    func compose(_ draft: NewOfficialDraft, as token: String, requestID: String) async throws -> OfficialDraft {
        try await self.post("/v1/official-documents/drafts", draft, as: OfficialDraft.self, token: token, requestID: requestID)
    }

    func number(_ id: String, as token: String, requestID: String) async throws -> OfficialDocument {
        try await self.post("/v1/official-documents/drafts/\(id.pathSegment)/number", Empty(), as: OfficialDocument.self, token: token, requestID: requestID)
    }

    func document(_ id: String, as token: String, requestID: String) async throws -> OfficialDocument {
        try await self.get("/v1/official-documents/" + id.pathSegment, as: OfficialDocument.self, token: token, requestID: requestID)
    }

    func dispatch(_ id: String, to recipients: [String], as token: String, requestID: String) async throws -> OfficialDocument {
        struct Body: Encodable { let recipients: [String] }
        return try await self.post("/v1/official-documents/\(id.pathSegment)/dispatch", Body(recipients: recipients), as: OfficialDocument.self, token: token,
                                   requestID: requestID)
    }

    func remind(_ id: String, as token: String, requestID: String) async throws -> OfficialDocument {
        try await self.post("/v1/official-documents/\(id.pathSegment)/remind", Empty(), as: OfficialDocument.self, token: token, requestID: requestID)
    }

    func acknowledge(_ dispatch: String, as token: String, requestID: String) async throws -> OfficialDocument {
        try await self.post("/v1/dispatches/\(dispatch.pathSegment)/acknowledge", Empty(), as: OfficialDocument.self, token: token, requestID: requestID)
    }

    func assign(_ dispatch: String, to officer: String, as token: String, requestID: String) async throws -> OfficialDocument {
        struct Body: Encodable { let officer: String }
        return try await self.post("/v1/dispatches/\(dispatch.pathSegment)/assign", Body(officer: officer), as: OfficialDocument.self, token: token,
                                   requestID: requestID)
    }

    /// `outgoing` or `incoming`, searched with the register's query (q, number, agency, from, to, limit).
    func outgoing(_ query: String, as token: String, requestID: String) async throws -> [OfficialDocument] {
        try await self.get("/v1/registers/outgoing?" + query, as: [OfficialDocument].self, token: token, requestID: requestID)
    }

    func incoming(_ query: String, as token: String, requestID: String) async throws -> [IncomingEntry] {
        try await self.get("/v1/registers/incoming?" + query, as: [IncomingEntry].self, token: token, requestID: requestID)
    }
}
