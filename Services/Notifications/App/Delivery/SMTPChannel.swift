import CSMTP
import Contracts
import Foundation

/// E-mail over SMTP through libcurl: STARTTLS (required unless the settings say otherwise), AUTH when a user name
/// is set. A server that refuses the recipient for good (5xx) makes a permanent failure; anything else that goes
/// wrong (no connection, refused login, 4xx) is tried again later.
struct SMTPChannel: MessageChannel {
    struct Server: Sendable {
        /// smtp://host:587 (STARTTLS) or smtps://host:465.
        var url: String
        var username: String
        var password: String
        var requireTLS: Bool
        /// A CA bundle to trust for the server's certificate, beside the system's (a province's own CA).
        var caFile: String?
        var fromAddress: String
        var fromName: String
        var timeoutSeconds = 30
    }

    let server: Server
    let now: @Sendable () -> Date

    /// libcurl blocks; its transfers run here, off Swift's cooperative threads and NIO's event loops.
    private static let queue = DispatchQueue(label: "motcua.smtp", attributes: .concurrent)
    private static let initialised: Void = csmtp_global_init()

    func hand(_ message: DeliveryQueue.Claimed) async -> DeliveryQueue.Outcome {
        let mail = MailMessage(fromAddress: self.server.fromAddress, fromName: self.server.fromName, to: message.recipient,
                               subject: message.subject ?? "", text: message.body, html: message.html, messageID: message.id, date: self.now())
        let server = self.server
        _ = Self.initialised
        return await withCheckedContinuation { continuation in
            Self.queue.async {
                continuation.resume(returning: Self.send(mail, through: server))
            }
        }
    }

    static func send(_ mail: MailMessage, through server: Server) -> DeliveryQueue.Outcome {
        let body = mail.rendered
        var code = 0
        var error = [CChar](repeating: 0, count: 512)
        let result = body.withCString { text in
            withUnsafeRecipients(["<\(mail.to)>"]) { recipients, count in
                csmtp_send(server.url, server.username, server.password, server.requireTLS ? 1 : 0, server.caFile, "<\(server.fromAddress)>",
                           recipients, count, text, strlen(text), server.timeoutSeconds, &code, &error, error.count)
            }
        }
        let said = error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if result == 0 { return .accepted(providerID: mail.messageIDHeader, detail: "the mail server took it (\(code))") }
        let detail = "SMTP \(code == 0 ? "" : String(code) + " ")" + said
        return (500..<600).contains(code) && code != 535 ? .refused(detail: detail) : .failed(detail: detail)
    }
}

/// C strings for the recipients, alive while `body` runs.
private func withUnsafeRecipients<R>(_ recipients: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>, Int32) -> R) -> R {
    let copies = recipients.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!, Int32(recipients.count)) }
}
