import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import SQLKit

/// Watches legal deadlines: a dossier whose clock runs and whose due date is within `warning` working time gets one
/// `dossier.due-soon` event; one whose due date has passed is marked overdue once, in its history. Each sweep claims
/// its dossiers with a conditional UPDATE, so replicas never notify twice.
struct DeadlineWatcher: Service {
    let runtime: ServiceRuntime
    let dossiers: DossierRepository
    let calendar: WorkingCalendar
    let clock: @Sendable () -> Date
    var interval: Duration = .seconds(60)
    var warningMinutes = 8 * 60

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pollUntilCancelled(idle: self.interval, logger: self.runtime.logger, failure: "deadline sweep failed") {
                try await self.sweep()
                return false
            }
        }
    }

    struct Body: Decodable { let body: String }

    @discardableResult
    func sweep() async throws -> (dueSoon: Int, overdue: Int) {
        let now = self.clock()
        let nowMillis = now.epochMilliseconds
        let soon = self.calendar.adding(workingMinutes: self.warningMinutes, to: now).epochMilliseconds
        let running = [DossierStatus.received.rawValue, DossierStatus.processing.rawValue]
        let dossiers = self.dossiers
        let outbox = self.runtime.outbox
        return try await self.runtime.database.transaction { db in
            let dueSoon = try await db.raw("""
                UPDATE dossiers SET due_soon_at = \(bind: nowMillis)
                WHERE status IN (\(binds: running)) AND paused_at IS NULL AND due_soon_at IS NULL
                  AND due_at > \(bind: nowMillis) AND due_at <= \(bind: soon)
                RETURNING body
                """).all(decoding: Body.self)
            for row in dueSoon {
                let dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
                try await outbox.enqueue(try DossierEvents.envelope(EventType.dossierDueSoon, dossier, from: dossier.status, requestID: "deadline-watch"),
                                         in: db)
            }
            let overdue = try await db.raw("""
                UPDATE dossiers SET overdue_at = \(bind: nowMillis)
                WHERE status IN (\(binds: running)) AND paused_at IS NULL AND overdue_at IS NULL AND due_at <= \(bind: nowMillis)
                RETURNING body
                """).all(decoding: Body.self)
            for row in overdue {
                let dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
                try await dossiers.appendEvent(DossierEventView(at: now, actor: "deadline-watch", role: .service, agencyCode: nil, action: "overdue",
                                                                fromStatus: dossier.status, toStatus: dossier.status,
                                                                comment: "Quá hạn giải quyết / past the legal deadline"),
                                               dossierID: dossier.id, in: db)
            }
            return (dueSoon.count, overdue.count)
        }
    }
}
