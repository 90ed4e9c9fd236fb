import DomainKit
import Foundation
import Testing

@Suite("Time-ordered identifiers (UUID version 7)")
struct TimeOrderedIDTests {
    @Test func anIdentifierIsAVersionSevenUUIDThatNamesTheMillisecondItWasMadeIn() throws {
        let at = Date(timeIntervalSince1970: 1_796_300_000.1235)
        let id = TimeOrderedID.make(at: at)
        let uuid = try #require(UUID(uuidString: id), "a UUID that Foundation reads")
        #expect(id == id.lowercased() && id.count == 36)
        #expect(uuid.uuid.6 >> 4 == 7, "version 7")
        #expect(uuid.uuid.8 >> 6 == 0b10, "the RFC variant")
        // The first 48 bits are the Unix time in milliseconds.
        let millis = UInt64(id.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16)
        #expect(millis == 1_796_300_000_123)
    }

    @Test func laterIdentifiersSortAfterEarlierOnesAndNoneRepeats() {
        let start = Date(timeIntervalSince1970: 1_796_300_000)
        // Ten in each millisecond (half-way through it: a float sum may land a hair before the millisecond it means).
        let ids = (0..<2_000).map { TimeOrderedID.make(at: start.addingTimeInterval((Double($0 / 10) + 0.5) / 1000)) }
        // Made in later milliseconds: later in text order, as an index keeps them.
        for (earlier, later) in zip(ids, ids.dropFirst(10)) { #expect(earlier < later) }
        #expect(Set(ids).count == ids.count, "74 random bits: ten in one millisecond do not collide")
    }
}
