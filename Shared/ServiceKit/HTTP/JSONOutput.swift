import DomainKit
import Foundation
import Hummingbird
import NIOCore

/// JSON written by hand for the few responses on hot paths (catalog search, public look-up), where Foundation's
/// generic `JSONEncoder` costs more than the rest of the request. Writes what `JSONEncoder.motcua` writes: keys in
/// the order the caller gives them (callers give them sorted), absent optionals left out, dates as RFC 3339 in
/// Vietnam time; tests hold each hand-written encoding to the generic one.
public struct JSONOutput: Sendable {
    public private(set) var text = ""
    /// Whether the object or array being written needs a comma before its next member.
    private var needsComma: [Bool] = []
    /// A key was just written: its value needs no comma.
    private var pendingValue = false

    public init() {}

    public mutating func object(_ body: (inout JSONOutput) -> Void) {
        self.separate()
        self.text += "{"
        self.needsComma.append(false)
        body(&self)
        self.needsComma.removeLast()
        self.text += "}"
    }

    public mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONOutput, S.Element) -> Void) {
        self.separate()
        self.text += "["
        self.needsComma.append(false)
        for element in elements { body(&self, element) }
        self.needsComma.removeLast()
        self.text += "]"
    }

    /// Starts a member of the current object; the value written next belongs to it.
    public mutating func key(_ name: String) {
        self.separate()
        self.text += JSONLogHandler.quoted(name) + ":"
        // The value follows the colon directly.
        self.pendingValue = true
    }

    public mutating func string(_ value: String) {
        self.separate()
        self.text += JSONLogHandler.quoted(value)
    }

    public mutating func integer(_ value: some BinaryInteger) {
        self.separate()
        self.text += String(value)
    }

    public mutating func date(_ value: Date) {
        self.string(VietnamTime.rfc3339Milliseconds(value))
    }

    // Optional members: left out when nil, as the synthesised `Encodable` leaves them out.
    public mutating func member(_ name: String, _ value: String?) { if let value { self.key(name); self.string(value) } }
    public mutating func member(_ name: String, _ value: Int?) { if let value { self.key(name); self.integer(value) } }
    public mutating func member(_ name: String, _ value: Int64?) { if let value { self.key(name); self.integer(value) } }
    public mutating func member(_ name: String, _ value: Date?) { if let value { self.key(name); self.date(value) } }

    private mutating func separate() {
        if self.pendingValue {
            self.pendingValue = false
            return
        }
        guard let last = self.needsComma.last else { return }
        if last { self.text += "," }
        self.needsComma[self.needsComma.count - 1] = true
    }

    /// A 200 (or the given status) response carrying the JSON.
    public func response(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: self.text)))
    }
}
