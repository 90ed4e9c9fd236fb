import Foundation
import Synchronization

/// A clock a test sets by hand and a service reads (`clock: { clock.now }`).
public final class TestClock: Sendable {
    private let box: Mutex<Date>

    public init(_ start: Date = Date()) {
        self.box = Mutex(start)
    }

    public var now: Date { self.box.withLock { $0 } }

    public func set(_ date: Date) { self.box.withLock { $0 = date } }

    public func advance(_ seconds: TimeInterval) { self.box.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
