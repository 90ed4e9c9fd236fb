import DomainKit
import Foundation
import Hummingbird

extension Request {
    /// A query parameter decoded as HTML forms encode it: "+" is a space, "%2B" a plus. Hummingbird's own
    /// `queryParameters` leaves "+" as it is, so a search typed into a GET form would look for "dang+ky".
    public func query(_ name: String) -> String? {
        guard let raw = self.uri.query else { return nil }
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard FormEncoding.decode(parts[0]) == name else { continue }
            return parts.count > 1 ? FormEncoding.decode(parts[1]) : ""
        }
        return nil
    }

    /// The named query parameters that are present and not empty, in the order named: a filter passed on to another
    /// service, or repeated in a page's links.
    public func queryPairs(_ names: [String]) -> [(String, String)] {
        names.compactMap { name in self.query(name).flatMap { $0.isEmpty ? nil : (name, $0) } }
    }

    /// A query parameter that must be one of an enumeration's raw values: nil when absent or empty, else a 400
    /// listing what is allowed.
    public func query<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = self.query(name), !text.isEmpty else { return nil }
        guard let value = T(rawValue: text) else {
            throw Problem.badRequest("\(name) must be one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }

    /// A date query parameter written yyyy-MM-dd (a Vietnam date): nil when absent or empty, else a 400 naming it.
    public func dateQuery(_ name: String) throws -> LocalDate? {
        guard let text = self.query(name), !text.isEmpty else { return nil }
        guard let day = LocalDate(iso: text) else { throw Problem.badRequest("\(name) must be a date written yyyy-MM-dd, not '\(text)'.") }
        return day
    }

    /// A whole-number query parameter within `range`, `fallback` when absent, else a 400 saying what is allowed.
    public func integerQuery(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = self.query(name), !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }
}
