import DomainKit
import Foundation
import Hummingbird

/// Encodes an `Encodable` value straight into JSON text while its `encode(to:)` runs, where `JSONEncoder` first builds
/// a tree of values and then sorts every object's keys: several times less work, which counts for what is encoded on
/// every request (answers, stored dossier bodies, history entries, events).
///
/// The text means what `JSONEncoder.motcua` would write — times in RFC 3339 with milliseconds at +07:00, `Data` as
/// base64, whole doubles without ".0", nil members left out — with the members of a struct in the order its
/// `encode(to:)` writes them (a dictionary's keys sorted, so one value always reads the same). A type that writes
/// out of order (fills a nested container after its parent moved on, asks for a super-encoder) is encoded by
/// `JSONEncoder.motcua` instead. Hashes that must stay equal across versions (idempotency keys) keep using that one.
public enum StreamingJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        Data(try self.bytes(value))
    }

    public static func bytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = JSONSink()
        let encoder = StreamingEncoder(sink: sink)
        do {
            try encoder.write(value)
            if !sink.outOfOrder { return sink.bytes }
        } catch is OutOfOrder {}
        return Array(try JSONEncoder.motcua.encode(value))
    }
}

/// Handlers' `Encodable` answers, written with `StreamingJSON`.
public struct StreamingResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try Response.json(value)
    }
}

/// A container was used after the text moved past it: this value needs `JSONEncoder`.
struct OutOfOrder: Error {}

/// A dictionary keyed by strings, written with its keys sorted.
private protocol SortedMembers {
    func writeMembers(to encoder: StreamingEncoder) throws
}

extension Dictionary: SortedMembers where Key == String, Value: Encodable {
    fileprivate func writeMembers(to encoder: StreamingEncoder) throws {
        let frame = encoder.sink.open(UInt8(ascii: "{"), closing: UInt8(ascii: "}"))
        for key in self.keys.sorted() {
            try encoder.sink.member(of: frame, key: key)
            try StreamingEncoder(sink: encoder.sink).write(self[key]!)
        }
        encoder.sink.close(through: frame)
    }
}

/// An object or array being written.
final class JSONFrame {
    let closing: UInt8
    var count = 0
    var isOpen = true

    init(closing: UInt8) { self.closing = closing }
}

/// The text, and the objects and arrays still open (innermost last).
final class JSONSink {
    var bytes: [UInt8] = []
    private var frames: [JSONFrame] = []
    /// A container was used out of order somewhere a non-throwing requirement could not say so.
    var outOfOrder = false

    init() { self.bytes.reserveCapacity(1024) }

    func open(_ opening: UInt8, closing: UInt8) -> JSONFrame {
        self.bytes.append(opening)
        let frame = JSONFrame(closing: closing)
        self.frames.append(frame)
        return frame
    }

    /// Closes every frame opened inside `frame` and `frame` itself.
    func close(through frame: JSONFrame) {
        guard frame.isOpen else { return }
        while let top = self.frames.popLast() {
            top.isOpen = false
            self.bytes.append(top.closing)
            if top === frame { return }
        }
    }

    /// Makes `frame` the innermost (closing what was opened inside it) and starts its next element.
    func element(of frame: JSONFrame) throws {
        guard frame.isOpen else { throw OutOfOrder() }
        while let top = self.frames.last, top !== frame {
            top.isOpen = false
            self.bytes.append(top.closing)
            self.frames.removeLast()
        }
        if frame.count > 0 { self.bytes.append(UInt8(ascii: ",")) }
        frame.count += 1
    }

    func member(of frame: JSONFrame, key: String) throws {
        try self.element(of: frame)
        self.string(key)
        self.bytes.append(UInt8(ascii: ":"))
    }

    func string(_ text: String) {
        self.bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape at all.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            self.bytes.append(contentsOf: text.utf8)
            return self.bytes.append(UInt8(ascii: "\""))
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                self.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                               hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    func integer<I: BinaryInteger>(_ value: I) {
        if value == 0 { return self.bytes.append(UInt8(ascii: "0")) }
        if value < 0 { self.bytes.append(UInt8(ascii: "-")) }
        // Digits from the lowest, then turned around in place; the magnitude of the most negative value fits in UInt64.
        var rest = value < 0 ? UInt64(truncatingIfNeeded: 0 &- Int64(truncatingIfNeeded: value)) : UInt64(truncatingIfNeeded: value)
        let start = self.bytes.count
        while rest > 0 {
            self.bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        self.bytes[start...].reverse()
    }

    func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not a JSON number."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        self.bytes.append(contentsOf: text.utf8)
    }

    func literal(_ text: StaticString) {
        text.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }
}

/// The encoder one value is written with: it opens at most one container (or writes one single value), which the
/// value's `encode(to:)` fills, and it is closed when that returns.
final class StreamingEncoder: Encoder {
    let sink: JSONSink
    private var frame: JSONFrame?
    private var wroteValue = false

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(sink: JSONSink) { self.sink = sink }

    /// Writes `value` whole: its container closed, or `{}` when it wrote nothing (as `JSONEncoder` does).
    func write<T: Encodable>(_ value: T) throws {
        switch value {
        case let date as Date: return self.sink.string(VietnamTime.rfc3339Milliseconds(date))
        case let data as Data: return self.sink.string(data.base64EncodedString())
        case let url as URL: return self.sink.string(url.absoluteString)
        case let decimal as Decimal: return self.sink.bytes.append(contentsOf: decimal.description.utf8)
        case let dictionary as any SortedMembers: return try dictionary.writeMembers(to: self)
        default: break
        }
        try value.encode(to: self)
        if let frame = self.frame {
            self.sink.close(through: frame)
        } else if !self.wroteValue {
            self.sink.literal("{}")
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedWriter<Key>(sink: self.sink, frame: self.opened(UInt8(ascii: "{"), closing: UInt8(ascii: "}"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedWriter(sink: self.sink, frame: self.opened(UInt8(ascii: "["), closing: UInt8(ascii: "]")))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        if self.frame != nil || self.wroteValue { self.sink.outOfOrder = true }
        return SingleWriter(encoder: self)
    }

    /// This value's container; asking again for the same kind gives the same one.
    private func opened(_ opening: UInt8, closing: UInt8) -> JSONFrame {
        if let frame = self.frame {
            if frame.closing != closing || !frame.isOpen { self.sink.outOfOrder = true }
            return frame
        }
        if self.wroteValue { self.sink.outOfOrder = true }
        let frame = self.sink.open(opening, closing: closing)
        self.frame = frame
        return frame
    }

    fileprivate func single() throws {
        guard !self.wroteValue, self.frame == nil else { throw OutOfOrder() }
        self.wroteValue = true
    }
}

private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: JSONSink
    let frame: JSONFrame
    var codingPath: [any CodingKey] { [] }

    private func key(_ key: Key) throws { try self.sink.member(of: self.frame, key: key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws { try self.key(key); self.sink.literal("null") }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try self.key(key); self.sink.literal(value ? "true" : "false") }
    mutating func encode(_ value: String, forKey key: Key) throws { try self.key(key); self.sink.string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try self.key(key); try self.sink.floatingPoint(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try self.key(key); try self.sink.floatingPoint(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try self.key(key); self.sink.integer(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try self.key(key)
        try StreamingEncoder(sink: self.sink).write(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        if (try? self.key(key)) == nil { self.sink.outOfOrder = true }
        return KeyedEncodingContainer(KeyedWriter<NestedKey>(sink: self.sink, frame: self.sink.open(UInt8(ascii: "{"), closing: UInt8(ascii: "}"))))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        if (try? self.key(key)) == nil { self.sink.outOfOrder = true }
        return UnkeyedWriter(sink: self.sink, frame: self.sink.open(UInt8(ascii: "["), closing: UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder { self.sink.outOfOrder = true; return StreamingEncoder(sink: JSONSink()) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { self.sink.outOfOrder = true; return StreamingEncoder(sink: JSONSink()) }
}

private struct UnkeyedWriter: UnkeyedEncodingContainer {
    let sink: JSONSink
    let frame: JSONFrame
    var codingPath: [any CodingKey] { [] }
    var count: Int { self.frame.count }

    private func next() throws { try self.sink.element(of: self.frame) }

    mutating func encodeNil() throws { try self.next(); self.sink.literal("null") }
    mutating func encode(_ value: Bool) throws { try self.next(); self.sink.literal(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { try self.next(); self.sink.string(value) }
    mutating func encode(_ value: Double) throws { try self.next(); try self.sink.floatingPoint(value) }
    mutating func encode(_ value: Float) throws { try self.next(); try self.sink.floatingPoint(value) }
    mutating func encode(_ value: Int) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: Int8) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: Int16) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: Int32) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: Int64) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: UInt) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: UInt8) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: UInt16) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: UInt32) throws { try self.next(); self.sink.integer(value) }
    mutating func encode(_ value: UInt64) throws { try self.next(); self.sink.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try self.next()
        try StreamingEncoder(sink: self.sink).write(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        if (try? self.next()) == nil { self.sink.outOfOrder = true }
        return KeyedEncodingContainer(KeyedWriter<NestedKey>(sink: self.sink, frame: self.sink.open(UInt8(ascii: "{"), closing: UInt8(ascii: "}"))))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        if (try? self.next()) == nil { self.sink.outOfOrder = true }
        return UnkeyedWriter(sink: self.sink, frame: self.sink.open(UInt8(ascii: "["), closing: UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder { self.sink.outOfOrder = true; return StreamingEncoder(sink: JSONSink()) }
}

private struct SingleWriter: SingleValueEncodingContainer {
    let encoder: StreamingEncoder
    var codingPath: [any CodingKey] { [] }
    private var sink: JSONSink { self.encoder.sink }

    mutating func encodeNil() throws { try self.encoder.single(); self.sink.literal("null") }
    mutating func encode(_ value: Bool) throws { try self.encoder.single(); self.sink.literal(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { try self.encoder.single(); self.sink.string(value) }
    mutating func encode(_ value: Double) throws { try self.encoder.single(); try self.sink.floatingPoint(value) }
    mutating func encode(_ value: Float) throws { try self.encoder.single(); try self.sink.floatingPoint(value) }
    mutating func encode(_ value: Int) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: Int8) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: Int16) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: Int32) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: Int64) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: UInt) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: UInt8) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: UInt16) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: UInt32) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode(_ value: UInt64) throws { try self.encoder.single(); self.sink.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try self.encoder.single()
        try StreamingEncoder(sink: self.sink).write(value)
    }
}
