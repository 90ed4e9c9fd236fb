import HTTPTypes
import DomainKit
import Foundation
import Logging
import ServiceKit
import SQLKit
import Testing

@Suite("Configuration and migrations")
struct SettingsAndMigrationTests {
    @Test func localDefaultsWork() throws {
        let settings = try ServiceSettings.fromEnvironment(name: "single-window", defaultPort: 8081, knownServices: ["portal": 8080], environment: [:])
        #expect(settings.port == 8081)
        #expect(settings.database == .sqliteFile("./.data/single-window.sqlite"))
        #expect(settings.fixedServiceURLs["portal"] == "http://127.0.0.1:8080")
        #expect(settings.registryURL == nil)
    }

    @Test func productionNamesTheMissingSettingInOneLine() {
        do {
            _ = try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:], environment: ["MOTCUA_ENV": "production"])
            Issue.record("production started without a database")
        } catch {
            #expect(error.description == "configuration error: DATABASE_URL is required when MOTCUA_ENV=production")
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: ConfigurationError.missing("SERVICE_TOKEN_SECRET")) {
            try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:],
                                                environment: ["MOTCUA_ENV": "production", "DATABASE_URL": "postgres://u:p@db/payments"])
        }
        #expect(throws: ConfigurationError.self) {
            try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:], environment: ["DATABASE_URL": "mysql://x"])
        }
        #expect(throws: ConfigurationError.self) {
            try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:], environment: ["PORT": "eighty"])
        }
    }

    @Test func aServiceReadsNumbersWithinTheirRangeOrSaysWhichSettingIsWrong() throws {
        let settings = ServiceSettings.testing(name: "x", environment: ["A_SECONDS": "0.5", "B_SECONDS": "0", "C_SECONDS": "soon", "N": "70"])
        #expect(try settings.seconds("A_SECONDS", default: 9) == 0.5)
        #expect(try settings.seconds("UNSET_SECONDS", default: 9) == 9)
        #expect(throws: ConfigurationError.invalid("B_SECONDS", "0", "a number of seconds above 0")) { try settings.seconds("B_SECONDS", default: 9) }
        #expect(throws: ConfigurationError.invalid("C_SECONDS", "soon", "a number of seconds above 0")) { try settings.seconds("C_SECONDS", default: 9) }
        #expect(try settings.integer("N", default: 1, range: 1...100) == 70)
        #expect(throws: ConfigurationError.invalid("N", "70", "a whole number from 1 to 10")) { try settings.integer("N", default: 1, range: 1...10) }
    }

    @Test func testsUsePostgreSQLWhenTheScriptProvidesIt() async throws {
        let database = try await Database.open(ServiceSettings.testing(name: "x").database, logger: Logger(label: "test"))
        let expected: Database.Dialect = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"] == nil ? .sqlite : .postgres
        #expect(database.dialect == expected)
        await database.close()
    }

    @Test func migrationsApplyOnceAndAFailedOneLeavesNoTrace() async throws {
        let database = try await Database.open(ServiceSettings.testing(name: "x").database, logger: Logger(label: "test"))
        let good = MigrationSet(scope: "demo", [
            Migration(1, "create") { db, _ in try await db.create(table: "things").column("id", type: .text).run() },
        ])
        try await Migrator.run([good], on: database, logger: Logger(label: "test"))
        try await Migrator.run([good], on: database, logger: Logger(label: "test"))
        #expect(try await Migrator.appliedVersions(on: database)["demo"] == 1)

        let broken = MigrationSet(scope: "demo", good.migrations + [
            Migration(2, "half") { db, _ in
                try await db.create(table: "half").column("id", type: .text).run()
                try await db.raw("THIS IS NOT SQL").run()
            },
        ])
        await #expect(throws: (any Error).self) { try await Migrator.run([broken], on: database, logger: Logger(label: "test")) }
        #expect(try await Migrator.appliedVersions(on: database)["demo"] == 1)
        // The table from the failed migration was rolled back with it.
        await #expect(throws: (any Error).self) { try await database.read { try await $0.raw("SELECT * FROM half").run() } }
        await database.close()
    }

    @Test func aCommittedWriteSurvivesReopening() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-reopen-\(UUID().uuidString).sqlite").path
        let first = try await Database.open(.sqliteFile(path), logger: Logger(label: "test"))
        try await first.transaction { db in
            try await db.create(table: "t").column("v", type: .text).run()
            try await db.insert(into: "t").columns("v").values(SQLBind("đã lưu")).run()
        }
        await first.close()
        let second = try await Database.open(.sqliteFile(path), logger: Logger(label: "test"))
        struct Row: Decodable { let v: String }
        #expect(try await second.read { try await $0.select().column("v").from("t").first(decoding: Row.self) }?.v == "đã lưu")
        await second.close()
    }

    /// A service group cancelled instead of shut down gracefully still closes its database: every connection is
    /// closed, so SQLite checkpoints and removes the write-ahead log, as after a clean close.
    @Test func aCloseFromACancelledTaskStillClosesTheConnections() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-cancelled-\(UUID().uuidString).sqlite").path
        let database = try await Database.open(.sqliteFile(path), logger: Logger(label: "test"))
        try await database.transaction { try await $0.create(table: "t").column("v", type: .text).run() }
        _ = try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM t").all() }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let closing = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await database.close()
        }
        await closing.value
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "a connection was left open")
    }

    /// Many writers at once share commits (group commit on SQLite); each still succeeds or fails alone, and a failed
    /// one leaves none of its writes behind.
    @Test func concurrentTransactionsCommitOrFailEachOnItsOwn() async throws {
        let database = try await Database.open(ServiceSettings.testing(name: "x").database, logger: Logger(label: "test"))
        try await database.transaction { db in
            try await db.create(table: "codes").column("code", type: .bigint, .primaryKey(autoIncrement: false)).run()
            try await db.create(table: "notes").column("code", type: .bigint, .notNull).run()
            try await db.insert(into: "codes").columns("code").values(SQLBind(-1)).run()
        }
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    do {
                        try await database.transaction { db in
                            try await db.insert(into: "notes").columns("code").values(SQLBind(index)).run()
                            // Every seventh writer hits the existing key after its first write: all of it must go.
                            try await db.insert(into: "codes").columns("code").values(SQLBind(index % 7 == 0 ? -1 : index)).run()
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let committed = outcomes.filter { $0 }.count
        #expect(committed == 200 - 29)
        #expect(try await count("codes", in: database) == committed + 1)
        #expect(try await count("notes", in: database) == committed)
        // A writer alone (the first of its group, with no savepoint of its own) that fails leaves nothing either, and
        // the next one writes as usual.
        await #expect(throws: (any Error).self) {
            try await database.transaction { db in
                try await db.insert(into: "notes").columns("code").values(SQLBind(1_000)).run()
                try await db.insert(into: "codes").columns("code").values(SQLBind(-1)).run()
            }
        }
        try await database.transaction { try await $0.insert(into: "notes").columns("code").values(SQLBind(1_001)).run() }
        #expect(try await count("notes", in: database) == committed + 1)
        await database.close()
    }

    /// At shutdown: a write still running when the SQLite store closes fails (its statements find the connection
    /// closed) instead of hanging or committing half, and a write or read asked for after the close is refused with
    /// `DatabaseClosed` — it runs on no thread of the closed store's.
    @Test func sqliteWritesAfterTheStoreClosedAreRefusedNotRun() async throws {
        let database = try await Database.open(.sqliteTemporary, logger: Logger(label: "test"))
        try await database.transaction { try await $0.create(table: "notes").column("code", type: .bigint, .notNull).run() }
        let (started, startedNow) = AsyncStream.makeStream(of: Void.self)
        let (closed, closedNow) = AsyncStream.makeStream(of: Void.self)
        let running = Task {
            try await database.transaction { db in
                try await db.insert(into: "notes").columns("code").values(SQLBind(1)).run()
                startedNow.yield()
                // Its next statement comes once the store has closed, however slowly the machine gets there.
                for await _ in closed { break }
                try await db.insert(into: "notes").columns("code").values(SQLBind(2)).run()
            }
        }
        for await _ in started { break }
        await database.close()
        closedNow.yield()
        await #expect(throws: (any Error).self) { try await running.value }
        await #expect(throws: DatabaseClosed.self) {
            try await database.transaction { try await $0.insert(into: "notes").columns("code").values(SQLBind(3)).run() }
        }
        await #expect(throws: DatabaseClosed.self) { try await database.read { try await $0.raw("SELECT 1").run() } }
    }

    @Test func productionRefusesAPlaceholderOrShortSecretAndSaysWhich() {
        let base = ["MOTCUA_ENV": "production", "DATABASE_URL": "postgres://u:p@db/payments"]
        for (value, reason) in [("change-me-to-64-random-characters-before-going-live-0000000000", "it is a placeholder"),
                                ("7f3a9c2e1b", "it is 10 characters long"), (String(repeating: "ab", count: 20), "it has only 2 different characters")] {
            do {
                _ = try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:],
                                                        environment: base.merging(["SERVICE_TOKEN_SECRET": value]) { $1 })
                Issue.record("production started with SERVICE_TOKEN_SECRET=\(value)")
            } catch {
                #expect(error.description.hasPrefix("configuration error: SERVICE_TOKEN_SECRET is not a secret: \(reason)"))
            }
        }
        // A registry without a token for this service: refused in production.
        #expect(throws: ConfigurationError.missing("REGISTRY_TOKEN")) {
            try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:],
                                                environment: base.merging(["SERVICE_TOKEN_SECRET": Secrets.random(), "REGISTRY_URL": "http://registry:8500"]) { $1 })
        }
    }

    @Test func aLocalSecretIsMadeAtFirstStartAndKeptOutsideTheSource() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:], environment: ["DATA_DIR": directory])
        let second = try ServiceSettings.fromEnvironment(name: "portal", defaultPort: 8080, knownServices: [:], environment: ["DATA_DIR": directory])
        #expect(first.serviceTokenSecret.count == 64)
        #expect(first.serviceTokenSecret == second.serviceTokenSecret)
        #expect(Secrets.weakness(of: first.serviceTokenSecret) == nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/secrets/service-token-secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let other = try ServiceSettings.fromEnvironment(name: "payments", defaultPort: 8083, knownServices: [:],
                                                        environment: ["DATA_DIR": directory + "-elsewhere"])
        defer { try? FileManager.default.removeItem(atPath: directory + "-elsewhere") }
        #expect(other.serviceTokenSecret != first.serviceTokenSecret)
    }

    @Test func consulDurations() {
        #expect(Consul.parseDuration("10s") == 10)
        #expect(Consul.parseDuration("1m30s") == 90)
        #expect(Consul.parseDuration("500ms") == 0.5)
        #expect(Consul.parseDuration("1h") == 3600)
        #expect(Consul.parseDuration("ten") == nil)
        #expect(Consul.parseDuration("10") == nil)
        #expect(Consul.parseDuration("") == nil)
        // Past what Go's time.Duration holds (about 292 years): refused, never converted.
        #expect(Consul.parseDuration("2562047h") != nil)
        #expect(Consul.parseDuration("2562048h") == nil)
        #expect(Consul.parseDuration("100000000000000000s") == nil)
        #expect(Consul.parseDuration("1e29s") == nil)
    }
}

@Suite("Log lines")
struct LogLineTests {
    @Test func quotedTextIsValidJSONWhateverItHolds() throws {
        for text in ["plain", "Hồ sơ \"đặc biệt\"", "line\nbreak\ttab\\slash", "\u{01}control"] {
            let line = "{\"m\":" + JSONLogHandler.quoted(text) + "}"
            let decoded = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(decoded?["m"] == text)
        }
    }

    @Test func aLineWrittenWhileARequestIsHandledCarriesItsIDOnce() throws {
        var handler = JSONLogHandler(label: "motcua.test")
        handler[metadataKey: "service"] = "echo"
        handler[metadataKey: "hb.request.id"] = "framework-id"
        /// The line's fields, and how often it names a request id (a JSON parser would keep only one of two).
        func fields(_ metadata: Logger.Metadata? = nil) throws -> (values: [String: String], requestIDs: Int) {
            let event = LogEvent(level: .info, message: "request", metadata: metadata, source: nil, file: #fileID, function: #function, line: #line)
            let line = handler.line(for: event)
            #expect(line.hasSuffix("}\n") && !line.dropLast().contains("\n"), "one line")
            let values = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] ?? [:]
            return (values, line.components(separatedBy: "\"requestId\":").count - 1)
        }
        let outside = try fields()
        #expect(outside.requestIDs == 0, "outside a request, no request id")
        #expect(outside.values["service"] == "echo")
        #expect(outside.values["hb.request.id"] == nil, "Hummingbird's own id is left out")
        try RequestScope.$requestID.withValue("trace-9") {
            let inside = try fields()
            #expect(inside.values["requestId"] == "trace-9")
            #expect(inside.requestIDs == 1)
            // An event that names its own request id keeps it, and the line still names one.
            let named = try fields(["requestId": "r-own"])
            #expect(named.values["requestId"] == "r-own")
            #expect(named.requestIDs == 1)
        }
    }
}

@Suite("Database start-up")
struct DatabaseStartupTests {
    @Test func anUnreachablePostgreSQLFailsStartUpSayingWhere() async throws {
        // Nothing listens on port 9: the pool would retry forever; start-up gives up and names the server.
        do {
            _ = try await Database.open(.postgres("postgres://motcua:secret@127.0.0.1:9/x"), logger: Logger(label: "test"), connectTimeout: .seconds(1))
            Issue.record("opened a database that is not there")
        } catch let error as DatabaseUnreachable {
            #expect(error.description.contains("127.0.0.1:9"))
            #expect(!error.description.contains("secret"))
        }
    }
}

@Suite("Reading times")
struct RFC3339Tests {
    @Test func itReadsWhatFoundationReads() {
        let foundation = ISO8601DateFormatter()
        foundation.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in ["2026-03-02T10:00:00.250+07:00", "2026-03-02T03:00:00.000Z", "1999-12-31T23:59:59.999-05:30", "2024-02-29T12:00:00.5+00:00"] {
            #expect(RFC3339.parse(text) == foundation.date(from: text), "\(text)")
        }
        #expect(RFC3339.parse("2026-03-02T10:00:00+07:00") == Date(timeIntervalSince1970: 1_772_420_400))
        for bad in ["", "2026-03-02", "2026-13-02T10:00:00Z", "2026-03-02T10:00:00", "2026-03-02T10:00:00+0700", "2026-03-02T10:00:00.Z", "yesterday"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func writingThenReadingGivesTheSameMillisecond() {
        for seconds in stride(from: -1_000_000_000.0, to: 4_000_000_000.0, by: 123_456_789.123) {
            let instant = Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000)
            #expect(RFC3339.parse(VietnamTime.rfc3339Milliseconds(instant)) == instant)
        }
    }
}
