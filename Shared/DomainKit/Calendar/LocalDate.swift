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

    public var description: String { String(format: "%04d-%02d-%02d", self.year, self.month, self.day) }

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

    /// RFC 3339 with the +07:00 offset, as every MotCua API writes times.
    public static func rfc3339(_ instant: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: instant)
    }
}
