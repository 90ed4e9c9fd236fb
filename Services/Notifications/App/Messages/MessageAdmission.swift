import Contracts
import DomainKit
import ServiceKit

/// How many new messages the API takes: per recipient (a person is not flooded) and for the whole service (what the
/// gateways are contracted for). Asked only for a message about to be stored, so a retry that replays an
/// `Idempotency-Key` never counts.
struct MessageAdmission: Sendable {
    let perRecipient: RateLimiter
    let overall: RateLimiter

    /// Nil when the message may be stored; else the 429 to answer, with Retry-After.
    func refusal(for message: NotificationView) async -> Problem? {
        if let wait = self.perRecipient.take(message.channel.rawValue + ":" + message.recipient) {
            return Problem.tooManyRequests("Too many messages to \(message.recipient) just now; try again in \(wait) seconds.", retryAfter: wait)
        }
        if let wait = self.overall.take("all") {
            return Problem.tooManyRequests("The service is taking messages as fast as its gateways allow; try again in \(wait) seconds.",
                                           retryAfter: wait)
        }
        return nil
    }

}
