import Foundation

/// A typed identifier, so that a dossier id can never be passed where a payment id is expected.
public struct Identifier<Entity>: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// A new random identifier (a lower-case UUID).
    public static func random() -> Self {
        Self(UUID().uuidString.lowercased())
    }

    /// A new identifier that sorts after those made in earlier milliseconds (`TimeOrderedID`).
    public static func timeOrdered() -> Self {
        Self(TimeOrderedID.make())
    }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    public var description: String { self.rawValue }
}

/// Row keys that sort by when they were made: UUID version 7 (RFC 9562), a 48-bit Unix time in milliseconds followed
/// by 74 random bits, written as a lower-case UUID. Rows keyed by a random UUID land on a random page of each index,
/// so a batch of 50 inserts rewrites some 50 leaf pages of every such index (each page written to SQLite's WAL and
/// again at the checkpoint); keys made in time order land on the last page or two. The random part keeps them as
/// hard to guess as a version 4 UUID's 122 bits are for any purpose of ours: no key here is a secret.
public enum TimeOrderedID {
    public static func make(at date: Date = Date()) -> String {
        let millis = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        var generator = SystemRandomNumberGenerator()
        let randomA: UInt64 = generator.next()
        let randomB: UInt64 = generator.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * UInt64(index))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: randomA >> 8) & 0x0F   // version 7
        bytes[7] = UInt8(truncatingIfNeeded: randomA)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: randomB >> 56) & 0x3F  // variant 10
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: randomB >> (8 * UInt64(15 - index))) }
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The millisecond an identifier made by `make` was made in; nil for any other text.
    public static func date(of id: String) -> Date? {
        let hex = id.replacingOccurrences(of: "-", with: "")
        guard id.count == 36, hex.count == 32, hex.dropFirst(12).first == "7", let millis = UInt64(hex.prefix(12), radix: 16) else { return nil }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
