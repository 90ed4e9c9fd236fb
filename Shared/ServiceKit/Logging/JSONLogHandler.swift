import Foundation
import Logging

/// One JSON object per line on standard error (through `LogSink`), so log collectors need no parsing rules.
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

    public func log(event: LogEvent) {
        var line = "{\"time\":\"" + VietnamTime.rfc3339Milliseconds(Date()) + "\",\"level\":\"" + event.level.rawValue
            + "\",\"logger\":" + Self.quoted(self.label) + ",\"message\":" + Self.quoted("\(event.message)")
        let metadata = event.metadata.map { self.metadata.merging($0, uniquingKeysWith: { $1 }) } ?? self.metadata
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where key != "hb.request.id" {
            let text: String = if case .string(let string) = value { string } else { "\(value)" }
            line += "," + Self.quoted(key) + ":" + Self.quoted(text)
        }
        line += "}\n"
        LogSink.standardError.write(line)
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
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
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
