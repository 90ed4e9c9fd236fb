import Contracts
import DomainKit
import Foundation
import ServiceKit
import ServiceLifecycle
import SQLKit

/// Asks the bank about what it has not told us: payments past their expiry or quiet for `quietFor` (paid → success,
/// declined → failed, never seen or still open past expiry → failed as expired), and refunds sent without an answer
/// (sent again with the same request id, so the bank refunds once); and forgets idempotency keys older than a day.
struct PaymentSweeper: Service {
    let workflow: PaymentWorkflow
    let refunds: RefundController
    var interval: Duration
    var quietFor: TimeInterval

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pollUntilCancelled(idle: self.interval, logger: self.workflow.logger, failure: "payment sweep failed") {
                try await self.sweep().asked == 50
            }
        }
    }

    /// One pass; how many payments and refunds it asked the bank about.
    @discardableResult
    func sweep() async throws -> (asked: Int, refundsSent: Int) {
        let now = self.workflow.now()
        let waiting = try await self.workflow.payments.unconfirmed(now: now, quietFor: self.quietFor, limit: 50)
        for payment in waiting {
            try await self.workflow.reconcileWithBank(payment, requestID: nil)
        }
        let cutoff = now.addingTimeInterval(-self.quietFor)
        let stuck = try await self.workflow.runtime.database.read { try await RefundRepository.unanswered(olderThan: cutoff, limit: 20, in: $0) }
        for refund in stuck {
            guard let payment = try await self.workflow.payments.find(id: refund.paymentId) else { continue }
            _ = try await self.refunds.send(refund, of: payment, requestID: nil)
        }
        // Idempotency keys are kept a day; older ones are forgotten.
        try await self.workflow.runtime.database.transaction { db in
            try await db.delete(from: "payment_keys").where("created_at", .lessThan, now.addingTimeInterval(-24 * 3600).epochMilliseconds).run()
        }
        return (waiting.count, stuck.count)
    }
}
