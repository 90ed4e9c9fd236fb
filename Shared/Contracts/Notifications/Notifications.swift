import DomainKit
import Foundation

/// `POST /v1/notifications`: a message to one recipient from a template.
public struct SendNotificationRequest: Codable, Sendable, Equatable {
    public var templateId: String
    /// A mobile number for SMS, an e-mail address for e-mail, an account (token subject) for in-app messages.
    public var recipient: String
    public var values: [String: String]
    /// What the message is about, for operators' searches: a dossier code, a payment id.
    public var reference: String?
    /// Urgent SMS (one-time codes) go at once; others wait out the night's quiet hours.
    public var urgent: Bool?

    public init(templateId: String, recipient: String, values: [String: String], reference: String? = nil, urgent: Bool? = nil) {
        self.templateId = templateId
        self.recipient = recipient
        self.values = values
        self.reference = reference
        self.urgent = urgent
    }
}

/// Where a message stands, as GOV.UK Notify names it. `created` (waiting its turn: due now, held through the quiet
/// hours, or waiting to retry after a failed hand-over) → `sending` (a sender holds it under a lease) → `sent` (the
/// gateway or mail server took it) → `delivered`; or one of the final failures. Delivery reports only move a
/// message forward, never back.
public enum NotificationStatus: String, Codable, Sendable, CaseIterable {
    case created
    case sending
    case sent
    case delivered
    /// The provider could not deliver it and has stopped trying (a phone switched off for days).
    case temporaryFailure = "temporary-failure"
    /// The provider will never deliver it (no such number, a number the gateway blocks).
    case permanentFailure = "permanent-failure"
    /// We could not hand it over within the retry limit: a dead letter, which an operator can re-drive.
    case technicalFailure = "technical-failure"

    /// Order of progress: a report may move a message to a later rank only.
    public var rank: Int {
        switch self {
        case .created: 0
        case .sending: 1
        case .sent: 2
        case .delivered, .temporaryFailure, .permanentFailure, .technicalFailure: 3
        }
    }

    public var isFinal: Bool { self.rank == 3 }
}

/// One try to hand a message to its channel.
public struct NotificationAttempt: Codable, Sendable, Equatable {
    public var at: Date
    public var outcome: String
    public var detail: String?

    public init(at: Date, outcome: String, detail: String?) {
        self.at = at
        self.outcome = outcome
        self.detail = detail
    }
}

/// A message as stored: what was sent, with which template version, to whom, and every attempt.
public struct NotificationView: Codable, Sendable, Equatable {
    public var id: String
    public var templateId: String
    public var templateVersion: Int
    public var channel: MessageTemplate.Channel
    public var recipient: String
    public var reference: String?
    public var message: RenderedMessage
    public var status: NotificationStatus
    public var createdAt: Date
    public var attempts: [NotificationAttempt]
    public var urgent: Bool
    /// The gateway's id for it (eSMS's SMSID) once handed over.
    public var providerId: String?
    /// When the next try is due while it waits (`created`): after a failed hand-over, or at the end of quiet hours.
    public var nextAttemptAt: Date?

    public init(id: String, templateId: String, templateVersion: Int, channel: MessageTemplate.Channel, recipient: String, reference: String?,
                message: RenderedMessage, status: NotificationStatus, createdAt: Date, attempts: [NotificationAttempt], urgent: Bool = false,
                providerId: String? = nil, nextAttemptAt: Date? = nil) {
        self.urgent = urgent
        self.providerId = providerId
        self.nextAttemptAt = nextAttemptAt
        self.id = id
        self.templateId = templateId
        self.templateVersion = templateVersion
        self.channel = channel
        self.recipient = recipient
        self.reference = reference
        self.message = message
        self.status = status
        self.createdAt = createdAt
        self.attempts = attempts
    }
}

/// One message in a person's in-app inbox (`GET /v1/inbox`).
public struct InboxMessage: Codable, Sendable, Equatable {
    public var id: String
    public var subject: String?
    public var body: String
    /// What it is about: a dossier code.
    public var reference: String?
    public var at: Date
    public var read: Bool

    public init(id: String, subject: String?, body: String, reference: String?, at: Date, read: Bool) {
        self.id = id
        self.subject = subject
        self.body = body
        self.reference = reference
        self.at = at
        self.read = read
    }
}

public struct InboxMessages: Codable, Sendable, Equatable {
    public var items: [InboxMessage]
    public var total: Int
    public var unread: Int
    public var page: Int
    public var pageSize: Int

    public init(items: [InboxMessage], total: Int, unread: Int, page: Int, pageSize: Int) {
        self.items = items
        self.total = total
        self.unread = unread
        self.page = page
        self.pageSize = pageSize
    }
}

/// How a person wants to hear from the administration (`GET`/`PUT /v1/preferences`): the channels dossier news
/// reaches them by, besides the in-app inbox, and the language.
public struct RecipientPreferences: Codable, Sendable, Equatable {
    public enum Channels: String, Codable, Sendable, CaseIterable {
        case sms
        case email
        case both
    }

    public enum Language: String, Codable, Sendable, CaseIterable {
        case vi
        case en
    }

    public var channels: Channels
    public var language: Language

    public init(channels: Channels, language: Language) {
        self.channels = channels
        self.language = language
    }

    /// What a person who never said gets: both channels, in Vietnamese.
    public static let standard = RecipientPreferences(channels: .both, language: .vi)
}
