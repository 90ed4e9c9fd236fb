import Contracts
import Foundation
@testable import NotificationsApp
import Testing

/// Decodes RFC 2047 encoded words back to text.
func decodedWords(_ header: String) -> String {
    header.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "?=").compactMap { piece -> String? in
        guard let start = piece.range(of: "=?UTF-8?B?") else { return piece.isEmpty ? nil : piece }
        return Data(base64Encoded: String(piece[start.upperBound...])).map { String(decoding: $0, as: UTF8.self) }
    }.joined()
}

/// The parts of a rendered message, content type → decoded text.
func mailParts(_ raw: String) -> [String: String] {
    var parts: [String: String] = [:]
    for chunk in raw.components(separatedBy: "\r\n--") {
        guard let type = chunk.range(of: "Content-Type: text/")?.upperBound, let blank = chunk.range(of: "\r\n\r\n") else { continue }
        let kind = String(chunk[type...].prefix { $0 != ";" })
        let body = chunk[blank.upperBound...].components(separatedBy: "\r\n").prefix { !$0.hasPrefix("--") }.joined()
        parts[kind] = Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) }
    }
    return parts
}

@Suite("E-mail")
struct EmailTests {
    static let mail = MailMessage(
        fromAddress: "thongbao@dichvucong.kiengiang.gov.vn", fromName: "Cổng Dịch vụ công tỉnh Kiên Giang", to: "an@example.vn",
        subject: "Hồ sơ 000.55.01.H33-261129-0007 đã có kết quả — mời ông/bà đến nhận theo hình thức đã đăng ký",
        text: "Kính gửi ông/bà,\nHồ sơ đã có kết quả.", html: "<p>Hồ sơ đã có <b>kết quả</b>.</p>", messageID: "m-1",
        date: ISO8601DateFormatter().date(from: "2026-11-29T12:20:05Z")!
    )

    @Test func aMessageIsMIMEWithEncodedHeadersAndBothAlternatives() {
        let raw = Self.mail.rendered
        #expect(raw.hasSuffix("\r\n"))
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 78 })
        let headers = raw.components(separatedBy: "\r\n\r\n")[0]
        #expect(headers.contains("Date: Sun, 29 Nov 2026 19:20:05 +0700"))
        #expect(headers.contains("Message-ID: <m-1@dichvucong.kiengiang.gov.vn>"))
        let subject = headers.components(separatedBy: "\r\nSubject: ")[1].components(separatedBy: "\r\nDate:")[0]
        #expect(decodedWords(subject) == Self.mail.subject)
        #expect(subject.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 75 })
        let parts = mailParts(raw)
        #expect(parts["plain"] == Self.mail.text)
        #expect(parts["html"] == Self.mail.html)
        // Plain ASCII subjects stay readable.
        #expect(MailMessage.encodedWords("Dossier 0007 is ready") == "Dossier 0007 is ready")
    }

    /// A real SMTP server started by scripts/test (scripts/smtp-sink.py: aiosmtpd with STARTTLS and AUTH).
    static let sink: (url: String, caFile: String, directory: String)? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["SMTP_URL"], let ca = environment["SMTP_CA_FILE"], let directory = environment["SMTP_SINK_DIR"] else { return nil }
        return (url, ca, directory)
    }()

    static func server(password: String = "sink-password", url: String? = nil) -> SMTPChannel.Server {
        SMTPChannel.Server(url: url ?? Self.sink!.url, username: "motcua", password: password, requireTLS: true, caFile: Self.sink!.caFile,
                           fromAddress: "thongbao@dichvucong.kiengiang.gov.vn", fromName: "Cổng Dịch vụ công tỉnh Kiên Giang", timeoutSeconds: 5)
    }

    @Test(.enabled(if: Self.sink != nil, "needs the SMTP sink that scripts/test starts"))
    func anEMailGoesOverSTARTTLSWithAUTHAndArrivesAsSent() async throws {
        let sink = try #require(Self.sink)
        var mail = Self.mail
        mail.messageID = UUID().uuidString.lowercased()
        mail.to = "\(mail.messageID)@example.vn"
        let outcome = SMTPChannel.send(mail, through: Self.server())
        #expect(outcome == .accepted(providerID: mail.messageIDHeader, detail: "the mail server took it (250)"))
        let files = try FileManager.default.contentsOfDirectory(atPath: sink.directory).filter { $0.hasSuffix(".eml") }
        let arrived = try files.map { try String(contentsOfFile: sink.directory + "/" + $0, encoding: .utf8) }.filter { $0.contains(mail.messageIDHeader) }
        try #require(arrived.count == 1)
        #expect(arrived[0].contains("X-Envelope-To: <\(mail.to)>") || arrived[0].contains("X-Envelope-To: \(mail.to)"))
        #expect(mailParts(arrived[0])["plain"] == mail.text)
    }

    @Test(.enabled(if: Self.sink != nil, "needs the SMTP sink that scripts/test starts"))
    func aRefusedAddressIsPermanentAndAWrongPasswordOrNoServerIsTriedAgain() async throws {
        var mail = Self.mail
        mail.to = "nobody@refused.example"
        guard case .refused(let detail) = SMTPChannel.send(mail, through: Self.server()) else {
            Issue.record("a 550 for the recipient is a permanent failure")
            return
        }
        #expect(detail.contains("550"))
        mail.to = "an@example.vn"
        guard case .failed(let login) = SMTPChannel.send(mail, through: Self.server(password: "wrong")) else {
            Issue.record("a refused login is ours to fix: tried again")
            return
        }
        #expect(login.contains("535") || login.lowercased().contains("login"))
        guard case .failed = SMTPChannel.send(mail, through: Self.server(url: "smtp://127.0.0.1:1")) else {
            Issue.record("no server: tried again")
            return
        }
    }
}
