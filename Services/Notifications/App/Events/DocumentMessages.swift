import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import SQLKit

/// An official document dispatched to an agency becomes an e-mail to the agency's official address (single-window
/// keeps agencies). Applied inside the inbox's transaction, so a repeated event makes one e-mail; when single-window
/// cannot answer, the event fails and the sender's outbox delivers it again later.
struct DocumentMessages: Sendable {
    let templates: TemplateRepository
    let notifications: NotificationRepository
    let composer: MessageComposer
    let policy: DeliveryPolicy
    let client: ServiceClient
    let now: @Sendable () -> Date
    let logger: Logger

    func handle(_ envelope: EventEnvelope, in db: any SQLDatabase) async throws {
        let dispatch = try envelope.payload(as: DispatchEvent.self)
        let response = try await self.client.send(.GET, service: Topology.singleWindow, path: "/v1/agencies/\(dispatch.recipient)",
                                                  requestID: envelope.requestId)
        guard response.status != 404 else {
            return self.logger.warning("an official document went to an agency single-window does not know",
                                       metadata: ["agency": .string(dispatch.recipient), "event": .string(envelope.id)])
        }
        let recipient = try response.decode(Agency.self)
        var sender = dispatch.sender ?? ""
        if let code = dispatch.sender, let agency = try? await self.client.get(Agency.self, service: Topology.singleWindow, path: "/v1/agencies/\(code)",
                                                                              requestID: envelope.requestId) {
            sender = agency.name
        }
        guard let template = try await self.templates.find("document.dispatched.email.vi") else { throw Problem.notFound("No template for dispatches.") }
        let (message, _) = try self.composer.compose(template, values: [
            "symbol": dispatch.symbol ?? "", "sender": sender, "excerpt": dispatch.excerpt ?? "", "receivedNumber": String(dispatch.receivedNumber),
        ])
        let to = try self.composer.recipient(recipient.email, for: .email)
        try await self.notifications.insert([(self.policy.message(template: template, recipient: to, reference: dispatch.documentId, message: message,
                                                                  urgent: false, now: self.now()),
                                              "\(envelope.id)|email|\(to)")], in: db)
    }

    /// A sign request: an in-app message to the leader, whose phone shows the inbox.
    func signRequested(_ envelope: EventEnvelope, in db: any SQLDatabase) async throws {
        let request = try envelope.payload(as: SignRequestEvent.self)
        guard let template = try await self.templates.find("document.sign-requested.inApp.vi") else { throw Problem.notFound("No template for sign requests.") }
        let minute = VietnamTime.minuteOfDay(request.expiresAt)
        let (message, _) = try self.composer.compose(template, values: [
            "document": request.documentName, "requestedBy": request.requestedBy, "reason": request.reason ?? "",
            "expiresAt": Digits.padded(minute / 60, width: 2) + ":" + Digits.padded(minute % 60, width: 2) + " "
                + DossierMessages.written(LocalDate(request.expiresAt)),
        ])
        let to = try self.composer.recipient(request.signer, for: .inApp)
        try await self.notifications.insert([(self.policy.message(template: template, recipient: to, reference: request.documentId, message: message,
                                                                  urgent: true, now: self.now()),
                                              "\(envelope.id)|inApp|\(to)")], in: db)
    }
}
