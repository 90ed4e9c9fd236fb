import Foundation
import Synchronization

/// The public look-up's answers, kept in memory for a few seconds: a kiosk or a crowd refreshing the same codes is
/// answered without a trip to the database. A change to a dossier made by this instance forgets its code at once;
/// one made by another replica shows within `seconds` (the staleness a public progress page can bear). Unknown codes
/// are never kept, so guessing fills nothing; past `capacity` codes the oldest half is dropped.
final class PublicViewCache: Sendable {
    struct Entry: Sendable {
        let phone: String
        let view: String
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: Duration
    private let capacity: Int

    /// `seconds` 0 keeps nothing.
    init(seconds: Double, capacity: Int = 20_000) {
        self.lifetime = .milliseconds(Int(seconds * 1000))
        self.capacity = capacity
    }

    var enabled: Bool { self.lifetime > .zero }

    func find(_ code: String) -> Entry? {
        guard self.enabled else { return nil }
        let now = ContinuousClock.now
        return self.entries.withLock { entries in
            guard let entry = entries[code] else { return nil }
            if entry.expires > now { return entry }
            entries[code] = nil
            return nil
        }
    }

    func keep(_ code: String, phone: String, view: String) {
        guard self.enabled else { return }
        let entry = Entry(phone: phone, view: view, expires: ContinuousClock.now + self.lifetime)
        self.entries.withLock { entries in
            if entries.count >= self.capacity {
                let oldest = entries.sorted { $0.value.expires < $1.value.expires }.prefix(self.capacity / 2).map(\.key)
                for key in oldest { entries[key] = nil }
            }
            entries[code] = entry
        }
    }

    func forget(_ code: String) {
        guard self.enabled else { return }
        _ = self.entries.withLock { $0.removeValue(forKey: code) }
    }
}
