import Foundation

/// A dossier's legal clock: when it was received, when it is due, whether it is paused, how it finished.
public struct DossierClock: Codable, Sendable, Equatable {
    public var receivedAt: Date?
    public var dueAt: Date?
    /// Set while a supplement or a fee is awaited; the clock does not run.
    public var pausedAt: Date?
    public var finishedAt: Date?
    public var timeliness: Timeliness?

    public init(receivedAt: Date? = nil, dueAt: Date? = nil, pausedAt: Date? = nil, finishedAt: Date? = nil, timeliness: Timeliness? = nil) {
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.pausedAt = pausedAt
        self.finishedAt = finishedAt
        self.timeliness = timeliness
    }

    /// The clock after a move into `status` at `now`, for a procedure of `processingDays` working days.
    public func moving(to status: DossierStatus, at now: Date, processingDays: Int, calendar: WorkingCalendar) -> DossierClock {
        var clock = self
        switch status {
        case .received:
            clock.receivedAt = now
            // Received after hours: the calendar starts counting the next working morning.
            clock.dueAt = calendar.dueDate(receivedAt: now, workingDays: processingDays)
        case .supplementRequested, .awaitingFee:
            clock.pausedAt = now
        case .processing:
            if let pausedAt = clock.pausedAt, let due = clock.dueAt {
                clock.dueAt = calendar.shiftingDue(due, pausedAt: pausedAt, resumedAt: now)
            }
            clock.pausedAt = nil
        case .resultReady:
            clock.finishedAt = now
            if let due = clock.dueAt { clock.timeliness = calendar.timeliness(finishedAt: now, due: due) }
        case .submitted, .refused, .withdrawn, .stopped, .delivered:
            break
        }
        return clock
    }
}
