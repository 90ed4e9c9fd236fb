/// The dossier lifecycle as one table: from a status, an action by a role leads to a status.
public enum DossierWorkflow {
    /// One row of the table.
    public struct Transition: Sendable, Hashable {
        public let from: DossierStatus
        public let action: DossierAction
        public let to: DossierStatus
        public let roles: Set<Role>
    }

    /// Why an action cannot be taken; each case names what a person can do about it.
    public enum Refusal: Error, Sendable, Equatable {
        case notAllowedFrom(DossierStatus, DossierAction)
        case roleNotAllowed(DossierAction, Role, allowed: Set<Role>)
    }

    private static let staff: Set<Role> = [.officer, .leader, .admin]
    private static let beforeResult: [DossierStatus] = [.submitted, .received, .processing, .supplementRequested, .awaitingFee]

    /// Every allowed move. Anything not listed here is refused.
    public static let table: [Transition] = [
        Transition(from: .submitted, action: .receive, to: .received, roles: staff),
        Transition(from: .submitted, action: .refuse, to: .refused, roles: staff),
        // Incomplete at intake: the applicant is asked for what is missing before the dossier is received.
        Transition(from: .submitted, action: .requestSupplement, to: .supplementRequested, roles: staff),
        Transition(from: .received, action: .startProcessing, to: .processing, roles: staff),
        Transition(from: .processing, action: .requestSupplement, to: .supplementRequested, roles: staff),
        // The applicant answers online, or an officer records a supplement handed in at the counter.
        Transition(from: .supplementRequested, action: .supplement, to: .processing, roles: [.citizen, .officer, .admin]),
        Transition(from: .processing, action: .requestFee, to: .awaitingFee, roles: staff),
        // Payments confirms an online payment; an officer confirms cash at the counter.
        Transition(from: .awaitingFee, action: .confirmFee, to: .processing, roles: [.service, .officer, .admin]),
        Transition(from: .processing, action: .stop, to: .stopped, roles: [.leader, .admin]),
        Transition(from: .processing, action: .markResultReady, to: .resultReady, roles: staff.union([.service])),
        Transition(from: .resultReady, action: .deliver, to: .delivered, roles: staff.union([.service])),
        // Inter-agency procedures: the next agency takes the dossier over where it stands.
        Transition(from: .received, action: .transfer, to: .received, roles: staff),
        Transition(from: .processing, action: .transfer, to: .processing, roles: staff),
        // Step by step through the procedure's internal process; the status stays while it is processed.
        Transition(from: .processing, action: .forward, to: .processing, roles: staff),
        Transition(from: .processing, action: .sendBack, to: .processing, roles: staff),
    ] + beforeResult.map { Transition(from: $0, action: .withdraw, to: .withdrawn, roles: [.citizen, .officer, .admin]) }

    /// The actions possible from a status, whoever takes them.
    public static func actions(from status: DossierStatus) -> [DossierAction] {
        self.table.filter { $0.from == status }.map(\.action)
    }

    /// The actions a role may take now.
    public static func actions(from status: DossierStatus, by role: Role) -> [DossierAction] {
        self.table.filter { $0.from == status && $0.roles.contains(role) }.map(\.action)
    }

    /// The status an action leads to, or why it is refused. `received`: whether the dossier was ever received — a
    /// supplement asked for before receipt brings it back to intake (submitted), not into processing.
    public static func apply(_ action: DossierAction, to status: DossierStatus, by role: Role, received: Bool = true) throws(Refusal) -> DossierStatus {
        guard let transition = self.table.first(where: { $0.from == status && $0.action == action }) else {
            throw .notAllowedFrom(status, action)
        }
        guard transition.roles.contains(role) else {
            throw .roleNotAllowed(action, role, allowed: transition.roles)
        }
        if action == .supplement && !received { return .submitted }
        return transition.to
    }
}

extension DossierWorkflow.Refusal: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notAllowedFrom(let status, let action):
            let allowed = DossierWorkflow.actions(from: status).map(\.rawValue).joined(separator: ", ")
            return "A dossier in status \(status.rawValue) (\(status.englishName)) cannot '\(action.rawValue)'; "
                + (allowed.isEmpty ? "it is final." : "allowed now: \(allowed).")
        case .roleNotAllowed(let action, let role, let allowed):
            let names = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            return "The role '\(role.rawValue)' may not '\(action.rawValue)'; it needs one of: \(names)."
        }
    }
}
