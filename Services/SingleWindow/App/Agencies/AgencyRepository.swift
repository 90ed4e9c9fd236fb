import DomainKit
import ServiceKit
import SQLKit

/// The agency hierarchy, in the single-window database.
struct AgencyRepository: Sendable {
    let database: Database

    private struct Row: Decodable {
        let code: String, name: String, level: String, parent_code: String?, email: String, address: String, phone: String?

        var agency: Agency? {
            AgencyLevel(rawValue: self.level).map {
                Agency(code: self.code, name: self.name, level: $0, parentCode: self.parent_code, email: self.email, address: self.address,
                       phone: self.phone)
            }
        }
    }

    private static let columns = ["code", "name", "level", "parent_code", "email", "address", "phone"]

    /// Inserts or replaces agencies inside the caller's transaction.
    func save(_ agencies: [Agency], in db: any SQLDatabase) async throws {
        // Search by agency reads agencies' levels: the catalog's in-memory copies reload.
        try await CatalogRevision.bump(in: db)
        for agency in agencies {
            try await db.delete(from: "agencies").where("code", .equal, agency.code).run()
            try await db.insert(into: "agencies")
                .columns("code", "name", "name_key", "level", "parent_code", "email", "address", "phone")
                .values(SQLBind(agency.code), SQLBind(agency.name), SQLBind(SearchWords.storedKey(agency.name)), SQLBind(agency.level.rawValue),
                        SQLBind(agency.parentCode), SQLBind(agency.email), SQLBind(agency.address), SQLBind(agency.phone))
                .run()
        }
    }

    func find(_ code: String) async throws -> Agency? {
        try await self.database.read { db in
            try await db.select().columns(Self.columns).from("agencies").where("code", .equal, code).first(decoding: Row.self)
        }?.agency
    }

    /// Agencies at a level and/or under a parent, by name.
    func list(level: AgencyLevel?, parent: String?, query: String?) async throws -> [Agency] {
        try await self.database.read { db in
            var select = db.select().columns(Self.columns).from("agencies")
            if let level { select = select.where("level", .equal, level.rawValue) }
            if let parent { select = select.where("parent_code", .equal, parent) }
            for pattern in SearchWords(query).patterns { select = select.where("name_key", .like, pattern) }
            return try await select.orderBy("name_key").all(decoding: Row.self)
        }.compactMap(\.agency)
    }

    func count(in db: any SQLDatabase) async throws -> Int {
        try await db.select().from("agencies").countRows()
    }
}
