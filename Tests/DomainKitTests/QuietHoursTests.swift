import DomainKit
import Foundation
import Testing

@Suite("Quiet hours")
struct QuietHoursTests {
    /// An instant given in Vietnam time.
    func vietnam(_ text: String) -> Date { ISO8601DateFormatter().date(from: text + "+07:00")! }

    @Test func theNightIsHeldUntilItsEndInVietnamTime() {
        let night = QuietHours.standard
        #expect(night.release(self.vietnam("2026-12-01T21:59:00")) == self.vietnam("2026-12-01T21:59:00"))
        #expect(night.release(self.vietnam("2026-12-01T22:00:00")) == self.vietnam("2026-12-02T06:00:00"))
        #expect(night.release(self.vietnam("2026-12-02T03:10:00")) == self.vietnam("2026-12-02T06:00:00"))
        #expect(night.release(self.vietnam("2026-12-02T06:00:00")) == self.vietnam("2026-12-02T06:00:00"))
    }

    @Test func aWindowWithinOneDayAndTheWaysToWriteOneWrongly() throws {
        let lunch = try #require(QuietHours("11:30-13:30"))
        #expect(lunch.release(self.vietnam("2026-12-01T12:00:00")) == self.vietnam("2026-12-01T13:30:00"))
        #expect(lunch.release(self.vietnam("2026-12-01T13:30:00")) == self.vietnam("2026-12-01T13:30:00"))
        #expect(lunch.release(self.vietnam("2026-12-01T23:00:00")) == self.vietnam("2026-12-01T23:00:00"))
        for wrong in ["22-06", "25:00-06:00", "22:00-06:60", "22:00", "06:00-06:00", ""] { #expect(QuietHours(wrong) == nil, "\(wrong)") }
    }
}
