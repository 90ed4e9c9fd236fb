import DomainKit
import Foundation

/// An event as it travels between services: who sent it, what happened, and the data.
public struct EventEnvelope: Codable, Sendable, Equatable {
    /// Unique per event; consumers apply each id once.
    public var id: String
    /// "dossier.received", "payment.succeeded", …
    public var type: String
    /// The service that emitted it.
    public var source: String
    public var occurredAt: Date
    /// The request that caused it, so logs across services can be joined.
    public var requestId: String?
    /// The event's own JSON object, encoded with `StreamingJSON`.
    public var data: Data

    public init(id: String = TimeOrderedID.make(), type: String, source: String, occurredAt: Date = Date(),
                requestId: String?, data: Data) {
        self.id = id
        self.type = type
        self.source = source
        self.occurredAt = occurredAt
        self.requestId = requestId
        self.data = data
    }

    /// An envelope around a typed payload.
    public init(type: String, source: String, requestId: String?, payload: some Encodable) throws {
        self.init(type: type, source: source, requestId: requestId, data: try StreamingJSON.encode(payload))
    }

    /// The payload, decoded.
    public func payload<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder.motcua.decode(T.self, from: self.data)
    }

    /// The envelope as JSON, its payload spliced in as the object it already is: what the outbox stores and sends.
    /// `encode(to:)` says the same, but has to decode the payload into `JSONValue` and encode it again; this runs for
    /// every event a change makes.
    public func json() throws -> Data {
        struct Head: Encodable { let id: String; let type: String; let source: String; let occurredAt: Date; let requestId: String? }
        var json = try StreamingJSON.encode(Head(id: self.id, type: self.type, source: self.source, occurredAt: self.occurredAt,
                                                      requestId: self.requestId))
        json.removeLast()  // the head's closing brace: the payload goes in before it
        json.append(contentsOf: #","data":"#.utf8)
        json.append(self.data)
        json.append(UInt8(ascii: "}"))
        return json
    }

    enum CodingKeys: String, CodingKey {
        case id, type, source, occurredAt, requestId, data
    }

    // `data` travels as a JSON object, not as base64.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.type = try container.decode(String.self, forKey: .type)
        self.source = try container.decode(String.self, forKey: .source)
        self.occurredAt = try container.decode(Date.self, forKey: .occurredAt)
        self.requestId = try container.decodeIfPresent(String.self, forKey: .requestId)
        let json = try container.decode(JSONValue.self, forKey: .data)
        self.data = try StreamingJSON.encode(json)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.type, forKey: .type)
        try container.encode(self.source, forKey: .source)
        try container.encode(self.occurredAt, forKey: .occurredAt)
        try container.encodeIfPresent(self.requestId, forKey: .requestId)
        try container.encode(try JSONDecoder.motcua.decode(JSONValue.self, from: self.data), forKey: .data)
    }
}

/// Any JSON value, for carrying a payload whose type the carrier does not know.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            // Whole numbers (money, counts) stay integers on the wire.
            if value.rounded() == value, abs(value) < 9e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
