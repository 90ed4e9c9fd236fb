import Contracts
import DomainKit
import Foundation
import ServiceKit

/// When a message is tried: at once, or (non-urgent SMS) when the night's quiet hours end; after a failed
/// hand-over, again after a growing wait; and never after the retry limit, when it becomes a dead letter.
struct DeliveryPolicy: Sendable {
    /// How long after it was made (or re-driven) a message is still retried. Default: a day.
    var retryFor: Double = 86_400
    var backoff = Backoff(base: 2, cap: 900)
    /// Nil: SMS go at any hour.
    var quietHours: QuietHours? = .standard

    static func from(_ settings: ServiceSettings) throws -> DeliveryPolicy {
        var policy = DeliveryPolicy()
        policy.retryFor = try settings.seconds("DELIVERY_RETRY_FOR_SECONDS", default: policy.retryFor)
        policy.backoff = Backoff(base: try settings.seconds("DELIVERY_BACKOFF_BASE_SECONDS", default: policy.backoff.base),
                                 cap: try settings.seconds("DELIVERY_BACKOFF_MAX_SECONDS", default: policy.backoff.cap))
        let quiet = try settings.value("SMS_QUIET_HOURS", default: "22:00-06:00")
        if quiet == "off" {
            policy.quietHours = nil
        } else {
            guard let hours = QuietHours(quiet) else { throw ConfigurationError.invalid("SMS_QUIET_HOURS", quiet, "HH:MM-HH:MM in Vietnam time, or off") }
            policy.quietHours = hours
        }
        return policy
    }

    /// The earliest `instant` may go on `channel`: held to the end of the quiet hours for a non-urgent SMS.
    func allowed(_ instant: Date, channel: MessageTemplate.Channel, urgent: Bool) -> Date {
        guard channel == .sms, !urgent, let quietHours else { return instant }
        return quietHours.release(instant)
    }

    /// A new message, due as soon as it may go. In-app messages are delivered by being stored.
    func message(id: String = TimeOrderedID.make(), template: MessageTemplate, recipient: String, reference: String?,
                 message: RenderedMessage, urgent: Bool, now: Date) -> NotificationView {
        NotificationView(id: id, templateId: template.id, templateVersion: template.version, channel: template.channel, recipient: recipient,
                         reference: reference, message: message, status: template.channel == .inApp ? .delivered : .created, createdAt: now,
                         attempts: [], urgent: urgent, providerId: nil,
                         nextAttemptAt: template.channel == .inApp ? nil : self.allowed(now, channel: template.channel, urgent: urgent))
    }

    /// When the message is given up: the retry limit after `start`.
    func giveUp(from start: Date) -> Date {
        start.addingTimeInterval(self.retryFor)
    }

    /// After a failed hand-over: when to try next, or nil when that would pass the limit.
    func retry(afterAttempts attempts: Int, now: Date, giveUpAt: Date, channel: MessageTemplate.Channel, urgent: Bool) -> Date? {
        let next = self.allowed(now.addingTimeInterval(self.backoff.delay(afterAttempts: attempts)), channel: channel, urgent: urgent)
        return next > giveUpAt ? nil : next
    }
}
