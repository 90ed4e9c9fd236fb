import Foundation

/// The office's working periods in a day, in minutes since local midnight.
public struct WorkingHours: Sendable, Equatable {
    /// One stretch of work, such as the morning 07:00-11:30.
    public struct Period: Sendable, Equatable {
        public let start: Int
        public let end: Int
    }

    public let periods: [Period]

    /// 07:00-11:30 and 13:30-17:00: eight working hours, as the provincial offices keep them.
    public static let standard = try! WorkingHours(parsing: "07:00-11:30,13:30-17:00")

    /// Reads "HH:mm-HH:mm,HH:mm-HH:mm"; periods must be in order and must not overlap.
    public init(parsing text: String) throws(ParseError) {
        var periods: [Period] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-")
            guard ends.count == 2, let start = Self.minutes(ends[0]), let end = Self.minutes(ends[1]), start < end else {
                throw ParseError(text: text)
            }
            if let last = periods.last, last.end > start { throw ParseError(text: text) }
            periods.append(Period(start: start, end: end))
        }
        guard !periods.isEmpty else { throw ParseError(text: text) }
        self.periods = periods
    }

    /// The working minutes in one working day.
    public var minutesPerDay: Int { self.periods.reduce(0) { $0 + $1.end - $1.start } }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "'\(self.text)' is not a list of working periods such as 07:00-11:30,13:30-17:00"
        }
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m) else { return nil }
        let total = h * 60 + m
        return total <= 24 * 60 ? total : nil
    }
}

