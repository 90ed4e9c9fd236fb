/// An amount of Vietnamese đồng. The đồng has no minor unit in use, so money is a whole number.
public struct VND: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var amount: Int64

    public init(_ amount: Int64) {
        self.amount = amount
    }

    public init(integerLiteral value: Int64) {
        self.amount = value
    }

    public static let zero = VND(0)

    /// Encoded as a bare JSON integer, as DESIGN.md asks for money.
    public init(from decoder: any Decoder) throws {
        self.amount = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.amount)
    }

    public static func < (lhs: VND, rhs: VND) -> Bool { lhs.amount < rhs.amount }
    public static func + (lhs: VND, rhs: VND) -> VND { VND(lhs.amount + rhs.amount) }
    public static func - (lhs: VND, rhs: VND) -> VND { VND(lhs.amount - rhs.amount) }
    public static func * (lhs: VND, rhs: Int64) -> VND { VND(lhs.amount * rhs) }

    /// Vietnamese notation: dots group thousands, the sign follows: "1.250.000 ₫".
    public var formatted: String { Digits.grouped(self.amount) + " ₫" }

    public var description: String { self.formatted }
}

extension Sequence where Element == VND {
    /// The sum of the amounts, zero for none.
    public func total() -> VND { self.reduce(.zero, +) }
}
