import Foundation
import Logging
import ServiceKit
import SQLKit
import Synchronization
import Testing

/// How `WriteBatcher` shares the writing out: batches side by side where the database allows it, never two writes of
/// one key at once, and a failing item failing alone.
@Suite("Write batches")
struct WriteBatcherTests {
    /// What the batches' `write` saw: how many ran at once at most, and whether a key was ever in two at once.
    final class Watch: Sendable {
        private struct State { var running = 0, most = 0, keysInFlight: [String: Int] = [:], overlapped = false, written: [String] = [] }
        private let state = Mutex(State())

        func begin(_ keys: [String]) {
            self.state.withLock { state in
                state.running += 1
                state.most = max(state.most, state.running)
                for key in keys {
                    if state.keysInFlight[key, default: 0] > 0 { state.overlapped = true }
                    state.keysInFlight[key, default: 0] += 1
                }
            }
        }

        func end(_ keys: [String]) {
            self.state.withLock { state in
                state.running -= 1
                for key in keys { state.keysInFlight[key, default: 0] -= 1 }
                state.written += keys
            }
        }

        var most: Int { self.state.withLock { $0.most } }

        /// Holds a batch until `count` have been running at once (once), or `limit` has passed: side by side is then
        /// what the batcher allows, not how fast a loaded machine happened to start the next lane.
        func untilRunTogether(_ count: Int, limit: Duration) async throws {
            let deadline = ContinuousClock.now + limit
            while self.most < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        }
        var overlapped: Bool { self.state.withLock { $0.overlapped } }
        var written: [String] { self.state.withLock { $0.written } }
    }

    struct Bad: Error {}

    @Test func batchesRunSideBySideOnlyWhereTheDatabaseCanAndOneKeyIsNeverWrittenTwiceAtOnce() async throws {
        let database = try await Database.open(ServiceSettings.testing(name: "batches").database, logger: Logger(label: "test"))
        let watch = Watch()
        // Each batch holds its transaction a while, so that later writes pile up behind it. On PostgreSQL the first
        // batches wait (up to 5 s) for three to be running at once; SQLite's one writer never lets them, so there
        // a batch holds on for 30 ms only.
        let batcher = WriteBatcher<String, String>(database: database, maximum: 4, lanes: 3, conflictKey: { $0 }) { items, db in
            watch.begin(items)
            try await db.raw("SELECT 1").run()
            switch database.dialect {
            case .postgres: try await watch.untilRunTogether(3, limit: .seconds(5))
            case .sqlite: try await Task.sleep(for: .milliseconds(30))
            }
            watch.end(items)
            return items.map { $0 == "bad" ? .failure(Bad()) : .success($0.uppercased()) }
        }
        // Twenty writes of five keys, and one that fails.
        let items = (0..<20).map { "k\($0 % 5)" } + ["bad"]
        let answers = await withTaskGroup(of: Result<String, any Error>.self) { group in
            for item in items { group.addTask { do { return .success(try await batcher.write(item)) } catch { return .failure(error) } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.compactMap { try? $0.get() }.sorted() == items.filter { $0 != "bad" }.map { $0.uppercased() }.sorted())
        #expect(answers.filter { if case .failure(let error) = $0 { error is Bad } else { false } }.count == 1)
        #expect(!watch.overlapped, "two writes of one key were in flight at once")
        #expect(watch.written.filter { $0 == "k0" }.count == 4)
        // PostgreSQL runs the three lanes' transactions at once; SQLite's one writer takes them in turn.
        switch database.dialect {
        case .postgres: #expect(watch.most == 3)
        case .sqlite: #expect(watch.most == 1)
        }
        await database.close()
    }
}
