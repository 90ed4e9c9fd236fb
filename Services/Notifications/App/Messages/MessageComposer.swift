import DomainKit
import ServiceKit

/// A template filled in as it will be sent — values in, SMS prepared for the route — and the recipient checked for
/// its channel; each failure is a problem the caller can act on.
struct MessageComposer: Sendable {
    /// Brandname routes that carry only GSM-7 get SMS without diacritics.
    let unicodeSMS: Bool
    let maximumSMSSegments: Int

    /// The message, and for SMS how it goes on the air. 400 naming every missing value; 422 for an SMS too long.
    func compose(_ template: MessageTemplate, values: [String: String]) throws -> (message: RenderedMessage, sms: SMSText?) {
        switch template.render(values) {
        case .failure(let missing):
            throw Problem.badRequest("Values are missing: \(missing.names.joined(separator: ", ")).", errors: missing.names.map {
                FieldIssue(field: "values.\($0)", code: "required", vi: "Thiếu giá trị ((\($0))).", en: "The value ((\($0))) is missing.")
            })
        case .success(var message):
            guard template.channel == .sms else { return (message, nil) }
            switch SMSText.prepare(message.body, unicode: self.unicodeSMS, maximumSegments: self.maximumSMSSegments) {
            case .success(let sms):
                message.body = sms.text
                return (message, sms)
            case .failure(let tooLong):
                throw Problem.validation([FieldIssue(field: "values", code: "sms.tooLong",
                                                     vi: "Tin nhắn cần \(tooLong.segments) tin, vượt giới hạn \(tooLong.limit).",
                                                     en: "The SMS needs \(tooLong.segments) segments; the limit is \(tooLong.limit).")])
            }
        }
    }

    /// The recipient written as the channel needs it: a mobile number (0xxxxxxxxx), an e-mail address, an account.
    func recipient(_ text: String, for channel: MessageTemplate.Channel) throws -> String {
        let result: Result<String, FieldIssue> = switch channel {
        case .sms: Validate.mobilePhone(text, field: "recipient")
        case .email: Validate.email(text, field: "recipient")
        case .inApp: text.trimmingCharacters(in: .whitespaces).isEmpty
            ? .failure(FieldIssue(field: "recipient", code: "required", vi: "Cần tài khoản người nhận.", en: "Name the recipient's account."))
            : .success(text)
        }
        switch result {
        case .success(let recipient): return recipient
        case .failure(let issue): throw Problem.validation([issue])
        }
    }
}
