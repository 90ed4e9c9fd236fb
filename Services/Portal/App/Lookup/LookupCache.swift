import Foundation
import Synchronization

/// Single-window's look-up answers, kept for a short while: a kiosk queue or a crowd refreshing their phones asks
/// the same few dossiers again and again. A dossier's entries are dropped as soon as an event says it changed (the
/// portal subscribes to `dossier.*`); the time limit bounds how stale an answer can be on a replica that did not get
/// the event (events go to one portal instance). A lifetime of zero keeps nothing (`LOOKUP_CACHE_SECONDS=0`).
final class LookupCache: Sendable {
    private struct State {
        var entries: [String: (body: Data, storedAt: ContinuousClock.Instant)] = [:]
        var keysByCode: [String: Set<String>] = [:]
    }

    private let lifetime: Duration
    private let capacity: Int
    /// A lock rather than an actor: every look-up asks it, and holds it for one dictionary read.
    private let state = Mutex(State())

    init(lifetime: Duration = .seconds(30), capacity: Int = 50_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    static func key(code: String, phoneDigits: String) -> String { code + "|" + phoneDigits }

    func answer(code: String, phoneDigits: String, now: ContinuousClock.Instant = .now) -> Data? {
        let key = Self.key(code: code, phoneDigits: phoneDigits)
        return self.state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard now - entry.storedAt < self.lifetime else {
                state.entries[key] = nil
                return nil
            }
            return entry.body
        }
    }

    /// Keeps a found dossier's answer (never a refusal: a wrong guess must ask single-window, and count there).
    func store(_ body: Data, code: String, phoneDigits: String, now: ContinuousClock.Instant = .now) {
        guard self.lifetime > .zero else { return }
        let key = Self.key(code: code, phoneDigits: phoneDigits)
        self.state.withLock { state in
            if state.entries.count >= self.capacity {
                state.entries.removeAll(keepingCapacity: true)
                state.keysByCode.removeAll(keepingCapacity: true)
            }
            state.entries[key] = (body, now)
            state.keysByCode[code, default: []].insert(key)
        }
    }

    /// The dossier changed: its answers go.
    func forget(code: String) {
        self.state.withLock { state in
            for key in state.keysByCode.removeValue(forKey: code) ?? [] { state.entries[key] = nil }
        }
    }
}
