import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Filters for catalog search; nil means "any".
struct ProcedureQuery: Sendable {
    var text: String?
    var sector: String?
    var agency: Agency?
    var level: ServiceLevel?
    var scope: OnlineScope?
    var page = 1
    var pageSize = 20
}

/// The catalog's search summaries and the agencies held in memory (and procedures read in full, once each): a search filters a few thousand entries in microseconds instead of
/// scanning the table with LIKE twice (once for the page, once for the counts). The table stays the truth: every
/// catalog or agency write bumps a revision in its own transaction (`CatalogRevision`), and the index reloads when
/// the revision has moved — checked at most once per `recheck` (so another replica's import shows within that
/// time) and at once after a write through this process (`invalidate`).
actor CatalogIndex {
    /// A class, so that a search walking thousands of them retains one reference each, not every string inside.
    final class Entry: Sendable {
        let summary: ProcedureSummary
        let agencyCodes: [String]

        init(summary: ProcedureSummary, agencyCodes: [String]) {
            self.summary = summary
            self.agencyCodes = agencyCodes
        }
    }

    struct Snapshot: Sendable {
        let revision: Int64
        /// In the order results are listed: by name without diacritics, then code.
        let entries: [Entry]
        /// The words of each entry's code, name and sector, by position in `entries`.
        let words: WordIndex
        /// The level of every agency some procedure names.
        let namedLevels: [String: AgencyLevel]
        /// Every agency, as a tree (built once per load).
        let tree: AgencyTree

        /// Every agency, by code.
        var agencies: [String: Agency] { self.tree.agencies }
    }

    private let database: Database
    private let procedures: ProcedureRepository
    private let agencyRepository: AgencyRepository
    private let recheck: Duration
    /// Procedures read in full since the revision last moved (intake and actions read the same few again and again).
    private var decoded: [String: (procedure: Procedure, version: Int)] = [:]
    private var decodedRevision: Int64 = -1
    private var current: Snapshot?
    private var checkedAt: ContinuousClock.Instant?
    private var refreshing: Task<Snapshot, any Error>?

    init(database: Database, recheck: Duration = .seconds(1)) {
        self.database = database
        self.procedures = ProcedureRepository(database: database)
        self.agencyRepository = AgencyRepository(database: database)
        self.recheck = recheck
    }

    /// A procedure in full, from memory while the catalog has not changed.
    func procedure(_ code: String) async throws -> Procedure? { try await self.published(code)?.procedure }

    /// A procedure in full with the version it is published as, read together (a dossier keeps both).
    func published(_ code: String) async throws -> (procedure: Procedure, version: Int)? {
        let revision = try await self.snapshot().revision
        if self.decodedRevision != revision {
            self.decoded = [:]
            self.decodedRevision = revision
        }
        if let published = self.decoded[code] { return published }
        guard let published = try await self.procedures.published(code) else { return nil }
        if self.decodedRevision == revision { self.decoded[code] = published }
        return published
    }

    func agency(_ code: String) async throws -> Agency? {
        try await self.snapshot().agencies[code]
    }

    /// The next search looks at the revision again (this process just wrote the catalog).
    func invalidate() {
        self.checkedAt = nil
    }

    func snapshot() async throws -> Snapshot {
        if let current, let checkedAt, ContinuousClock.now - checkedAt < self.recheck { return current }
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.refresh() }
        self.refreshing = task
        defer { self.refreshing = nil }
        return try await task.value
    }

    private func refresh() async throws -> Snapshot {
        let started = ContinuousClock.now
        let revision = try await self.database.read { try await CatalogRevision.current(in: $0) }
        if let current, current.revision == revision {
            self.checkedAt = started
            return current
        }
        let loaded = try await Self.load(self.database, agencies: self.agencyRepository, revision: revision)
        self.current = loaded
        self.checkedAt = started
        return loaded
    }

    private static func load(_ database: Database, agencies: AgencyRepository, revision: Int64) async throws -> Snapshot {
        struct Row: Decodable {
            let code: String, name: String, sector: String, levels: String, service_level: Int, online_scope: String, processing_days: Int
            let total_fee: Int64, search_key: String
        }
        struct Named: Decodable { let procedure_code: String; let agency_code: String; let agency_level: String }
        let (rows, named) = try await database.read { db in
            let rows = try await db.select()
                .columns("code", "name", "sector", "levels", "service_level", "online_scope", "processing_days", "total_fee", "search_key")
                .from("procedures").all(decoding: Row.self)
            let named = try await db.select().columns("procedure_code", "agency_code", "agency_level").from("procedure_agencies").all(decoding: Named.self)
            return (rows, named)
        }
        var agenciesOf: [String: [String]] = [:]
        var namedLevels: [String: AgencyLevel] = [:]
        for row in named {
            agenciesOf[row.procedure_code, default: []].append(row.agency_code)
            namedLevels[row.agency_code] = AgencyLevel(rawValue: row.agency_level)
        }
        let entries = rows.compactMap { row -> (String, String, Entry)? in
            guard let level = ServiceLevel(rawValue: row.service_level), let scope = OnlineScope(rawValue: row.online_scope) else { return nil }
            let summary = ProcedureSummary(code: row.code, name: row.name, sector: row.sector,
                                           levels: row.levels.split(separator: ",").compactMap { AgencyLevel(rawValue: String($0)) },
                                           serviceLevel: level, onlineScope: scope, processingDays: row.processing_days, totalFee: VND(row.total_fee))
            return (VietnameseText.searchKey(row.name), row.search_key, Entry(summary: summary, agencyCodes: agenciesOf[row.code] ?? []))
        }
        .sorted { $0.0 == $1.0 ? $0.2.summary.code < $1.2.summary.code : $0.0 < $1.0 }
        let all = try await agencies.list(level: nil, parent: nil, query: nil)
        return Snapshot(revision: revision, entries: entries.map(\.2), words: WordIndex(keys: entries.map(\.1)), namedLevels: namedLevels,
                        tree: AgencyTree(all))
    }
}

extension CatalogIndex.Snapshot {
    /// A page of the procedures matching every filter, with the matches per service level ignoring the level filter.
    func search(_ query: ProcedureQuery) -> ProcedurePage {
        let matching = self.words.matching(SearchWords(query.text))
        let skip = (query.page - 1) * query.pageSize
        var counts: [ServiceLevel: Int] = [:]
        var items: [ProcedureSummary] = []
        var total = 0
        for (position, entry) in self.entries.enumerated() {
            if let matching, !matching.contains(position) { continue }
            if let sector = query.sector, entry.summary.sector != sector { continue }
            if let scope = query.scope, entry.summary.onlineScope != scope { continue }
            if let agency = query.agency, !IntakeRules.handles(levels: entry.summary.levels, agencyCodes: entry.agencyCodes, agency: agency,
                                                                namedAgencyLevels: self.namedLevels) { continue }
            let level = entry.summary.serviceLevel
            counts[level, default: 0] += 1
            if let wanted = query.level, level != wanted { continue }
            if total >= skip && items.count < query.pageSize { items.append(entry.summary) }
            total += 1
        }
        return ProcedurePage(items: items, total: total, page: query.page, pageSize: query.pageSize,
                             countsByLevel: Dictionary(uniqueKeysWithValues: counts.map { (String($0.key.rawValue), $0.value) }))
    }
}

/// The revision of the catalog and agency tables, bumped in the transaction of every write to them, so that
/// in-memory copies (`CatalogIndex`) know when to reload.
enum CatalogRevision {
    static func bump(in db: any SQLDatabase) async throws {
        try await db.raw("UPDATE reference_revisions SET revision = revision + 1 WHERE name = 'catalog'").run()
    }

    static func current(in db: any SQLDatabase) async throws -> Int64 {
        struct Row: Decodable { let revision: Int64 }
        return try await db.raw("SELECT revision FROM reference_revisions WHERE name = 'catalog'").first(decoding: Row.self)?.revision ?? 0
    }
}
