import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit
import SQLKit

/// A service's own database: SQLite under `./.data/` by default, PostgreSQL when `DATABASE_URL` says so.
/// Repositories see only `SQLDatabase`, so one code path serves both.
public final class Database: Sendable {
    public enum Dialect: String, Sendable {
        case sqlite
        case postgres
    }

    public let dialect: Dialect
    private let backend: Backend
    private let logger: Logger

    private enum Backend: Sendable {
        case sqlite(SQLiteStore)
        case postgres(PostgresClient, Task<Void, Never>)
    }

    /// Opens (creating the SQLite file and its folder when needed) the database the settings point at.
    /// - Parameter connectTimeout: how long PostgreSQL may take to answer at start-up.
    public static func open(
        _ location: ServiceSettings.DatabaseLocation, logger: Logger, connectTimeout: Duration = .seconds(15)
    ) async throws -> Database {
        switch location {
        case .sqliteFile(let path):
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            return Database(.sqlite(try await SQLiteStore(path: url.path, removeOnClose: false, logger: logger)), logger: logger)
        case .sqliteTemporary:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-\(UUID().uuidString).sqlite").path
            return Database(.sqlite(try await SQLiteStore(path: path, removeOnClose: true, logger: logger)), logger: logger)
        case .postgres(let url):
            return try await self.openPostgres(url, connections: Self.poolSize, connectTimeout: connectTimeout, logger: logger)
        case .postgresTemporary(let url):
            // Hundreds of tests at once share the throwaway cluster: each database keeps few connections (so that
            // together they stay under its max_connections), and a cluster slow to answer while it creates their
            // databases is waited for longer than a production start-up would be.
            let patience = max(connectTimeout, .seconds(60))
            let server = try await self.openPostgres(url, connections: 1, connectTimeout: patience, logger: logger)
            let name = "motcua_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            do {
                try await server.read { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
            } catch {
                await server.close()
                throw error
            }
            await server.close()
            guard var components = URLComponents(string: url) else { throw ConfigurationError.invalid("TEST_POSTGRES_URL", url, "a postgres:// URL") }
            components.path = "/" + name
            return try await self.openPostgres(components.string!, connections: 5, connectTimeout: patience, logger: logger)
        }
    }

    private init(_ backend: Backend, logger: Logger) {
        self.backend = backend
        self.logger = logger
        switch backend {
        case .sqlite: self.dialect = .sqlite
        case .postgres: self.dialect = .postgres
        }
    }

    /// Runs statements that only read, or single idempotent writes, on a pooled connection.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch self.backend {
        case .sqlite(let store):
            return try await store.withReader { try await body($0.sql(queryLogLevel: .trace)) }
        case .postgres(let client, _):
            return try await client.withConnection { try await body($0.sql(queryLogLevel: .trace)) }
        }
    }

    /// Runs `body` in one transaction: everything it wrote is committed together, or nothing is when it throws.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch self.backend {
        case .sqlite(let store):
            return try await store.transaction(body)
        case .postgres(let client, _):
            return try await client.withConnection { connection in
                try await Self.inTransaction(connection.sql(queryLogLevel: .trace), body)
            }
        }
    }

    /// A PostgreSQL transaction on one pooled connection (SQLite's are `SQLiteStore.transaction`).
    private static func inTransaction<T>(_ database: any SQLDatabase, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.raw("BEGIN").run()
        do {
            let result = try await body(database)
            try await database.raw("COMMIT").run()
            return result
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Whether the database answers, for `/health/ready`.
    public func ping() async -> Bool {
        (try? await self.read { try await $0.raw("SELECT 1 AS ok").first() }) != nil
    }

    /// Closes every connection (and removes a temporary SQLite file).
    public func close() async {
        switch self.backend {
        case .sqlite(let store):
            // In a task of its own: a caller that was cancelled (a service group cancelled rather than shut down
            // gracefully) would otherwise see SQLite's close refused by its cancellation-aware thread pool, and the
            // connections would stay open.
            await Task { await store.close() }.value
        case .postgres(_, let task):
            task.cancel()
            await task.value
        }
    }

    /// The URL without its password, for messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "(unreadable URL)" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(unreadable URL)"
    }

    /// A pool of at most `connections` to the server at `url`, once it has answered (within `connectTimeout`).
    private static func openPostgres(_ url: String, connections: Int, connectTimeout: Duration, logger: Logger) async throws -> Database {
        let client = PostgresClient(configuration: try Self.postgresConfiguration(url, connections: connections), backgroundLogger: logger)
        // The client's pool runs for as long as the database is open; `close()` ends it.
        let task = Task { await client.run() }
        let database = Database(.postgres(client, task), logger: logger)
        // The pool keeps retrying an unreachable server; start-up should rather fail and say so.
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await database.read { try await $0.raw("SELECT 1").run() } }
                group.addTask {
                    try await Task.sleep(for: connectTimeout)
                    throw DatabaseUnreachable(location: Self.redacted(url), timeout: connectTimeout)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Connections a service keeps to PostgreSQL (each replica its own).
    static let poolSize = 10

    static func postgresConfiguration(_ text: String, connections: Int = poolSize) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw ConfigurationError.invalid("DATABASE_URL", text, "postgres://user:password@host:5432/database")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let sslmode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS = switch sslmode {
        case "require", "verify-full", "verify-ca": .require(.makeClientConfiguration())
        case "prefer": .prefer(.makeClientConfiguration())
        default: .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres",
            password: url.password?.removingPercentEncoding, database: database.isEmpty ? nil : database, tls: tls
        )
        configuration.options.maximumConnections = connections
        return configuration
    }
}

/// PostgreSQL did not answer at start-up.
public struct DatabaseUnreachable: Error, CustomStringConvertible {
    public let location: String
    public let timeout: Duration
    public var description: String { "the database at \(self.location) did not answer within \(self.timeout.components.seconds) seconds" }
}

/// The database was used after the service closed it at shutdown.
public struct DatabaseClosed: Error, CustomStringConvertible {
    public var description: String { "the database is closed" }
}
