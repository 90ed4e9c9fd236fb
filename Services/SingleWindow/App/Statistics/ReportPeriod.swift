import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// The days a report covers, from `?from=` and `?to=` (yyyy-MM-dd, Vietnam dates, both included).
struct ReportPeriod: Sendable {
    let from: LocalDate
    let to: LocalDate

    /// The first instant of `from` and the first instant after `to`, in epoch milliseconds, for SQL ranges.
    var startMilliseconds: Int64 { self.from.instant().epochMilliseconds }
    var endMilliseconds: Int64 { self.to.adding(days: 1).instant().epochMilliseconds }

    init(from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
    }

    /// Reads the period; without `from` it starts on `defaultFrom` of today, without `to` it ends today.
    init(_ request: Request, today: LocalDate, defaultFrom: (LocalDate) -> LocalDate) throws {
        self.from = try request.dateQuery("from") ?? defaultFrom(today)
        self.to = try request.dateQuery("to") ?? today
        guard self.from <= self.to else { throw Problem.badRequest("from must not be after to.") }
    }
}
