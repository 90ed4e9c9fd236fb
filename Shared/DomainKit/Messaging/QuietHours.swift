import Foundation

/// The night hours in which non-urgent SMS are held and then released, in Vietnam time (UTC+7 all year, whatever
/// the server's zone). Default 22:00-06:00; a window may not wrap past a whole day.
public struct QuietHours: Sendable, Equatable {
    /// Minutes after local midnight when the quiet starts and when it ends.
    public var startMinute: Int
    public var endMinute: Int

    public static let standard = QuietHours(startMinute: 22 * 60, endMinute: 6 * 60)!

    public init?(startMinute: Int, endMinute: Int) {
        guard (0..<1440).contains(startMinute), (0..<1440).contains(endMinute), startMinute != endMinute else { return nil }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// "22:00-06:00", as operators write it in settings.
    public init?(_ text: String) {
        func minutes(_ part: Substring) -> Int? {
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let hour = Int(pieces[0]), let minute = Int(pieces[1]), (0..<24).contains(hour), (0..<60).contains(minute)
            else { return nil }
            return hour * 60 + minute
        }
        let ends = text.split(separator: "-")
        guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]) else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    public func isQuiet(_ instant: Date) -> Bool {
        let minute = VietnamTime.minuteOfDay(instant)
        return self.startMinute < self.endMinute
            ? (self.startMinute..<self.endMinute).contains(minute)
            : minute >= self.startMinute || minute < self.endMinute
    }

    /// `instant` itself outside the quiet hours, else the moment they end.
    public func release(_ instant: Date) -> Date {
        guard self.isQuiet(instant) else { return instant }
        let midnight = VietnamTime.calendar.startOfDay(for: instant)
        let end = midnight.addingTimeInterval(TimeInterval(self.endMinute * 60))
        return end > instant ? end : end.addingTimeInterval(86_400)
    }
}
