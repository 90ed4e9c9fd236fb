import Foundation

/// Counts legal processing time: working periods on working days, skipping weekends and holidays.
public struct WorkingCalendar: Sendable {
    public let hours: WorkingHours
    /// Weekdays off, numbered 1 = Sunday ... 7 = Saturday.
    public let weekend: Set<Int>
    private let holidays: Set<LocalDate>
    private let workingWeekendDays: Set<LocalDate>

    public init(hours: WorkingHours = .standard, weekend: Set<Int> = [1, 7], holidays: HolidayTable = .vietnam) {
        self.hours = hours
        self.weekend = weekend
        self.holidays = Set(holidays.holidays.map(\.date))
        self.workingWeekendDays = Set(holidays.workingWeekendDays)
    }

    /// The calendar every service uses unless told otherwise.
    public static let vietnam = WorkingCalendar()

    /// Whether offices are open on that day.
    public func isWorkingDay(_ day: LocalDate) -> Bool {
        if self.holidays.contains(day) { return false }
        if self.workingWeekendDays.contains(day) { return true }
        return !self.weekend.contains(day.weekday)
    }

    /// The instant after `start` at which `seconds` of working time have passed. Time outside working periods does not
    /// count, so a dossier received after hours starts counting the next working morning. Adding nothing changes nothing.
    public func adding(workingSeconds seconds: TimeInterval, to start: Date) -> Date {
        guard seconds > 0 else { return start }
        var remaining = seconds
        var day = LocalDate(start)
        var offset = start.timeIntervalSince(day.instant())
        for _ in 0..<Self.maximumDaysScanned {
            if self.isWorkingDay(day) {
                let midnight = day.instant()
                for period in self.hours.periods {
                    let periodEnd = TimeInterval(period.end * 60)
                    guard offset < periodEnd else { continue }
                    let from = max(offset, TimeInterval(period.start * 60))
                    let available = periodEnd - from
                    if remaining <= available {
                        return midnight.addingTimeInterval(from + remaining)
                    }
                    remaining -= available
                    offset = periodEnd
                }
            }
            day = day.adding(days: 1)
            offset = 0
        }
        preconditionFailure("no working time within \(Self.maximumDaysScanned) days: the holiday table is wrong")
    }

    /// Adds whole working minutes.
    public func adding(workingMinutes minutes: Int, to start: Date) -> Date {
        self.adding(workingSeconds: TimeInterval(minutes * 60), to: start)
    }

    /// Adds working days of `hours.minutesPerDay` each (eight hours with the standard hours).
    public func adding(workingDays days: Int, to start: Date) -> Date {
        self.adding(workingMinutes: days * self.hours.minutesPerDay, to: start)
    }

    /// The working days between two instants, in days of `hours.minutesPerDay` (a fraction for part of one); zero when
    /// `end` is not after `start`.
    public func workingDays(from start: Date, to end: Date) -> Double {
        self.workingSeconds(from: start, to: end) / Double(self.hours.minutesPerDay * 60)
    }

    /// The working time between two instants; zero when `end` is not after `start`.
    public func workingSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        var total: TimeInterval = 0
        var day = LocalDate(start)
        let lastDay = LocalDate(end)
        while day <= lastDay {
            if self.isWorkingDay(day) {
                let midnight = day.instant()
                for period in self.hours.periods {
                    let from = max(start, midnight.addingTimeInterval(TimeInterval(period.start * 60)))
                    let to = min(end, midnight.addingTimeInterval(TimeInterval(period.end * 60)))
                    if to > from { total += to.timeIntervalSince(from) }
                }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    /// The first instant at or after `instant` that lies inside a working period.
    public func nextWorkingInstant(atOrAfter instant: Date) -> Date {
        var day = LocalDate(instant)
        var offset = instant.timeIntervalSince(day.instant())
        for _ in 0..<Self.maximumDaysScanned {
            if self.isWorkingDay(day) {
                for period in self.hours.periods where offset < TimeInterval(period.end * 60) {
                    return day.instant().addingTimeInterval(max(offset, TimeInterval(period.start * 60)))
                }
            }
            day = day.adding(days: 1)
            offset = 0
        }
        preconditionFailure("no working time within \(Self.maximumDaysScanned) days: the holiday table is wrong")
    }

    /// The legal due date of a dossier received at `receivedAt` whose procedure takes `workingDays`.
    public func dueDate(receivedAt: Date, workingDays: Int) -> Date {
        self.adding(workingDays: workingDays, to: receivedAt)
    }

    /// A supplement or fee wait from `pausedAt` to `resumedAt` moves the due date by the working time it took.
    public func shiftingDue(_ due: Date, pausedAt: Date, resumedAt: Date) -> Date {
        self.adding(workingSeconds: self.workingSeconds(from: pausedAt, to: resumedAt), to: due)
    }

    /// Early when finished on a day before the due day, late when after the due instant, on time otherwise.
    public func timeliness(finishedAt: Date, due: Date) -> Timeliness {
        if finishedAt > due { return .late }
        return LocalDate(finishedAt) < LocalDate(due) ? .early : .onTime
    }

    private static let maximumDaysScanned = 3660
}

/// How a settled dossier compares with its due date, as the statistics report it.
public enum Timeliness: String, Codable, Sendable, CaseIterable {
    case early
    case onTime
    case late
}
