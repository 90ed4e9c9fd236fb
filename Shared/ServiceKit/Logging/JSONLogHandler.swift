import Foundation
import Logging

/// One JSON object per line on standard error (through `LogSink`), so log collectors need no parsing rules. A line
/// written while a request is handled carries its `requestId` (`RequestScope`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    /// One line built in place, without merging or sorting the metadata: this runs for every request (the access log).
    /// A key the event sets itself wins over the logger's.
    public func log(event: LogEvent) {
        LogSink.standardError.write(self.line(for: event))
    }

    /// The event as one JSON line, ending in a newline.
    public func line(for event: LogEvent) -> String {
        var line = ""
        line.reserveCapacity(384)
        line += "{\"time\":\""
        line += VietnamTime.rfc3339Milliseconds(Date())
        line += "\",\"level\":\""
        line += event.level.rawValue
        line += "\",\"logger\":"
        Self.appendQuoted(self.label, to: &line)
        line += ",\"message\":"
        Self.appendQuoted(event.message.description, to: &line)
        let own = event.metadata ?? [:]
        for (key, value) in self.metadata where key != "hb.request.id" && own[key] == nil { Self.append(key, value, to: &line) }
        for (key, value) in own where key != "hb.request.id" { Self.append(key, value, to: &line) }
        if let id = RequestScope.requestID, own["requestId"] == nil, self.metadata["requestId"] == nil {
            Self.append("requestId", .string(id), to: &line)
        }
        line += "}\n"
        return line
    }

    private static func append(_ key: String, _ value: Logger.MetadataValue, to line: inout String) {
        line += ","
        self.appendQuoted(key, to: &line)
        line += ":"
        switch value {
        case .string(let text): self.appendQuoted(text, to: &line)
        case .stringConvertible(let convertible): self.appendQuoted(convertible.description, to: &line)
        default: self.appendQuoted("\(value)", to: &line)
        }
    }

    /// `text` as a JSON string literal at the end of `line`.
    static func appendQuoted(_ text: String, to line: inout String) {
        // Most text needs no escape at all.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            line += "\""
            line += text
            line += "\""
        } else {
            line += self.quoted(text)
        }
    }

    /// A JSON string literal; written by hand because this runs for every log line.
    public static func quoted(_ text: String) -> String {
        // Most text needs no escape at all.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Log set-up for an executable: JSON lines unless LOG_FORMAT=text.
public enum ServiceLogging {
    public static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        if environment["LOG_FORMAT"] == "text" {
            LoggingSystem.bootstrap({ label, provider in
                var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }, metadataProvider: RequestScope.metadataProvider)
        } else {
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

import DomainKit
