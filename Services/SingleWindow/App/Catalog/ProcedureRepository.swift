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

/// The procedure catalog. The full procedure is kept as JSON; the columns beside it are what search filters on.
struct ProcedureRepository: Sendable {
    let database: Database

    /// Inserts or replaces a procedure inside the caller's transaction.
    func save(_ procedure: Procedure, in db: any SQLDatabase) async throws {
        try await self.delete(procedure.code, in: db)
        let body = String(decoding: try JSONEncoder.motcua.encode(procedure), as: UTF8.self)
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

    private struct SummaryRow: Decodable {
        let code: String, name: String, sector: String, levels: String, service_level: Int, online_scope: String, processing_days: Int, total_fee: Int64

        var summary: ProcedureSummary? {
            guard let level = ServiceLevel(rawValue: self.service_level), let scope = OnlineScope(rawValue: self.online_scope) else { return nil }
            return ProcedureSummary(code: self.code, name: self.name, sector: self.sector,
                                    levels: self.levels.split(separator: ",").compactMap { AgencyLevel(rawValue: String($0)) },
                                    serviceLevel: level, onlineScope: scope, processingDays: self.processing_days, totalFee: VND(self.total_fee))
        }
    }

    func search(_ query: ProcedureQuery) async throws -> ProcedurePage {
        struct LevelCount: Decodable { let service_level: Int; let n: Int }
        let (items, total, levels) = try await self.database.read { db in
            var select = db.select()
                .columns("code", "name", "sector", "levels", "service_level", "online_scope", "processing_days", "total_fee").from("procedures")
            select = Self.filter(select, query, includingLevel: true)
            let rows = try await select.orderBy("name").orderBy("code")
                .limit(query.pageSize).offset((query.page - 1) * query.pageSize).all(decoding: SummaryRow.self)
            var counting = db.select().column("service_level").column(SQLFunction.countAll, as: "n").from("procedures")
            counting = Self.filter(counting, query, includingLevel: false)
            let levels = try await counting.groupBy("service_level").all(decoding: LevelCount.self)
            let total = query.level.map { level in levels.first { $0.service_level == level.rawValue }?.n ?? 0 } ?? levels.map(\.n).reduce(0, +)
            return (rows, total, levels)
        }
        return ProcedurePage(
            items: items.compactMap(\.summary),
            total: total, page: query.page, pageSize: query.pageSize,
            countsByLevel: Dictionary(uniqueKeysWithValues: levels.map { (String($0.service_level), $0.n) })
        )
    }

    private static func filter(_ select: SQLSelectBuilder, _ query: ProcedureQuery, includingLevel: Bool) -> SQLSelectBuilder {
        var select = select
        // Every word must appear somewhere, in any order: "ket hon dang ky" finds "Đăng ký kết hôn".
        for pattern in SearchWords(query.text).patterns { select = select.where("search_key", .like, pattern) }
        if let sector = query.sector { select = select.where("sector", .equal, sector) }
        if includingLevel, let level = query.level { select = select.where("service_level", .equal, level.rawValue) }
        if let scope = query.scope { select = select.where("online_scope", .equal, scope.rawValue) }
        if let agency = query.agency {
            // Named for the agency; or carried out at its level, where no agency of that level is named.
            let condition: SQLQueryString = """
                (EXISTS (SELECT 1 FROM procedure_agencies a WHERE a.procedure_code = procedures.code AND a.agency_code = \(bind: agency.code))
                 OR (EXISTS (SELECT 1 FROM procedure_levels l WHERE l.procedure_code = procedures.code AND l.level = \(bind: agency.level.rawValue))
                     AND NOT EXISTS (SELECT 1 FROM procedure_agencies n WHERE n.procedure_code = procedures.code
                                     AND n.agency_level = \(bind: agency.level.rawValue))))
                """
            select = select.where(condition)
        }
        return select
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
