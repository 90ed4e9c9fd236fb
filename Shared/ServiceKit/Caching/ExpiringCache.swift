import Synchronization

/// Values kept in memory for a fixed time, under a lock (it is asked on hot paths such as public look-ups, where an
/// actor hop would cost more than the read). Past `capacity` keys the oldest half goes; a lifetime of zero keeps
/// nothing. Staleness is bounded by the lifetime; whoever changes a value's source calls `forget`.
public final class ExpiringCache<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    public let lifetime: Duration
    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    public init(lifetime: Duration, capacity: Int = 20_000) {
        self.lifetime = lifetime
        self.capacity = max(2, capacity)
    }

    public func find(_ key: String, now: ContinuousClock.Instant = .now) -> Value? {
        guard self.lifetime > .zero else { return nil }
        return self.entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires > now { return entry.value }
            entries[key] = nil
            return nil
        }
    }

    public func keep(_ key: String, _ value: Value, now: ContinuousClock.Instant = .now) {
        guard self.lifetime > .zero else { return }
        self.entries.withLock { entries in
            if entries.count >= self.capacity {
                let oldest = entries.sorted { $0.value.expires < $1.value.expires }.prefix(self.capacity / 2).map(\.key)
                for key in oldest { entries[key] = nil }
            }
            entries[key] = Entry(value: value, expires: now + self.lifetime)
        }
    }

    public func forget(_ key: String) {
        guard self.lifetime > .zero else { return }
        _ = self.entries.withLock { $0.removeValue(forKey: key) }
    }
}
