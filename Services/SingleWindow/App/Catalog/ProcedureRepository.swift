import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// The procedure catalog. The full procedure is kept as JSON; the columns beside it are what search reads
/// (`CatalogIndex` holds them in memory).
struct ProcedureRepository: Sendable {
    let database: Database

    /// Inserts or replaces a procedure inside the caller's transaction.
    func save(_ procedure: Procedure, in db: any SQLDatabase) async throws {
        try await CatalogRevision.bump(in: db)
        try await self.delete(procedure.code, in: db)
        let body = String(decoding: try StreamingJSON.encode(procedure), as: UTF8.self)
        try await db.insert(into: "procedures")
            .columns("code", "name", "sector", "service_level", "online_scope", "processing_days", "search_key", "body", "updated_at", "levels",
                     "total_fee")
            .values(SQLBind(procedure.code), SQLBind(procedure.name), SQLBind(procedure.sector), SQLBind(procedure.serviceLevel.rawValue),
                    SQLBind(procedure.onlineScope.rawValue), SQLBind(procedure.processingDays), SQLBind(SearchWords.storedKey(procedure.searchKey)),
                    SQLBind(body), SQLBind(Date().epochMilliseconds), SQLBind(Self.levelsColumn(procedure.levels)),
                    SQLBind(procedure.totalFee.amount))
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
    }

    private func delete(_ code: String, in db: any SQLDatabase) async throws {
        try await db.delete(from: "procedure_levels").where("procedure_code", .equal, code).run()
        try await db.delete(from: "procedure_agencies").where("procedure_code", .equal, code).run()
        try await db.delete(from: "procedures").where("code", .equal, code).run()
    }

    private struct Body: Decodable { let body: String }

    func find(_ code: String) async throws -> Procedure? {
        guard let row = try await self.database.read({ db in
            try await db.select().column("body").from("procedures").where("code", .equal, code).first(decoding: Body.self)
        }) else { return nil }
        return try JSONDecoder.motcua.decode(Procedure.self, from: Data(row.body.utf8))
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
