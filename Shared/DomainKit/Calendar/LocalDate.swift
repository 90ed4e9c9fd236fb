import Foundation

/// A calendar day without a time, as Vietnamese law counts days.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the day does not exist (30 February).
    public init?(year: Int, month: Int, day: Int) {
        var components = DateComponents(year: year, month: month, day: day)
        components.calendar = VietnamTime.calendar
        guard components.isValidDate else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The Vietnam-time day on which an instant falls.
    public init(_ instant: Date) {
        let components = VietnamTime.calendar.dateComponents([.year, .month, .day], from: instant)
        self.year = components.year!
        self.month = components.month!
        self.day = components.day!
    }

    /// Parses "yyyy-MM-dd".
    public init?(iso text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Midnight at the start of the day, Vietnam time, plus the given minutes.
    public func instant(minutes: Int = 0) -> Date {
        let components = DateComponents(year: self.year, month: self.month, day: self.day, hour: minutes / 60, minute: minutes % 60)
        return VietnamTime.calendar.date(from: components)!
    }

    /// The day n days later (earlier for negative n).
    public func adding(days: Int) -> LocalDate {
        LocalDate(VietnamTime.calendar.date(byAdding: .day, value: days, to: self.instant(minutes: 12 * 60))!)
    }

    /// 1 = Sunday ... 7 = Saturday, as Foundation's Gregorian calendar numbers weekdays.
    public var weekday: Int {
        VietnamTime.calendar.component(.weekday, from: self.instant(minutes: 12 * 60))
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String { Digits.padded(self.year, width: 4) + "-" + Digits.padded(self.month, width: 2) + "-" + Digits.padded(self.day, width: 2) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a yyyy-MM-dd date"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

/// Vietnam keeps UTC+7 all year, with no daylight saving.
public enum VietnamTime {
    public static let timeZone = TimeZone(secondsFromGMT: 7 * 3600)!

    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Minutes since local midnight.
    public static func minuteOfDay(_ instant: Date) -> Int {
        let components = calendar.dateComponents([.hour, .minute], from: instant)
        return components.hour! * 60 + components.minute!
    }

    /// RFC 3339 with the +07:00 offset, as every MotCua API writes times: "2026-03-02T10:00:00+07:00".
    public static func rfc3339(_ instant: Date) -> String {
        self.format(instant, milliseconds: false)
    }

    /// The same with milliseconds, "2026-03-02T10:00:00.250+07:00", for logs and JSON.
    public static func rfc3339Milliseconds(_ instant: Date) -> String {
        self.format(instant, milliseconds: true)
    }

    /// Integer arithmetic (Howard Hinnant's civil-from-days) rather than a formatter object: it runs on every log
    /// line and every JSON time, and formatter objects are neither cheap nor documented as thread-safe on Linux.
    private static func format(_ instant: Date, milliseconds: Bool) -> String {
        // To the nearest millisecond: truncating would turn 0.123 (stored as 0.12299…) into 0.122.
        let totalMilliseconds = Int64((instant.timeIntervalSince1970 * 1000).rounded()) + 7 * 3_600_000
        var days = totalMilliseconds / 86_400_000
        var millisecondOfDay = totalMilliseconds % 86_400_000
        if millisecondOfDay < 0 {
            millisecondOfDay += 86_400_000
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let seconds = millisecondOfDay / 1000
        let pad: (Int64, Int) -> String = Digits.padded
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if milliseconds { text += "." + pad(millisecondOfDay % 1000, 3) }
        return text + "+07:00"
    }
}
