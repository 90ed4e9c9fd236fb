import Foundation
import Hummingbird

extension Request {
    /// A query parameter decoded as HTML forms encode it: "+" is a space, "%2B" a plus. Hummingbird's own
    /// `queryParameters` leaves "+" as it is, so a search typed into a GET form would look for "dang+ky".
    public func query(_ name: String) -> String? {
        guard let raw = self.uri.query else { return nil }
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.formDecode(parts[0]) == name else { continue }
            return parts.count > 1 ? Self.formDecode(parts[1]) : ""
        }
        return nil
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

    /// A whole-number query parameter within `range`, `fallback` when absent, else a 400 saying what is allowed.
    public func integerQuery(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = self.query(name), !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// "+" to a space and "%XX" to its byte, over UTF-8 bytes (this runs for every parameter of every request);
    /// nil for a broken escape or bytes that are not UTF-8.
    static func formDecode(_ text: Substring) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let h = Self.hexValue(utf8[high]), let l = Self.hexValue(utf8[low]) else { return nil }
                bytes.append(h << 4 | l)
                index = low
            } else {
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
