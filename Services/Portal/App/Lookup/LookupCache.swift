import Foundation

/// Single-window's look-up answers, kept for a short while: a kiosk queue or a crowd refreshing their phones asks
/// the same few dossiers again and again. A dossier's entries are dropped as soon as an event says it changed (the
/// portal subscribes to `dossier.*`); the time limit bounds how stale an answer can be on a replica that did not get
/// the event (events go to one portal instance).
actor LookupCache {
    private let lifetime: Duration
    private let capacity: Int
    private var entries: [String: (body: Data, storedAt: ContinuousClock.Instant)] = [:]
    private var keysByCode: [String: Set<String>] = [:]

    init(lifetime: Duration = .seconds(30), capacity: Int = 50_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    static func key(code: String, phoneDigits: String) -> String { code + "|" + phoneDigits }

    func answer(code: String, phoneDigits: String, now: ContinuousClock.Instant = .now) -> Data? {
        let key = Self.key(code: code, phoneDigits: phoneDigits)
        guard let entry = self.entries[key] else { return nil }
        guard now - entry.storedAt < self.lifetime else {
            self.entries[key] = nil
            return nil
        }
        return entry.body
    }

    /// Keeps a found dossier's answer (never a refusal: a wrong guess must ask single-window, and count there).
    func store(_ body: Data, code: String, phoneDigits: String, now: ContinuousClock.Instant = .now) {
        if self.entries.count >= self.capacity {
            self.entries.removeAll(keepingCapacity: true)
            self.keysByCode.removeAll(keepingCapacity: true)
        }
        let key = Self.key(code: code, phoneDigits: phoneDigits)
        self.entries[key] = (body, now)
        self.keysByCode[code, default: []].insert(key)
    }

    /// The dossier changed: its answers go.
    func forget(code: String) {
        for key in self.keysByCode.removeValue(forKey: code) ?? [] { self.entries[key] = nil }
    }
}
