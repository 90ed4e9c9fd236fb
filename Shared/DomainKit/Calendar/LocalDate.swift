import Foundation

/// A calendar day without a time, as Vietnamese law counts days.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the day does not exist (30 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDays.length(ofMonth: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private init(days: Int64) {
        (self.year, self.month, self.day) = CivilDays.civil(days)
    }

    /// Days since 1 January 1970.
    var daysSinceEpoch: Int64 { CivilDays.days(year: self.year, month: self.month, day: self.day) }

    /// The Vietnam-time day on which an instant falls.
    public init(_ instant: Date) {
        let local = Int64((instant.timeIntervalSince1970 + TimeInterval(VietnamTime.offset)).rounded(.down))
        self.init(days: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
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
        Date(timeIntervalSince1970: TimeInterval(self.daysSinceEpoch * 86_400 + Int64(minutes) * 60 - Int64(VietnamTime.offset)))
    }

    /// The day n days later (earlier for negative n).
    public func adding(days: Int) -> LocalDate {
        LocalDate(days: self.daysSinceEpoch + Int64(days))
    }

    /// 1 = Sunday ... 7 = Saturday, as Foundation's Gregorian calendar numbers weekdays (1 January 1970 was a Thursday).
    public var weekday: Int {
        Int(((self.daysSinceEpoch + 4) % 7 + 7) % 7) + 1
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
    /// Seconds east of UTC.
    public static let offset = 7 * 3600
    public static let timeZone = TimeZone(secondsFromGMT: offset)!

    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Minutes since local midnight.
    public static func minuteOfDay(_ instant: Date) -> Int {
        let local = Int64((instant.timeIntervalSince1970 + TimeInterval(offset)).rounded(.down))
        return Int(((local % 86_400) + 86_400) % 86_400 / 60)
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
        let civil = CivilDays.civil(days)
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        let seconds = millisecondOfDay / 1000
        let pad: (Int64, Int) -> String = Digits.padded
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if milliseconds { text += "." + pad(millisecondOfDay % 1000, 3) }
        return text + "+07:00"
    }
}

/// The proleptic Gregorian calendar as integer arithmetic (Howard Hinnant's days-from-civil and civil-from-days): the
/// same answers as Foundation's Gregorian calendar at a fixed offset, without its cost, which a queue paid for every
/// day of every late dossier's delay.
enum CivilDays {
    /// Days since 1 January 1970 of a date.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1 January 1970.
    static func civil(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
