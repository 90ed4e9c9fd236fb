import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// The procedure catalog. The full procedure is kept as JSON; the columns beside it are what search reads
/// (`CatalogIndex` holds them in memory).
struct ProcedureRepository: Sendable {
    let database: Database

    /// Publishes a procedure inside the caller's transaction: a new version when it differs from the one published
    /// (kept in `procedure_versions` with who published it), nothing when it is the same. The version it now has.
    @discardableResult
    func save(_ procedure: Procedure, publishedBy: String? = nil, in db: any SQLDatabase) async throws -> Int {
        struct Current: Decodable { let body: String; let version: Int }
        let body = String(decoding: try StreamingJSON.encode(procedure), as: UTF8.self)
        let current = try await db.select().columns("body", "version").from("procedures").where("code", .equal, procedure.code).first(decoding: Current.self)
        if let current, current.body == body { return current.version }
        let version = (current?.version ?? 0) + 1
        let now = Date().epochMilliseconds
        try await CatalogRevision.bump(in: db)
        try await self.delete(procedure.code, in: db)
        try await db.insert(into: "procedures")
            .columns("code", "name", "sector", "service_level", "online_scope", "processing_days", "search_key", "body", "updated_at", "levels",
                     "total_fee", "version")
            .values(SQLBind(procedure.code), SQLBind(procedure.name), SQLBind(procedure.sector), SQLBind(procedure.serviceLevel.rawValue),
                    SQLBind(procedure.onlineScope.rawValue), SQLBind(procedure.processingDays), SQLBind(SearchWords.storedKey(procedure.searchKey)),
                    SQLBind(body), SQLBind(now), SQLBind(Self.levelsColumn(procedure.levels)),
                    SQLBind(procedure.totalFee.amount), SQLBind(version))
            .run()
        try await db.insert(into: "procedure_versions").columns("code", "version", "body", "published_at", "published_by")
            .values(SQLBind(procedure.code), SQLBind(version), SQLBind(body), SQLBind(now), SQLBind(publishedBy))
            .run()
        for level in Set(procedure.levels) {
            try await db.insert(into: "procedure_levels").columns("procedure_code", "level")
                .values(SQLBind(procedure.code), SQLBind(level.rawValue)).run()
        }
        for agency in Set(procedure.agencyCodes) {
            try await db.raw("""
                INSERT INTO procedure_agencies (procedure_code, agency_code, agency_level)
                SELECT \(bind: procedure.code), code, level FROM agencies WHERE code = \(bind: agency)
                """).run()
        }
        return version
    }

    /// Every published version of a procedure, the latest first.
    func versions(_ code: String) async throws -> [ProcedureVersion] {
        struct Row: Decodable { let version: Int; let body: String; let published_at: Int64; let published_by: String? }
        return try await self.database.read { db in
            try await db.select().columns("version", "body", "published_at", "published_by").from("procedure_versions").where("code", .equal, code)
                .orderBy("version", .descending).all(decoding: Row.self)
        }.map { row in
            let procedure = try JSONDecoder.motcua.decode(Procedure.self, from: Data(row.body.utf8))
            return ProcedureVersion(code: code, version: row.version, publishedAt: Date(epochMilliseconds: row.published_at), publishedBy: row.published_by,
                                    name: procedure.name, processingDays: procedure.processingDays, totalFee: procedure.totalFee)
        }
    }

    /// The procedure as one version published it.
    func find(_ code: String, version: Int) async throws -> Procedure? {
        try await self.database.read { db in
            try await db.select().column("body").from("procedure_versions").where("code", .equal, code).where("version", .equal, version)
                .first(decoding: Body.self)
        }.map { try JSONDecoder.motcua.decode(Procedure.self, from: Data($0.body.utf8)) }
    }

    private func delete(_ code: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "procedure_levels").where("procedure_code", .equal, code).run()
        try await db.delete(from: "procedure_agencies").where("procedure_code", .equal, code).run()
        try await db.delete(from: "procedures").where("code", .equal, code).run()
    }

    private struct Body: Decodable { let body: String }

    func find(_ code: String) async throws -> Procedure? { try await self.published(code)?.procedure }

    /// The procedure as published and its version, read from one row: a dossier keeps both, so they must agree.
    func published(_ code: String) async throws -> (procedure: Procedure, version: Int)? {
        struct Row: Decodable { let body: String; let version: Int }
        guard let row = try await self.database.read({ db in
            try await db.select().columns("body", "version").from("procedures").where("code", .equal, code).first(decoding: Row.self)
        }) else { return nil }
        return (try JSONDecoder.motcua.decode(Procedure.self, from: Data(row.body.utf8)), row.version)
    }

    /// Every procedure, by code (export).
    func all() async throws -> [Procedure] {
        try await self.database.read { db in
            try await db.select().column("body").from("procedures").orderBy("code").all(decoding: Body.self)
        }.map { try JSONDecoder.motcua.decode(Procedure.self, from: Data($0.body.utf8)) }
    }

    /// "district,commune": the levels as a column, in the order of `AgencyLevel`.
    static func levelsColumn(_ levels: [AgencyLevel]) -> String {
        AgencyLevel.allCases.filter(levels.contains).map(\.rawValue).joined(separator: ",")
    }

    func sectors() async throws -> [SectorCount] {
        struct Row: Decodable { let sector: String; let n: Int }
        return try await self.database.read { db in
            try await db.select().column("sector").column(SQLFunction.countAll, as: "n").from("procedures")
                .groupBy("sector").orderBy("sector").all(decoding: Row.self)
        }.map { SectorCount(sector: $0.sector, procedures: $0.n) }
    }

    func count(in db: any SQLDatabase) async throws -> Int {
        try await db.select().from("procedures").countRows()
    }
}
