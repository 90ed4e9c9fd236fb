import Foundation
@testable import SingleWindowApp
import Testing

@Suite("The look-up's short memory")
struct PublicViewCacheTests {
    @Test func answersAreKeptForTheirSecondsForgottenOnAChangeAndBoundedInNumber() async throws {
        let cache = PublicViewCache(seconds: 0.2, capacity: 4)
        cache.keep("A", phone: "0912345678", view: #"{"status":2}"#)
        #expect(cache.find("A")?.view == #"{"status":2}"# && cache.find("A")?.phone == "0912345678")
        cache.forget("A")
        #expect(cache.find("A") == nil, "a change made here is seen at once")

        cache.keep("B", phone: "1", view: "b")
        try await Task.sleep(for: .milliseconds(300))
        #expect(cache.find("B") == nil, "a change made on another replica is seen after the cache's seconds")

        for code in ["C", "D", "E", "F", "G"] { cache.keep(code, phone: "1", view: code) }
        #expect(["C", "D", "E", "F", "G"].compactMap { cache.find($0) }.count <= 4, "never more than its capacity")
        #expect(cache.find("G")?.view == "G", "the newest is kept")
    }

    @Test func zeroSecondsKeepsNothing() {
        let cache = PublicViewCache(seconds: 0)
        cache.keep("A", phone: "1", view: "a")
        #expect(cache.find("A") == nil)
    }
}
