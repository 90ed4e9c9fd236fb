import DomainKit
import Contracts
import Foundation
import PageKit
import ServiceKit

/// Hands a one-time code to whatever carries it to the person's phone.
protocol CodeSending: Sendable {
    /// `id` is the code's own id, sent as the idempotency key so a retried send makes one SMS.
    func send(code: String, id: String, purpose: PhoneCodes.Purpose, to phone: String, language: Language, requestID: String?) async throws
}

/// Sends codes as urgent SMS through the notifications service (which holds the brandname gateway and its retries).
struct NotificationsCodeSender: CodeSending {
    let client: ServiceClient

    func send(code: String, id: String, purpose: PhoneCodes.Purpose, to phone: String, language: Language, requestID: String?) async throws {
        let request = SendNotificationRequest(templateId: "account.\(purpose.rawValue).sms.\(language.rawValue)", recipient: phone,
                                              values: ["code": code, "minutes": String(Int(PhoneCodes.lifetime / 60))],
                                              reference: "account-code:\(id)", urgent: true)
        _ = try await self.client.post(request, as: NotificationView.self, service: Topology.notifications, path: "/v1/notifications",
                                       requestID: requestID, headers: [("Idempotency-Key", "account-code-\(id)")], idempotent: true)
    }
}
