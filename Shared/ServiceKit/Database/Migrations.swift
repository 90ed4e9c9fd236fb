import Foundation
import Logging
import SQLKit

/// One numbered, append-only schema change. Once released, a migration is never edited: add the next number.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let apply: @Sendable (any SQLDatabase, Database.Dialect) async throws -> Void

    public init(_ version: Int, _ name: String, apply: @escaping @Sendable (any SQLDatabase, Database.Dialect) async throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}

/// An ordered list of migrations under a name ("servicekit" for the outbox and inbox, the service's name for its own).
public struct MigrationSet: Sendable {
    public let scope: String
    public let migrations: [Migration]

    public init(scope: String, _ migrations: [Migration]) {
        precondition(migrations.map(\.version) == Array(0..<migrations.count).map { $0 + 1 }, "migrations of \(scope) must be numbered 1, 2, 3, … in order")
        self.scope = scope
        self.migrations = migrations
    }
}

/// Applies pending migrations at start-up, each in its own transaction with its record, so a crash half-way
/// leaves every migration either wholly applied and recorded or not at all.
public enum Migrator {
    public static func run(_ sets: [MigrationSet], on database: Database, logger: Logger) async throws {
        try await database.transaction { db in
            try await db.create(table: "schema_migrations")
                .ifNotExists()
                .column("scope", type: .text, .notNull)
                .column("version", type: .bigint, .notNull)
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .text, .notNull)
                .primaryKey(["scope", "version"])
                .run()
        }
        for set in sets {
            for migration in set.migrations {
                let applied = try await database.transaction { db -> Bool in
                    if database.dialect == .postgres {
                        // Replicas starting together: the first applies, the others wait here and then skip.
                        try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Int64(7_324_001)))").run()
                    }
                    let done = try await db.select().column("version").from("schema_migrations")
                        .where("scope", .equal, set.scope).where("version", .equal, migration.version)
                        .first()
                    if done != nil { return false }
                    try await migration.apply(db, database.dialect)
                    try await db.insert(into: "schema_migrations")
                        .columns("scope", "version", "name", "applied_at")
                        .values(SQLBind(set.scope), SQLBind(migration.version), SQLBind(migration.name),
                                SQLBind(ISO8601DateFormatter().string(from: Date())))
                        .run()
                    return true
                }
                if applied {
                    logger.info("applied migration", metadata: ["scope": "\(set.scope)", "version": "\(migration.version)", "name": "\(migration.name)"])
                }
            }
        }
    }

    /// The highest version applied per scope, for readiness and operators.
    public static func appliedVersions(on database: Database) async throws -> [String: Int] {
        struct Row: Decodable { let scope: String; let version: Int }
        let rows = try await database.read { db in
            try await db.select().column("scope").column("version").from("schema_migrations").all(decoding: Row.self)
        }
        return rows.reduce(into: [:]) { $0[$1.scope] = max($0[$1.scope] ?? 0, $1.version) }
    }
}
