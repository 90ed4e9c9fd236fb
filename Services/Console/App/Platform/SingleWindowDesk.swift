import Contracts
import DomainKit
import Foundation
import ServiceKit

/// Single-window as an officer sees it: every call carries the officer's own token, so single-window decides what
/// they may read and do (their agency, their role) and the console only shows its answers.
struct SingleWindowDesk: Sendable {
    let client: ServiceClient

    func inbox(_ query: String, as token: String, requestID: String) async throws -> InboxPage {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/inbox" + (query.isEmpty ? "" : "?" + query),
                                   requestID: requestID, authorization: "Bearer " + token).decode(InboxPage.self)
    }

    /// The filtered list as single-window's CSV; the answer as it came (a refusal is a problem to show).
    func export(_ query: String, as token: String, requestID: String) async throws -> ServiceResponse {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/inbox/export" + (query.isEmpty ? "" : "?" + query),
                                   requestID: requestID, authorization: "Bearer " + token)
    }

    /// The catalog's sectors (public).
    func sectors(requestID: String) async throws -> [SectorCount] {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/sectors", requestID: requestID).decode([SectorCount].self)
    }

    func procedures(_ query: String, as token: String, requestID: String) async throws -> ProcedurePage {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/procedures?" + query, requestID: requestID,
                                   authorization: "Bearer " + token).decode(ProcedurePage.self)
    }

    func procedure(_ code: String, as token: String, requestID: String) async throws -> Procedure {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/procedures/" + code.pathSegment,
                                   requestID: requestID, authorization: "Bearer " + token).decode(Procedure.self)
    }

    /// A new dossier (at the counter: received at once by the officer who sends it).
    func submit(_ request: SubmitDossierRequest, as token: String, requestID: String) async throws -> DossierView {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers", body: try StreamingJSON.encode(request),
                                   requestID: requestID, authorization: "Bearer " + token).decode(DossierView.self)
    }

    func agency(_ code: String, as token: String, requestID: String) async throws -> Agency {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/agencies/" + code.pathSegment, requestID: requestID,
                                   authorization: "Bearer " + token).decode(Agency.self)
    }

    func dossier(_ id: String, as token: String, requestID: String) async throws -> DossierView {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/dossiers/" + id.pathSegment, requestID: requestID,
                                   authorization: "Bearer " + token).decode(DossierView.self)
    }

    /// A Circular 01/2018 form of the dossier as data (01 receipt … 05 process control sheet).
    func form(_ number: String, of id: String, as token: String, requestID: String) async throws -> DossierForm {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/forms/\(number.pathSegment)",
                                   requestID: requestID, authorization: "Bearer " + token).decode(DossierForm.self)
    }

    func act(_ action: DossierActionRequest, on id: String, as token: String, requestID: String) async throws -> DossierView {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/actions",
                                   body: try StreamingJSON.encode(action), requestID: requestID, authorization: "Bearer " + token)
            .decode(DossierView.self)
    }

    func assign(_ id: String, to officer: String, expectedVersion: Int, as token: String, requestID: String) async throws -> DossierView {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/assign",
                                   body: try StreamingJSON.encode(AssignRequest(officer: officer, expectedVersion: expectedVersion)),
                                   requestID: requestID, authorization: "Bearer " + token).decode(DossierView.self)
    }

    /// Files the unsigned result and names the leader who signs it (documents opens the sign request).
    func draftResult(_ id: String, _ draft: ResultDraftRequest, as token: String, requestID: String) async throws -> DossierView {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/result-draft",
                                   body: try StreamingJSON.encode(draft), requestID: requestID, authorization: "Bearer " + token).decode(DossierView.self)
    }

    /// The leader's letter of apology with a new appointment date (form 04, sent to the applicant).
    func apologise(_ id: String, reason: String, newAppointment: LocalDate, expectedVersion: Int, as token: String, requestID: String) async throws {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/apology",
                                                body: try StreamingJSON.encode(ApologyRequest(reason: reason, newAppointment: newAppointment,
                                                                                              expectedVersion: expectedVersion)),
                                                requestID: requestID, authorization: "Bearer " + token).succeeded()
    }

    /// A report of `/v1/reports/…` (settlement, indicators, dossiers) with the page's filters.
    func report<Answer: Decodable>(_ name: String, _ query: String, as type: Answer.Type, token: String, requestID: String) async throws -> Answer {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/reports/\(name.pathSegment)?" + query, requestID: requestID,
                                   authorization: "Bearer " + token).decode(Answer.self)
    }

    /// Form 06, the agency's register of dossiers, a page of it.
    func trackingLog(_ agency: String, _ query: String, as token: String, requestID: String) async throws -> TrackingLog {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/agencies/\(agency.pathSegment)/forms/06?" + query,
                                   requestID: requestID, authorization: "Bearer " + token).decode(TrackingLog.self)
    }

    /// Every agency (public).
    func allAgencies(requestID: String) async throws -> [Agency] {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/agencies", requestID: requestID).decode([Agency].self)
    }

    // MARK: The catalog, as its administrator edits it

    func procedureRow(_ code: String, as token: String, requestID: String) async throws -> ProcedureRow {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/procedures/\(code.pathSegment)/row", requestID: requestID,
                                   authorization: "Bearer " + token).decode(ProcedureRow.self)
    }

    func versions(_ code: String, as token: String, requestID: String) async throws -> [ProcedureVersion] {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/procedures/\(code.pathSegment)/versions", requestID: requestID,
                                   authorization: "Bearer " + token).decode([ProcedureVersion].self)
    }

    /// An import (`csv` or `json`); single-window checks every row and writes the good ones (an admin's token).
    func importCatalog(_ data: Data, format: String, dryRun: Bool, as token: String, requestID: String) async throws -> ImportReport {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/procedures/import?format=\(format.pathSegment)&dryRun=\(dryRun)",
                                   body: data, requestID: requestID, idempotent: false, authorization: "Bearer " + token).decode(ImportReport.self)
    }

    func exportCatalog(format: String, requestID: String) async throws -> ServiceResponse {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/procedures/export?format=\(format.pathSegment)", requestID: requestID)
            .succeeded()
    }

    /// Actions on dossiers by a person or on a dossier (the audit trail; admins).
    func audit(_ query: String, as token: String, requestID: String) async throws -> [AuditEntry] {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/audit/dossiers?" + query, requestID: requestID,
                                   authorization: "Bearer " + token).decode([AuditEntry].self)
    }
}
