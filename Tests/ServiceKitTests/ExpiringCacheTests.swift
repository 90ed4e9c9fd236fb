import ServiceKit
import Testing

@Suite("Values kept for a while")
struct ExpiringCacheTests {
    @Test func keptForTheirLifetimeForgottenOnAChangeAndBoundedInNumber() {
        let start = ContinuousClock.now
        let cache = ExpiringCache<String>(lifetime: .milliseconds(200), capacity: 4)
        cache.keep("A", #"{"status":2}"#, now: start)
        #expect(cache.find("A", now: start) == #"{"status":2}"#)
        cache.forget("A")
        #expect(cache.find("A", now: start) == nil, "a change made here is seen at once")

        cache.keep("B", "b", now: start)
        #expect(cache.find("B", now: start + .milliseconds(199)) == "b")
        #expect(cache.find("B", now: start + .milliseconds(200)) == nil, "a change made elsewhere is seen after the lifetime")

        for (offset, key) in ["C", "D", "E", "F", "G"].enumerated() { cache.keep(key, key, now: start + .milliseconds(offset)) }
        #expect(["C", "D", "E", "F", "G"].compactMap { cache.find($0, now: start) }.count <= 4, "never more than its capacity")
        #expect(cache.find("G", now: start) == "G", "the newest is kept")
        #expect(cache.find("C", now: start) == nil, "the oldest goes first")
    }

    @Test func aLifetimeOfZeroKeepsNothing() {
        let cache = ExpiringCache<String>(lifetime: .zero)
        cache.keep("A", "a")
        #expect(cache.find("A") == nil)
    }
}
