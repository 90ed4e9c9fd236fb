import Foundation

/// A dossier's way through its procedure's internal process (quy trình nội bộ): the steps copied from the procedure
/// when the dossier was received, so a later edit of the catalog does not reshuffle a dossier already under way; the
/// step it is at, with its own due time; and a record of every step done (who handed it to whom, when, by which due
/// time, on time or late), which is the process control sheet (Circular 01/2018, form 05).
///
/// Pure: the caller checks who may move it and writes it with the dossier.
public struct DossierProcess: Codable, Sendable, Equatable {
    public var steps: [Procedure.Step]
    /// The agency that received the dossier: steps done by "officer" or "leader" are done there.
    public var homeAgency: String
    /// The legal time the steps share, in working days, as it was when the dossier was received.
    public var processingDays: Int
    /// The index in `steps` of the step the dossier is at.
    public var current: Int
    public var startedAt: Date
    /// When the current step's allowance runs out; a supplement or fee wait moves it as it moves the legal date.
    public var dueAt: Date
    /// Set when the last step is done (the result handed over) or the dossier left the process (stopped, withdrawn).
    public var finishedAt: Date?
    /// Every step done, in the order they were done (a step sent back and done again appears twice).
    public var log: [Record]

    /// How a step ended.
    public enum Move: String, Codable, Sendable {
        /// Handed on to the next step.
        case forward
        /// Returned to the step before, with a reason.
        case back
        /// The result was signed: the dossier goes to the step that returns it.
        case result
        /// The last step: the result was handed over.
        case done
        /// The dossier left the process before its end (stopped, withdrawn).
        case ended
    }

    /// One step done.
    public struct Record: Codable, Sendable, Equatable {
        public var step: Int
        public var title: String
        /// The agency where it was done.
        public var agencyCode: String
        public var startedAt: Date
        public var dueAt: Date
        public var finishedAt: Date
        /// Who finished it (the account that handed it on).
        public var by: String
        public var move: Move
        /// The step it went to, when it went to one.
        public var toStep: Int?
        /// The account it was handed to, when a person was named.
        public var handedTo: String?
        /// Why it was sent back.
        public var reason: String?

        public var late: Bool { self.finishedAt > self.dueAt }
    }

    /// Starts the process at its first step, at `now`; nil when the procedure has no steps.
    public init?(steps: [Procedure.Step], homeAgency: String, at now: Date, processingDays: Int, calendar: WorkingCalendar) {
        guard !steps.isEmpty else { return nil }
        self.steps = steps
        self.homeAgency = homeAgency
        self.processingDays = processingDays
        self.current = 0
        self.startedAt = now
        self.dueAt = now
        self.log = []
        self.dueAt = self.due(of: 0, from: now, calendar: calendar)
    }

    /// The process of a dossier received before processes were kept: placed at the step its status suggests (the
    /// first while received, the second while processing, the last once the result is ready), starting now.
    public init?(adopting steps: [Procedure.Step], homeAgency: String, status: DossierStatus, at now: Date, processingDays: Int,
                 calendar: WorkingCalendar) {
        self.init(steps: steps, homeAgency: homeAgency, at: now, processingDays: processingDays, calendar: calendar)
        let index = switch status {
        case .submitted, .received: 0
        case .resultReady, .delivered: steps.count - 1
        default: min(1, steps.count - 1)
        }
        self.current = index
        self.dueAt = self.due(of: index, from: now, calendar: calendar)
    }

    public var step: Procedure.Step { self.steps[self.current] }
    public var isFinished: Bool { self.finishedAt != nil }
    public var hasNext: Bool { self.current + 1 < self.steps.count }
    public var hasPrevious: Bool { self.current > 0 }

    /// The agency that does a step: the one its performer names, or the receiving agency.
    public func agency(of index: Int) -> String {
        self.steps[index].agencyCode ?? self.homeAgency
    }

    /// A step's allowance in working days, its share of the legal time, as a process is published ("1,5 ngày"); a
    /// same-day procedure's steps share one working day.
    public func allowanceDays(of index: Int) -> Double {
        Self.allowanceDays(of: self.steps[index], processingDays: self.processingDays)
    }

    public static func allowanceDays(of step: Procedure.Step, processingDays: Int) -> Double {
        Double(max(processingDays, 1)) * Double(step.sharePercent) / 100
    }

    private func due(of index: Int, from start: Date, calendar: WorkingCalendar) -> Date {
        calendar.adding(workingSeconds: self.allowanceDays(of: index) * Double(calendar.hours.minutesPerDay * 60), to: start)
    }

    /// Whether the current step is past its time at `now`.
    public func isLate(at now: Date) -> Bool { !self.isFinished && now > self.dueAt }

    /// Finishes the current step and starts `index` with its full allowance.
    public mutating func move(to index: Int, _ move: Move, by actor: String, handedTo: String?, reason: String?, at now: Date,
                              calendar: WorkingCalendar) {
        precondition(self.steps.indices.contains(index), "no step \(index)")
        self.record(move, by: actor, toStep: index, handedTo: handedTo, reason: reason, at: now)
        self.current = index
        self.startedAt = now
        self.dueAt = self.due(of: index, from: now, calendar: calendar)
    }

    /// Finishes the current step and the process with it.
    public mutating func finish(_ move: Move, by actor: String, at now: Date) {
        guard !self.isFinished else { return }
        self.record(move, by: actor, toStep: nil, handedTo: nil, reason: nil, at: now)
        self.finishedAt = now
    }

    /// A supplement or fee wait from `pausedAt` to `resumedAt` gives the current step the working time it took.
    public mutating func resume(pausedAt: Date, resumedAt: Date, calendar: WorkingCalendar) {
        self.dueAt = calendar.shiftingDue(self.dueAt, pausedAt: pausedAt, resumedAt: resumedAt)
    }

    private mutating func record(_ move: Move, by actor: String, toStep: Int?, handedTo: String?, reason: String?, at now: Date) {
        self.log.append(Record(step: self.current, title: self.step.title, agencyCode: self.agency(of: self.current), startedAt: self.startedAt,
                               dueAt: self.dueAt, finishedAt: now, by: actor, move: move, toStep: toStep, handedTo: handedTo, reason: reason))
    }
}

extension Procedure.Step {
    /// Who does the step: leaders sign and approve, officers do the rest (at another agency, its officers).
    public var role: Role { self.performer == "leader" ? .leader : .officer }

    /// The agency that does the step when it is not the one that received the dossier (an inter-agency procedure).
    public var agencyCode: String? { ["officer", "leader"].contains(self.performer) ? nil : self.performer }
}
