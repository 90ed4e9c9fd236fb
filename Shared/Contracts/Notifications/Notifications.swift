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

    public init(templateId: String, recipient: String, values: [String: String], reference: String? = nil) {
        self.templateId = templateId
        self.recipient = recipient
        self.values = values
        self.reference = reference
    }
}

/// Where a message stands. `created` → `sending` → `sent` → `delivered`, or one of the failures.
public enum NotificationStatus: String, Codable, Sendable, CaseIterable {
    case created
    case sending
    case sent
    case delivered
    /// The provider could not deliver it for now (phone off); it is retried.
    case temporaryFailure = "temporary-failure"
    /// The provider will never deliver it (no such number or address).
    case permanentFailure = "permanent-failure"
    /// We could not hand it over within the retry limit.
    case technicalFailure = "technical-failure"
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

    public init(id: String, templateId: String, templateVersion: Int, channel: MessageTemplate.Channel, recipient: String, reference: String?,
                message: RenderedMessage, status: NotificationStatus, createdAt: Date, attempts: [NotificationAttempt]) {
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
