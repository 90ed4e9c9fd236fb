import Contracts
import DomainKit
import Foundation
import NIOHTTP1
import ServiceKit

/// The portal's calls to single-window: the catalog, agencies and the public look-up. Agencies and sectors change
/// rarely and appear on many pages, so they are kept for five minutes.
struct SingleWindowGateway: Sendable {
    let client: ServiceClient
    let reference = ReferenceCache(lifetime: 300)

    struct ProcedureFilter: Sendable, Equatable {
        var text = ""
        var sector = ""
        var agency = ""
        var level: ServiceLevel?
        var scope: OnlineScope?
        var page = 1

        /// The filter as a query string (for single-window, and for the page's own links).
        func query(page: Int? = nil) -> String {
            var parts: [String] = []
            if !self.text.isEmpty { parts.append("q=" + FormEncoding.encode(self.text)) }
            if !self.sector.isEmpty { parts.append("sector=" + FormEncoding.encode(self.sector)) }
            if !self.agency.isEmpty { parts.append("agency=" + FormEncoding.encode(self.agency)) }
            if let level = self.level { parts.append("level=\(level.rawValue)") }
            if let scope = self.scope { parts.append("online=\(scope.rawValue)") }
            let page = page ?? self.page
            if page > 1 { parts.append("page=\(page)") }
            return parts.joined(separator: "&")
        }
    }

    func procedures(_ filter: ProcedureFilter, pageSize: Int = 20, requestID: String?) async throws -> ProcedurePage {
        try await self.client.get(ProcedurePage.self, service: Topology.singleWindow,
                                  path: "/v1/procedures?" + filter.query() + "&pageSize=\(pageSize)", requestID: requestID)
    }

    /// The procedure, or nil when single-window has none with this code.
    func procedure(_ code: String, requestID: String?) async throws -> Procedure? {
        let response = try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/procedures/" + code.pathSegment, requestID: requestID)
        if response.status == 404 { return nil }
        return try response.decode(Procedure.self)
    }

    func sectors(requestID: String?) async throws -> [SectorCount] {
        try await self.reference.value("sectors") {
            try await self.client.get([SectorCount].self, service: Topology.singleWindow, path: "/v1/sectors", requestID: requestID)
        }
    }

    func agencies(requestID: String?) async throws -> [Agency] {
        try await self.reference.value("agencies") {
            try await self.client.get([Agency].self, service: Topology.singleWindow, path: "/v1/agencies", requestID: requestID)
        }
    }

    /// The public look-up, passed on with the citizen's address so that single-window's limit counts the citizen,
    /// not the portal. The answer's status and body as single-window gave them.
    func lookup(code: String, phoneDigits: String, clientAddress: String, requestID: String?) async throws -> ServiceResponse {
        try await self.client.send(.GET, service: Topology.singleWindow,
                                   path: "/v1/lookup/" + code.pathSegment + "?phone=" + FormEncoding.encode(phoneDigits),
                                   headers: [("X-Forwarded-For", clientAddress)], requestID: requestID)
    }
}

extension SingleWindowGateway {
    /// Calls made for a signed-in citizen carry the citizen's own token, so single-window shows only their dossiers.
    func myDossiers(page: Int, token: String, requestID: String?) async throws -> Page<InboxItem> {
        try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/my/dossiers?page=\(page)&pageSize=20", requestID: requestID,
                                   authorization: "Bearer " + token).decode(Page<InboxItem>.self)
    }

    /// The citizen's dossier, or nil when there is none they may see.
    func dossier(_ id: String, token: String, requestID: String?) async throws -> DossierView? {
        let response = try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/dossiers/" + id.pathSegment, requestID: requestID,
                                                  authorization: "Bearer " + token)
        if response.status == 404 || response.status == 403 { return nil }
        return try response.decode(DossierView.self)
    }

    /// A Circular 01 form's data, or nil while it does not apply yet (a receipt before reception).
    func form<T: Decodable & Sendable>(_ number: String, of id: String, as type: T.Type, token: String, requestID: String?) async throws -> T? {
        let response = try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/forms/\(number)",
                                                  requestID: requestID, authorization: "Bearer " + token)
        if response.status == 409 || response.status == 404 { return nil }
        return try response.decode(T.self)
    }

    /// An action on the citizen's dossier (a supplement, a withdrawal); single-window's answer as it is.
    func act(_ id: String, _ action: DossierActionRequest, token: String, requestID: String?) async throws -> ServiceResponse {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/actions",
                                   body: try StreamingJSON.encode(action), requestID: requestID, idempotent: false, authorization: "Bearer " + token)
    }

    func rate(_ id: String, _ rating: RatingRequest, token: String, requestID: String?) async throws -> ServiceResponse {
        try await self.client.send(.POST, service: Topology.singleWindow, path: "/v1/dossiers/\(id.pathSegment)/rating",
                                   body: try StreamingJSON.encode(rating), requestID: requestID, idempotent: false, authorization: "Bearer " + token)
    }

    /// What the dossier owes (service token).
    func fees(code: String, requestID: String?) async throws -> DossierFees {
        try await self.client.get(DossierFees.self, service: Topology.singleWindow, path: "/v1/dossiers/by-code/\(code.pathSegment)/fees",
                                  requestID: requestID)
    }
}

/// Values fetched from another service and kept for a while: a failed fetch keeps serving the last good value.
actor ReferenceCache {
    private let lifetime: TimeInterval
    private var entries: [String: (value: any Sendable, fetchedAt: Date)] = [:]

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    func forget(_ key: String) {
        self.entries[key] = nil
    }

    func value<T: Sendable>(_ key: String, fetch: @Sendable () async throws -> T) async throws -> T {
        if let entry = self.entries[key], let value = entry.value as? T, Date().timeIntervalSince(entry.fetchedAt) < self.lifetime {
            return value
        }
        do {
            let value = try await fetch()
            self.entries[key] = (value, Date())
            return value
        } catch {
            if let stale = self.entries[key]?.value as? T { return stale }
            throw error
        }
    }
}
