import SQLKit

/// Writes that arrive together are made together: one transaction, and as few statements as `write` can manage for
/// the whole batch, instead of a transaction (and its trips to the database's thread) per request. A lone write is a
/// batch of one and waits for nobody. Every caller gets its answer only after its batch committed; when a batch
/// fails as a whole, each of its items is written again alone, so one bad item fails only itself. Two items with the
/// same `conflictKey` (an idempotency key) are never written at once, in one batch or in two: the second must see
/// what the first wrote.
public actor WriteBatcher<Item: Sendable, Output: Sendable> {
    public typealias Write = @Sendable ([Item], any SQLDatabase) async throws -> [Result<Output, any Error>]

    private typealias Entry = (item: Item, answer: CheckedContinuation<Output, any Error>)
    private let database: Database
    private let maximum: Int
    private let lanes: Int
    private let conflictKey: @Sendable (Item) -> String?
    private let writeBatch: Write
    private var pending: [Entry] = []
    /// Batches being written now, and the conflict keys they hold.
    private var running = 0
    private var heldKeys: Set<String> = []

    /// `write` answers one result per item, in order, inside the batch's transaction. `lanes` batches may be written
    /// at once, each in its own transaction: more than one only where the database runs transactions side by side
    /// (PostgreSQL) and `write` takes its row locks in one order; SQLite has one writer, so one lane.
    public init(database: Database, maximum: Int = 64, lanes: Int = 1, conflictKey: @escaping @Sendable (Item) -> String? = { _ in nil },
                write: @escaping Write) {
        self.database = database
        self.maximum = max(1, maximum)
        self.lanes = max(1, lanes)
        self.conflictKey = conflictKey
        self.writeBatch = write
    }

    public func write(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { answer in
            self.pending.append((item, answer))
            self.startBatches()
        }
    }

    /// Starts a batch in each free lane from what waits, oldest first. An item whose key a batch already holds (in
    /// this one or one being written) waits for a later batch.
    private func startBatches() {
        while self.running < self.lanes && !self.pending.isEmpty {
            var batch: [Entry] = []
            var later: [Entry] = []
            var keys: Set<String> = []
            for entry in self.pending {
                let key = self.conflictKey(entry.item)
                if batch.count < self.maximum, key.map({ !self.heldKeys.contains($0) && keys.insert($0).inserted }) ?? true {
                    batch.append(entry)
                } else {
                    later.append(entry)
                }
            }
            guard !batch.isEmpty else { return }
            self.pending = later
            self.running += 1
            self.heldKeys.formUnion(keys)
            Task { [batch, keys] in
                await self.run(batch)
                self.finished(keys)
            }
        }
    }

    private func finished(_ keys: Set<String>) {
        self.running -= 1
        self.heldKeys.subtract(keys)
        self.startBatches()
    }

    private func run(_ batch: [Entry]) async {
        let items = batch.map(\.item)
        let write = self.writeBatch
        do {
            let results = try await self.database.transaction { db in try await write(items, db) }
            for (entry, result) in zip(batch, results) { entry.answer.resume(with: result) }
        } catch {
            guard batch.count > 1 else { return batch[0].answer.resume(throwing: error) }
            for entry in batch { await self.run([entry]) }
        }
    }
}
