import Foundation
import ServiceKit
import Testing

/// `StreamingJSON` writes what `JSONEncoder.motcua` writes, member order aside, for every shape a Codable type can
/// take, and hands what it cannot write in order to `JSONEncoder`.
@Suite("Streaming JSON")
struct StreamingJSONTests {
    enum Colour: String, Codable { case red, blue }

    struct Inner: Codable, Equatable {
        var name: String
        var tags: [String]
        var score: Double?
    }

    struct Everything: Codable, Equatable {
        var text = "Đăng ký kết hôn \"tại\" xã\\phường\n\t/ \u{01}"
        var whole = 3.0
        var fraction = -0.125
        var big = 1.5e300
        var int = Int.min
        var uint = UInt64.max
        var small: Int8 = -7
        var yes = true
        var none: String? = nil
        var some: Int? = 0
        var colour = Colour.blue
        var at = Date(timeIntervalSince1970: 1_780_000_000.25)
        var bytes = Data([0, 1, 2, 250])
        var link = URL(string: "https://dichvucong.kiengiang.gov.vn/thu-tuc?q=a b")!
        var money = Decimal(string: "12345.67")!
        var inner = Inner(name: "n", tags: ["a", "b"], score: nil)
        var list = [Inner(name: "x", tags: [], score: 1), Inner(name: "y", tags: ["z"], score: 2.5)]
        var nested = [[1, 2], [], [3]]
        var byName = ["zeta": 1, "alpha": 2, "mu": 3]
        var optionals: [Int?] = [1, nil, 3]
        var empty = Empty()
        var custom = InOrder()
    }

    struct Empty: Codable, Equatable {}

    /// Nested containers used in order: written as they come.
    struct InOrder: Codable, Equatable {
        enum Keys: String, CodingKey { case outer, list, after }
        enum Inside: String, CodingKey { case a }
        init() {}
        init(from decoder: any Decoder) throws {}
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var outer = container.nestedContainer(keyedBy: Inside.self, forKey: .outer)
            try outer.encode(1, forKey: .a)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode("x")
            var deeper = list.nestedContainer(keyedBy: Inside.self)
            try deeper.encode(true, forKey: .a)
            try container.encode("done", forKey: .after)
        }
    }

    /// A nested container filled after its parent moved on: it cannot be written in order.
    struct OutOfOrder: Encodable {
        enum Keys: String, CodingKey { case first, second }
        enum Inside: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var first = container.nestedContainer(keyedBy: Inside.self, forKey: .first)
            try container.encode(2, forKey: .second)
            try first.encode(1, forKey: .a)
        }
    }

    /// A class that writes its parent's members through a super-encoder.
    struct WithSuper: Encodable {
        enum Keys: String, CodingKey { case own }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .own)
            try Inner(name: "parent", tags: [], score: nil).encode(to: container.superEncoder())
        }
    }

    static func same<T: Encodable>(_ value: T) throws -> Bool {
        let streamed = try JSONDecoder().decode(JSONValue.self, from: StreamingJSON.encode(value))
        let foundation = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder.motcua.encode(value))
        return streamed == foundation
    }

    @Test func everyShapeReadsAsJSONEncoderWritesIt() throws {
        #expect(try Self.same(Everything()))
        #expect(try Self.same([Everything(), Everything()]))
        #expect(try Self.same(Optional<Int>.none))
        #expect(try Self.same("a fragment"))
        #expect(try Self.same(Empty()))
        #expect(try Self.same(["k": ["v": [1.5]]]))
        #expect(try Self.same(WithSuper()))
        #expect(try Self.same(OutOfOrder()))
    }

    @Test func theTextIsCompactWithDictionaryKeysSortedAndNilMembersLeftOut() throws {
        struct Small: Encodable {
            var b = 2
            var a: String? = nil
            var c = ["y": 1, "x": 2]
            var at = Date(timeIntervalSince1970: 0)
            var half = 0.5
            var whole = 2.0
        }
        #expect(String(decoding: try StreamingJSON.encode(Small()), as: UTF8.self)
                == #"{"b":2,"c":{"x":2,"y":1},"at":"1970-01-01T07:00:00.000+07:00","half":0.5,"whole":2}"#)
        #expect(String(decoding: try StreamingJSON.encode("tab\there \"q\" \u{1F} đ/"), as: UTF8.self) == #""tab\there \"q\" \u001f đ/""#)
        #expect(String(decoding: try StreamingJSON.encode([Int64.min, 0, 42]), as: UTF8.self) == "[-9223372036854775808,0,42]")
        #expect(String(decoding: try StreamingJSON.encode(InOrder()), as: UTF8.self) == #"{"outer":{"a":1},"list":["x",{"a":true}],"after":"done"}"#)
    }

    @Test func aValueJSONCannotHoldIsRefused() {
        #expect(throws: EncodingError.self) { try StreamingJSON.encode([1.0, .infinity]) }
        #expect(throws: EncodingError.self) { try StreamingJSON.encode(Double.nan) }
    }
}
