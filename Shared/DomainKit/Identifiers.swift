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
        // 48 bits of time, the version (7) and 12 random bits; the variant (binary 10) and 62 random bits.
        let high = millis << 16 | 0x7000 | (generator.next() as UInt64) & 0x0FFF
        let low = 0x8000_0000_0000_0000 | (generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF
        func byte(_ word: UInt64, _ index: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: word >> (56 - 8 * index)) }
        let uuid = UUID(uuid: (byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5), byte(high, 6),
                               byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3), byte(low, 4), byte(low, 5),
                               byte(low, 6), byte(low, 7)))
        return uuid.uuidString.lowercased()
    }
}
