import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLKit

/// SQLite connections: one writer, serialised in-process with group commit, and a few readers, which WAL lets run
/// beside it. Several processes may share the file; `BEGIN IMMEDIATE` and the busy timeout order their writers.
actor SQLiteStore {
    private let path: String
    private let removeOnClose: Bool
    private let logger: Logger
    private let writer: SQLiteConnection
    /// Where the writer connection's calls and every write transaction's code run (see `WriterThread`).
    private nonisolated let writerThread: WriterThread
    private var writerBusy = false
    private var writerWaiters: [CheckedContinuation<Void, Never>] = []
    /// A group commit: whether its transaction is open, how many bodies it holds, and who waits for its COMMIT.
    private var groupOpen = false
    private var groupSize = 0
    private var groupWaiters: [CheckedContinuation<Void, any Error>] = []
    private static let maximumGroup = 64
    private var idleReaders: [SQLiteConnection] = []
    private var openReaders = 0
    private var readerWaiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
    private var closed = false
    private static let maximumReaders = 4
    init(path: String, removeOnClose: Bool, logger: Logger) async throws {
        self.path = path
        self.removeOnClose = removeOnClose
        self.logger = logger
        let writerThread = WriterThread()
        self.writerThread = writerThread
        self.writer = try await Self.connect(path: path, threadPool: writerThread.pool, logger: logger)
        // WAL is a property of the file: set once, it lets readers work while a write is in progress.
        try await self.writer.sql().raw("PRAGMA journal_mode = WAL").run()
    }

    private static func connect(path: String, threadPool: NIOThreadPool = .singleton, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger,
                                                         on: MultiThreadedEventLoopGroup.singleton.any())
        let sql = connection.sql()
        try await sql.raw("PRAGMA busy_timeout = 10000").run()
        try await sql.raw("PRAGMA foreign_keys = ON").run()
        // FULL: an acknowledged commit survives a power cut, not only a process crash.
        try await sql.raw("PRAGMA synchronous = FULL").run()
        // Temporary tables, the sorter and statement journals (batched UPDATE ... FROM VALUES, IN lists, savepoints)
        // in memory: on a file each transaction created and removed a temporary file, several a second under load.
        try await sql.raw("PRAGMA temp_store = MEMORY").run()
        return connection
    }

    /// Runs `body` as one transaction of a group commit. A caller that finds others waiting for the writer leaves the
    /// transaction open for them: each body after the first runs in its own savepoint (a failing one rolls back
    /// alone), and the last of the group commits for all — one `fsync` for many writes. The first body needs no
    /// savepoint (two statements fewer, each a trip to the database's thread): nobody else's writes are in the
    /// transaction yet, so when it fails the whole transaction is rolled back. Nobody returns before the commit that
    /// holds their writes succeeded, so an acknowledged write is as durable as with a transaction of its own. The
    /// transaction, its body included, runs on the store's writer thread; after `close()` it is refused.
    nonisolated func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self.writerThread) { try await self.write(body) }
    }

    private func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        guard !self.closed else { throw DatabaseClosed() }
        await self.acquireWriter()
        let sql = self.writer.sql(queryLogLevel: .trace)
        let first = !self.groupOpen
        do {
            if first {
                try await sql.raw("BEGIN IMMEDIATE").run()
                self.groupOpen = true
                self.groupSize = 0
            } else {
                try await sql.raw("SAVEPOINT motcua_write").run()
            }
            self.groupSize += 1
        } catch {
            await self.abandonGroup(error, sql)
            throw error
        }
        let value: T
        do {
            value = try await body(sql)
            if !first { try await sql.raw("RELEASE motcua_write").run() }
        } catch {
            if first {
                // Only this body's writes are in the transaction: undo it all.
                await self.abandonGroup(error, sql)
                throw error
            }
            do {
                try await sql.raw("ROLLBACK TO motcua_write").run()
                try await sql.raw("RELEASE motcua_write").run()
            } catch let rollback {
                // SQLite undid the whole transaction (an I/O error, a full disk): the group fails together.
                await self.abandonGroup(rollback, sql)
                throw error
            }
            // Only this body is undone; the others of the group go on, and its caller need not wait for their commit.
            try? await self.handOverOrCommit(sql, waitForCommit: false)
            throw error
        }
        try await self.handOverOrCommit(sql, waitForCommit: true)
        return value
    }

    /// After a body: leave the open transaction to the next writer (waiting for the commit when this caller's writes
    /// are in it), or commit the group now and tell everyone in it.
    private func handOverOrCommit(_ sql: any SQLDatabase, waitForCommit: Bool) async throws {
        if !self.writerWaiters.isEmpty && self.groupSize < Self.maximumGroup {
            guard waitForCommit else { return self.releaseWriter() }
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                self.groupWaiters.append(waiter)
                self.releaseWriter()
            }
            return
        }
        let waiters = self.groupWaiters
        self.groupWaiters = []
        self.groupOpen = false
        do {
            try await sql.raw("COMMIT").run()
        } catch {
            try? await sql.raw("ROLLBACK").run()
            self.releaseWriter()
            for waiter in waiters { waiter.resume(throwing: error) }
            throw error
        }
        self.releaseWriter()
        for waiter in waiters { waiter.resume() }
    }

    /// The group's transaction failed as a whole: roll it back and fail everyone waiting for its commit.
    private func abandonGroup(_ error: any Error, _ sql: any SQLDatabase) async {
        let waiters = self.groupWaiters
        self.groupWaiters = []
        if self.groupOpen { try? await sql.raw("ROLLBACK").run() }
        self.groupOpen = false
        self.releaseWriter()
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    private func acquireWriter() async {
        if self.writerBusy {
            await withCheckedContinuation { self.writerWaiters.append($0) }
        } else {
            self.writerBusy = true
        }
    }

    private func releaseWriter() {
        if self.writerWaiters.isEmpty {
            self.writerBusy = false
        } else {
            self.writerWaiters.removeFirst().resume()
        }
    }

    func withReader<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = try await self.acquireReader()
        defer { self.releaseReader(connection) }
        return try await body(connection)
    }

    private func acquireReader() async throws -> SQLiteConnection {
        guard !self.closed else { throw DatabaseClosed() }
        if let connection = self.idleReaders.popLast() { return connection }
        if self.openReaders < Self.maximumReaders {
            self.openReaders += 1
            do {
                return try await Self.connect(path: self.path, logger: self.logger)
            } catch {
                self.openReaders -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { self.readerWaiters.append($0) }
    }

    private func releaseReader(_ connection: SQLiteConnection) {
        if self.closed {
            Task { try? await connection.close() }
        } else if self.readerWaiters.isEmpty {
            self.idleReaders.append(connection)
        } else {
            self.readerWaiters.removeFirst().resume(returning: connection)
        }
    }

    func close() async {
        guard !self.closed else { return }
        self.closed = true
        for waiter in self.readerWaiters { waiter.resume(throwing: DatabaseClosed()) }
        self.readerWaiters = []
        for connection in self.idleReaders { try? await connection.close() }
        self.idleReaders = []
        try? await self.writer.close()
        await self.writerThread.shutdown()
        if self.removeOnClose {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: self.path + suffix) }
        }
    }
}
