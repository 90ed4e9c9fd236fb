import DomainKit
import Foundation
import PropertyBased
import Testing

/// An instant in Vietnam time, for readable examples.
func vn(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
    LocalDate(year: year, month: month, day: day)!.instant(minutes: hour * 60 + minute)
}

@Suite("Working calendar")
struct WorkingCalendarTests {
    let calendar = WorkingCalendar.vietnam

    @Test func standardHoursAreEightPerDay() {
        #expect(self.calendar.hours.minutesPerDay == 480)
    }

    @Test func oneWorkingDayFromMidMorning() {
        // Monday 2026-03-02 10:00 + 1 day: 90 + 210 minutes that day, 180 the next morning.
        #expect(self.calendar.dueDate(receivedAt: vn(2026, 3, 2, 10), workingDays: 1) == vn(2026, 3, 3, 10))
    }

    @Test func afterHoursReceiptCountsFromTheNextWorkingMorning() {
        // Friday 2026-03-06 18:30: the clock starts Monday 07:00, three days later is Thursday 07:00 -> ends Wed 17:00.
        #expect(self.calendar.dueDate(receivedAt: vn(2026, 3, 6, 18, 30), workingDays: 3) == vn(2026, 3, 11, 17))
        // During the lunch break the clock waits for 13:30.
        #expect(self.calendar.adding(workingMinutes: 60, to: vn(2026, 3, 3, 12)) == vn(2026, 3, 3, 14, 30))
    }

    @Test func weekendsAndTetAreSkipped() {
        // Friday 13 Feb 2026 at 16:00; Tết runs 16-20 Feb, so one working hour ends Monday 23 Feb at 07:00.
        #expect(!self.calendar.isWorkingDay(LocalDate(year: 2026, month: 2, day: 17)!))
        #expect(self.calendar.adding(workingMinutes: 120, to: vn(2026, 2, 13, 16)) == vn(2026, 2, 23, 8))
    }

    @Test func aSwappedSaturdayIsAWorkingDay() {
        #expect(self.calendar.isWorkingDay(LocalDate(year: 2025, month: 4, day: 26)!))
        #expect(!self.calendar.isWorkingDay(LocalDate(year: 2025, month: 5, day: 2)!))
        #expect(!self.calendar.isWorkingDay(LocalDate(year: 2025, month: 4, day: 27)!))
    }

    @Test func theShippedTableCoversThreeYearsOfTet() {
        let table = HolidayTable.vietnam
        for year in 2025...2027 {
            #expect(table.holidays.contains { $0.date.year == year && $0.name.contains("Nguyên đán") }, "Tết \(year)")
            #expect(table.holidays.contains { $0.date.year == year && $0.name.contains("Quốc khánh") }, "National Day \(year)")
        }
    }

    @Test func aPauseMovesTheDueDateByItsWorkingTime() {
        let due = vn(2026, 3, 10, 10)
        // Paused Wednesday 4 March 16:00 to Thursday 5 March 08:00: 60 + 60 working minutes.
        let shifted = self.calendar.shiftingDue(due, pausedAt: vn(2026, 3, 4, 16), resumedAt: vn(2026, 3, 5, 8))
        #expect(shifted == vn(2026, 3, 10, 14))
    }

    @Test func timeliness() {
        let due = vn(2026, 3, 10, 10)
        #expect(self.calendar.timeliness(finishedAt: vn(2026, 3, 9, 16), due: due) == .early)
        #expect(self.calendar.timeliness(finishedAt: vn(2026, 3, 10, 9), due: due) == .onTime)
        #expect(self.calendar.timeliness(finishedAt: due, due: due) == .onTime)
        #expect(self.calendar.timeliness(finishedAt: vn(2026, 3, 10, 10, 1), due: due) == .late)
    }

    @Test func hoursCanBeConfigured() throws {
        let hours = try WorkingHours(parsing: "08:00-12:00,13:00-17:00")
        #expect(hours.minutesPerDay == 480)
        #expect(throws: WorkingHours.ParseError.self) { try WorkingHours(parsing: "08:00-12:00,11:00-17:00") }
        #expect(throws: WorkingHours.ParseError.self) { try WorkingHours(parsing: "nonsense") }
        let calendar = WorkingCalendar(hours: hours)
        #expect(calendar.adding(workingMinutes: 240, to: vn(2026, 3, 2, 8)) == vn(2026, 3, 2, 12))
    }
}

/// Instants spread over 2025-2027, minute by minute, so holidays, weekends and lunch breaks all come up.
let anyInstant = Gen.int(in: 0...(3 * 365 * 24 * 60)).map { vn(2025, 1, 1, 0).addingTimeInterval(TimeInterval($0 * 60)) }
let anyWorkingMinutes = Gen.int(in: 0...(20 * 480))

@Suite("Working calendar properties")
struct WorkingCalendarProperties {
    let calendar = WorkingCalendar.vietnam

    @Test func laterStartsNeverGiveEarlierEnds() async {
        await propertyCheck(count: 300, input: anyInstant, Gen.int(in: 0...(5 * 24 * 60)), anyWorkingMinutes) { start, gap, minutes in
            let later = start.addingTimeInterval(TimeInterval(gap * 60))
            #expect(self.calendar.adding(workingMinutes: minutes, to: start) <= self.calendar.adding(workingMinutes: minutes, to: later))
        }
    }

    @Test func moreTimeNeverEndsEarlier() async {
        await propertyCheck(count: 300, input: anyInstant, anyWorkingMinutes, anyWorkingMinutes) { start, a, b in
            let end1 = self.calendar.adding(workingMinutes: min(a, b), to: start)
            let end2 = self.calendar.adding(workingMinutes: max(a, b), to: start)
            #expect(end1 <= end2)
            #expect(end1 >= start)
        }
    }

    @Test func addingThenMeasuringGivesBackTheAmount() async {
        await propertyCheck(count: 300, input: anyInstant, anyWorkingMinutes) { start, minutes in
            let end = self.calendar.adding(workingMinutes: minutes, to: start)
            #expect(self.calendar.workingSeconds(from: start, to: end) == TimeInterval(minutes * 60))
        }
    }

    @Test func aPauseAddsExactlyItsWorkingTime() async {
        await propertyCheck(count: 300, input: anyInstant, anyInstant, Gen.int(in: 0...(10 * 24 * 60))) { due, pausedAt, length in
            let resumedAt = pausedAt.addingTimeInterval(TimeInterval(length * 60))
            let shifted = self.calendar.shiftingDue(due, pausedAt: pausedAt, resumedAt: resumedAt)
            let paused = self.calendar.workingSeconds(from: pausedAt, to: resumedAt)
            #expect(shifted >= due)
            #expect(self.calendar.workingSeconds(from: due, to: shifted) == paused)
        }
    }

    @Test func dueDatesFallInsideWorkingHours() async {
        await propertyCheck(count: 300, input: anyInstant, Gen.int(in: 1...30)) { received, days in
            let due = self.calendar.dueDate(receivedAt: received, workingDays: days)
            #expect(self.calendar.isWorkingDay(LocalDate(due)))
            let minute = VietnamTime.minuteOfDay(due)
            #expect(self.calendar.hours.periods.contains { $0.start < minute && minute <= $0.end })
        }
    }
}

@Suite("A dossier's legal clock")
struct DossierClockTests {
    let calendar = WorkingCalendar.vietnam

    @Test func receiptSetsTheDueDateAndAPauseMovesIt() {
        var clock = DossierClock()
        // Received Monday 2 March 2026 at 10:00, a 3-day procedure: due Thursday 5 March at 10:00.
        clock = clock.moving(to: .received, at: vn(2026, 3, 2, 10), processingDays: 3, calendar: self.calendar)
        #expect(clock.dueAt == vn(2026, 3, 5, 10))
        // Supplement requested Tuesday 16:00, handed in Wednesday 08:00: two working hours paused.
        clock = clock.moving(to: .supplementRequested, at: vn(2026, 3, 3, 16), processingDays: 3, calendar: self.calendar)
        #expect(clock.pausedAt == vn(2026, 3, 3, 16))
        clock = clock.moving(to: .processing, at: vn(2026, 3, 4, 8), processingDays: 3, calendar: self.calendar)
        #expect(clock.pausedAt == nil)
        #expect(clock.dueAt == vn(2026, 3, 5, 14))
        clock = clock.moving(to: .resultReady, at: vn(2026, 3, 5, 11), processingDays: 3, calendar: self.calendar)
        #expect(clock.timeliness == .onTime)
        #expect(clock.finishedAt == vn(2026, 3, 5, 11))
    }

    @Test func finishingAfterTheDueInstantIsLate() {
        var clock = DossierClock().moving(to: .received, at: vn(2026, 3, 2, 10), processingDays: 1, calendar: self.calendar)
        clock = clock.moving(to: .resultReady, at: vn(2026, 3, 3, 10, 30), processingDays: 1, calendar: self.calendar)
        #expect(clock.timeliness == .late)
    }
}

/// LocalDate counts days with integer arithmetic; Foundation's Gregorian calendar at UTC+7 is the reference it must
/// agree with, day by day over two centuries and at the edges of each day.
@Suite("Calendar days against Foundation")
struct CalendarDaysTests {
    static let foundation: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        return calendar
    }()

    @Test func everyDayFrom1950To2150AgreesWithFoundation() throws {
        var day = try #require(LocalDate(year: 1950, month: 1, day: 1))
        var midnight = try #require(Self.foundation.date(from: DateComponents(year: 1950, month: 1, day: 1)))
        while day.year < 2150 {
            #expect(day.instant() == midnight, "\(day)")
            #expect(day.weekday == Self.foundation.component(.weekday, from: midnight), "\(day)")
            // The first and the last second of the day fall on it; the second before midnight on the day before.
            #expect(LocalDate(midnight) == day && LocalDate(midnight.addingTimeInterval(86_399.9)) == day, "\(day)")
            #expect(LocalDate(midnight.addingTimeInterval(-0.5)) == day.adding(days: -1), "\(day)")
            #expect(VietnamTime.minuteOfDay(midnight.addingTimeInterval(13 * 3600 + 59 * 60 + 30)) == 13 * 60 + 59)
            let next = try #require(Self.foundation.date(byAdding: .day, value: 1, to: midnight))
            let parts = Self.foundation.dateComponents([.year, .month, .day], from: next)
            let following = day.adding(days: 1)
            #expect((following.year, following.month, following.day) == (parts.year!, parts.month!, parts.day!), "after \(day)")
            (day, midnight) = (following, next)
        }
        #expect(day.adding(days: -365 * 200).year == 1950)
    }

    @Test func daysThatDoNotExistAreRefused() {
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil && LocalDate(year: 2028, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2100, month: 2, day: 29) == nil && LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2026, month: 4, day: 31) == nil && LocalDate(year: 2026, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 1, day: 0) == nil && LocalDate(iso: "2026-12-31") != nil)
    }
}
