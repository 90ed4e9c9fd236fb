import Foundation

/// How long to wait before trying again: doubling from `base` after each failure, capped at `cap`, with jitter
/// (half to all of it) so that many senders recovering together do not all hit a partner at the same moment.
/// The outbox dispatcher and the notification senders both wait this way.
public struct Backoff: Sendable, Equatable {
    public var base: Double
    public var cap: Double

    public init(base: Double, cap: Double) {
        self.base = base
        self.cap = cap
    }

    /// The longest the wait after `attempts` failures can be (before jitter).
    public func ceiling(afterAttempts attempts: Int) -> Double {
        min(self.cap, self.base * pow(2, Double(min(62, max(0, attempts - 1)))))
    }

    /// Seconds to wait after `attempts` failures.
    public func delay(afterAttempts attempts: Int) -> Double {
        self.ceiling(afterAttempts: attempts) * Double.random(in: 0.5...1.0)
    }
}
