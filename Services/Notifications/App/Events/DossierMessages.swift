import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import SQLKit

/// Dossier events turned into messages to the applicant: an SMS to their phone, an e-mail when they gave an
/// address, an in-app message when they applied online with an account — SMS and e-mail as the account's
/// preferences say, in its language. Applied inside the inbox's transaction, so an event delivered twice makes its
/// messages once; each message also carries the key (event, channel, recipient) that the table keeps unique.
struct DossierMessages: Sendable {
    let templates: TemplateRepository
    let notifications: NotificationRepository
    let preferences: PreferenceRepository
    let composer: MessageComposer
    let policy: DeliveryPolicy
    /// Where the public look-up is, for the link in messages.
    let portalURL: String
    let now: @Sendable () -> Date
    let logger: Logger

    /// The event types this handles.
    static let types = [EventType.dossierReceived, EventType.dossierStatusChanged, EventType.dossierResultReady, EventType.dossierDelivered,
                        EventType.dossierDueSoon]

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
        let event: String
        let language: RecipientPreferences.Language
        var recipients: [(channel: MessageTemplate.Channel, recipient: String)] = []
        if envelope.type == EventType.dossierDueSoon {
            // To the officer it is assigned to; none when it is not assigned yet (the agency's list of dossiers due
            // soon shows it to all its officers).
            guard let officer = payload.assignedTo, !officer.isEmpty else { return }
            (event, language) = ("dossier.due-soon", .vi)
            recipients.append((.inApp, officer))
        } else {
            guard let applicantEvent = Self.templateEvent(envelope.type, payload) else { return }
            let account = payload.applicantAccount.flatMap { $0.isEmpty ? nil : $0 }
            var chosen = RecipientPreferences.standard
            if let account, let saved = try await self.preferences.find(account, in: db) { chosen = saved }
            // E-mail only, but no address given: the SMS still goes.
            if chosen.channels != .email || payload.applicantEmail?.isEmpty != false { recipients.append((.sms, payload.applicantPhone)) }
            if chosen.channels != .sms, let email = payload.applicantEmail, !email.isEmpty { recipients.append((.email, email)) }
            if let account { recipients.append((.inApp, account)) }
            (event, language) = (applicantEvent, chosen.language)
        }
        let values = self.values(payload)
        let now = self.now()
        var made: [(message: NotificationView, dedupeKey: String?)] = []
        for (channel, recipient) in recipients {
            let id = "\(event).\(channel.rawValue).\(language.rawValue)"
            do {
                guard let template = try await self.templates.find(id) else { throw Problem.notFound("There is no template \(id).") }
                let (message, _) = try self.composer.compose(template, values: values)
                let to = try self.composer.recipient(recipient, for: channel)
                made.append((self.policy.message(template: template, recipient: to, reference: payload.code, message: message, urgent: false, now: now),
                             "\(envelope.id)|\(channel.rawValue)|\(to)"))
            } catch let problem as Problem {
                // A message that cannot be made (a template edited into needing a value events do not carry, a number
                // that is not a mobile one) is left out and said; the others of the event still go.
                self.logger.warning("a dossier message was not made", metadata: [
                    "event": .string(envelope.id), "template": .string(id), "problem": .string(problem.detail),
                ])
            }
        }
        try await self.notifications.insert(made, in: db)
    }

    /// What the templates may ask for.
    func values(_ payload: DossierEventPayload) -> [String: String] {
        var values = [
            "code": payload.code,
            "procedure": payload.procedureName ?? payload.procedureCode,
            "agency": payload.agencyName ?? payload.agencyCode,
            "lookupUrl": "\(self.portalURL)/tra-cuu?code=\(payload.code)",
        ]
        if let due = payload.dueAt {
            values["dueDate"] = Self.written(LocalDate(due))
            let minute = VietnamTime.minuteOfDay(due)
            values["dueAt"] = Digits.padded(minute / 60, width: 2) + ":" + Digits.padded(minute % 60, width: 2) + " " + Self.written(LocalDate(due))
        }
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
