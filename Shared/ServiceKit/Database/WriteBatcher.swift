import SQLKit

/// Writes that arrive together are made together: one transaction, and as few statements as `write` can manage for
/// the whole batch, instead of a transaction (and its trips to the database's thread) per request. A lone write is a
/// batch of one and waits for nobody. Every caller gets its answer only after its batch committed; when a batch
/// fails as a whole, each of its items is written again alone, so one bad item fails only itself. Two items with the
/// same `conflictKey` (an idempotency key) never share a batch: the second must see what the first wrote.
public actor WriteBatcher<Item: Sendable, Output: Sendable> {
    public typealias Write = @Sendable ([Item], any SQLDatabase) async throws -> [Result<Output, any Error>]

    private typealias Entry = (item: Item, answer: CheckedContinuation<Output, any Error>)
    private let database: Database
    private let maximum: Int
    private let conflictKey: @Sendable (Item) -> String?
    private let writeBatch: Write
    private var pending: [Entry] = []
    private var draining = false

    /// `write` answers one result per item, in order, inside the batch's transaction.
    public init(database: Database, maximum: Int = 64, conflictKey: @escaping @Sendable (Item) -> String? = { _ in nil },
                write: @escaping Write) {
        self.database = database
        self.maximum = max(1, maximum)
        self.conflictKey = conflictKey
        self.writeBatch = write
    }

    public func write(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { answer in
            self.pending.append((item, answer))
            if !self.draining {
                self.draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !self.pending.isEmpty {
            var batch: [Entry] = []
            var later: [Entry] = []
            var keys: Set<String> = []
            for entry in self.pending {
                if batch.count < self.maximum, self.conflictKey(entry.item).map({ keys.insert($0).inserted }) ?? true {
                    batch.append(entry)
                } else {
                    later.append(entry)
                }
            }
            self.pending = later
            await self.run(batch)
        }
        self.draining = false
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
