import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import SQLKit

/// Dossier events turned into messages to the applicant: an SMS to their phone, an e-mail when they gave an
/// address, an in-app message when they applied online with an account. Applied inside the inbox's transaction,
/// so an event delivered twice makes its messages once.
struct DossierMessages: Sendable {
    let templates: TemplateRepository
    let notifications: NotificationRepository
    let composer: MessageComposer
    /// Where the public look-up is, for the link in messages.
    let portalURL: String
    let now: @Sendable () -> Date
    let logger: Logger

    /// The event types this handles.
    static let types = [EventType.dossierReceived, EventType.dossierStatusChanged, EventType.dossierResultReady, EventType.dossierDelivered]

    /// The templates' event for a dossier event, or nil when the applicant hears nothing of it.
    static func templateEvent(_ type: String, _ payload: DossierEventPayload) -> String? {
        switch type {
        case EventType.dossierReceived: "dossier.received"
        case EventType.dossierResultReady: "dossier.result-ready"
        case EventType.dossierDelivered: "dossier.delivered"
        case EventType.dossierStatusChanged where payload.toStatus == .supplementRequested: "dossier.supplement-requested"
        default: nil
        }
    }

    func handle(_ envelope: EventEnvelope, in db: any SQLDatabase) async throws {
        let payload = try envelope.payload(as: DossierEventPayload.self)
        guard let event = Self.templateEvent(envelope.type, payload) else { return }
        var recipients: [(channel: MessageTemplate.Channel, recipient: String)] = [(.sms, payload.applicantPhone)]
        if let email = payload.applicantEmail, !email.isEmpty { recipients.append((.email, email)) }
        if let account = payload.applicantAccount, !account.isEmpty { recipients.append((.inApp, account)) }
        let values = self.values(payload)
        for (channel, recipient) in recipients {
            let id = "\(event).\(channel.rawValue).vi"
            do {
                guard let template = try await self.templates.find(id) else { throw Problem.notFound("There is no template \(id).") }
                let (message, _) = try self.composer.compose(template, values: values)
                try await self.notifications.insert(NotificationView(
                    id: UUID().uuidString.lowercased(), templateId: template.id, templateVersion: template.version, channel: channel,
                    recipient: try self.composer.recipient(recipient, for: channel), reference: payload.code, message: message,
                    status: channel == .inApp ? .delivered : .created, createdAt: self.now(), attempts: []
                ), in: db)
            } catch let problem as Problem {
                // A message that cannot be made (a template edited into needing a value events do not carry, a number
                // that is not a mobile one) is left out and said; the others of the event still go.
                self.logger.warning("a dossier message was not made", metadata: [
                    "event": .string(envelope.id), "template": .string(id), "problem": .string(problem.detail),
                ])
            }
        }
    }

    /// What the templates may ask for.
    func values(_ payload: DossierEventPayload) -> [String: String] {
        var values = [
            "code": payload.code,
            "procedure": payload.procedureName ?? payload.procedureCode,
            "agency": payload.agencyName ?? payload.agencyCode,
            "lookupUrl": "\(self.portalURL)/tra-cuu?code=\(payload.code)",
        ]
        if let due = payload.dueAt { values["dueDate"] = Self.written(LocalDate(due)) }
        if let supplement = payload.supplementRequest {
            values["documents"] = supplement.documents.joined(separator: "; ")
            values["deadline"] = Self.written(supplement.deadline)
        }
        return values
    }

    /// A date as Vietnamese readers write it: 04/12/2026.
    static func written(_ date: LocalDate) -> String {
        Digits.padded(date.day, width: 2) + "/" + Digits.padded(date.month, width: 2) + "/" + String(date.year)
    }
}
