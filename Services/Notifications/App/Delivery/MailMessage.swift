import DomainKit
import Foundation

/// An e-mail as it goes over SMTP (RFC 5322 with MIME): a text and an HTML alternative, both UTF-8 in base64, the
/// subject and sender's name as RFC 2047 encoded words, lines ending CRLF. The Message-ID carries our message id,
/// so a copy sent twice can be told for the same message by anyone reading the headers.
struct MailMessage: Sendable, Equatable {
    var fromAddress: String
    var fromName: String
    var to: String
    var subject: String
    var text: String
    var html: String?
    var messageID: String
    var date: Date

    /// The Message-ID header's value: `<id@domain of the sender>`.
    var messageIDHeader: String {
        "<\(self.messageID)@\(self.fromAddress.split(separator: "@").last.map(String.init) ?? "motcua")>"
    }

    var rendered: String {
        let boundary = "motcua-" + self.messageID
        var lines = [
            // The address on a folded line of its own, so that no line passes 78 characters.
            "From: \(Self.encodedWords(self.fromName))\r\n <\(self.fromAddress)>",
            "To: <\(self.to)>",
            "Subject: \(Self.encodedWords(self.subject))",
            "Date: \(Self.rfc5322(self.date))",
            "Message-ID: \(self.messageIDHeader)",
            "MIME-Version: 1.0",
        ]
        func part(_ type: String, _ body: String) -> [String] {
            ["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: base64", "",
             Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])]
        }
        if let html {
            lines += ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "", "--\(boundary)"]
            lines += part("text/plain", self.text)
            lines += ["--\(boundary)"]
            lines += part("text/html", html)
            lines += ["--\(boundary)--"]
        } else {
            lines += part("text/plain", self.text)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Text as RFC 2047 `=?UTF-8?B?...?=` words of at most 75 characters, folded onto continuation lines; plain
    /// ASCII without specials stays as it is.
    static func encodedWords(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "=" && $0 != "?" }) { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            // 39 bytes make 52 base64 characters: with "=?UTF-8?B?", "?=" and "Subject: " a line stays under 78.
            if chunk.utf8.count + String(character).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// "Sun, 29 Nov 2026 19:20:00 +0700": RFC 5322's date, in Vietnam time.
    static func rfc5322(_ date: Date) -> String {
        let parts = VietnamTime.calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[parts.weekday! - 1]), \(parts.day!) \(months[parts.month! - 1]) \(parts.year!) "
            + "\(Digits.padded(parts.hour!, width: 2)):\(Digits.padded(parts.minute!, width: 2)):\(Digits.padded(parts.second!, width: 2)) +0700"
    }
}
