import Foundation

/// A message written once and filled in for each person: `((name))` marks a value to put in, as GOV.UK Notify writes
/// them. A template belongs to a channel and a language and has a version; every message records which it used.
public struct MessageTemplate: Codable, Sendable, Equatable {
    public enum Channel: String, Codable, Sendable, CaseIterable {
        case sms
        case email
        case inApp
    }

    public var id: String
    public var version: Int
    public var channel: Channel
    /// "vi" or "en".
    public var language: String
    /// E-mail and in-app messages have one; SMS have none.
    public var subject: String?
    /// The plain text: the SMS, the in-app message, the e-mail's text part.
    public var body: String
    /// The e-mail's HTML part; values put into it are HTML-escaped.
    public var html: String?

    public init(id: String, version: Int = 1, channel: Channel, language: String, subject: String? = nil, body: String, html: String? = nil) {
        self.id = id
        self.version = version
        self.channel = channel
        self.language = language
        self.subject = subject
        self.body = body
        self.html = html
    }

    /// The values the template needs, each once, in the order they first appear (subject, body, HTML).
    public var placeholders: [String] {
        var seen: Set<String> = []
        return ([self.subject, self.body, self.html].compactMap { $0 }.flatMap(Self.names)).filter { seen.insert($0).inserted }
    }

    /// The message with every value put in, or the names of the values that are missing.
    public func render(_ values: [String: String]) -> Result<RenderedMessage, MissingValues> {
        let missing = self.placeholders.filter { (values[$0] ?? "").isEmpty }
        guard missing.isEmpty else { return .failure(MissingValues(names: missing)) }
        return .success(RenderedMessage(
            subject: self.subject.map { Self.fill($0, values) { $0 } },
            body: Self.fill(self.body, values) { $0 },
            html: self.html.map { Self.fill($0, values, escape: HTMLText.escape) }
        ))
    }

    /// The names between "((" and "))", in order. In "(((name)))" the outer brackets are text: "(value)".
    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let (_, name, after) = Self.nextPlaceholder(in: rest) {
            if let name { names.append(name) }
            rest = after
        }
        return names
    }

    static func fill(_ text: String, _ values: [String: String], escape: (String) -> String) -> String {
        var output = ""
        var rest = Substring(text)
        while let (before, name, after) = Self.nextPlaceholder(in: rest) {
            output += before
            if let name, let value = values[name] {
                output += escape(value)
            } else {
                output += rest[before.endIndex..<after.startIndex]
            }
            rest = after
        }
        return output + rest
    }

    /// The text before the next "((…))", its name (nil when it holds no usable name), and the text after it.
    /// Scanned byte by byte: the brackets are ASCII, so every index found is a character boundary.
    private static func nextPlaceholder(in text: Substring) -> (before: Substring, name: String?, after: Substring)? {
        let bytes = text.utf8
        let open = UInt8(ascii: "("), close = UInt8(ascii: ")")
        /// The first index from `start` on where `byte` appears twice in a row.
        func pair(of byte: UInt8, from start: String.Index) -> String.Index? {
            var index = start
            while index < bytes.endIndex {
                let next = bytes.index(after: index)
                if bytes[index] == byte, next < bytes.endIndex, bytes[next] == byte { return index }
                index = next
            }
            return nil
        }
        guard var opening = pair(of: open, from: bytes.startIndex) else { return nil }
        var nameStart = bytes.index(opening, offsetBy: 2)
        guard let closing = pair(of: close, from: nameStart) else { return nil }
        // "(((name" — the extra brackets belong to the text.
        while nameStart < closing && bytes[nameStart] == open {
            opening = bytes.index(after: opening)
            nameStart = bytes.index(after: nameStart)
        }
        let inside = text[nameStart..<closing]
        let blank: (Unicode.Scalar) -> Bool = { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
        let scalars = inside.unicodeScalars
        let first = scalars.firstIndex { !blank($0) } ?? scalars.endIndex
        let last = scalars.lastIndex { !blank($0) }.map { scalars.index(after: $0) } ?? first
        let name = String(inside[first..<max(first, last)])
        let usable = !name.isEmpty && !name.utf8.contains(open) && !name.utf8.contains(close)
        return (text[..<opening], usable ? name : nil, text[bytes.index(closing, offsetBy: 2)...])
    }
}

/// A template filled in.
public struct RenderedMessage: Codable, Sendable, Equatable {
    public var subject: String?
    public var body: String
    public var html: String?

    public init(subject: String?, body: String, html: String?) {
        self.subject = subject
        self.body = body
        self.html = html
    }
}

/// The values a template needs and was not given.
public struct MissingValues: Error, Sendable, Equatable {
    public let names: [String]

    public init(names: [String]) {
        self.names = names
    }
}
