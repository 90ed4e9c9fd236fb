/// Where a fee payment stands, as GOV.UK Pay names the states: `created` when the service answers, `started` when
/// the payer is sent to the bank, `submitted` when the payer comes back from it, and a final state when the bank's
/// verified notification (or a counter receipt, an expiry, a cancellation) settles it.
public enum PaymentState: String, Codable, Sendable, CaseIterable {
    case created
    case started
    case submitted
    case success
    /// Declined, cancelled by the payer at the bank, or expired: `PaymentFailure` says which.
    case failed
    /// The bank answered something that is neither success nor a decline.
    case error
    /// Cancelled by the service before the payer paid.
    case cancelled

    public var isFinal: Bool { PaymentStateTable.moves(from: self).isEmpty }
}

/// Why a payment failed.
public enum PaymentFailure: String, Codable, Sendable, CaseIterable {
    case declined
    case userCancelled = "user-cancelled"
    case expired
}

/// Where a refund stands: sent to the bank, then accepted or not.
public enum RefundState: String, Codable, Sendable, CaseIterable {
    case submitted
    case success
    case error
}

/// The only moves a payment and a refund may make; everything else is refused (and logged by the caller).
public enum PaymentStateTable {
    private static let payments: [PaymentState: Set<PaymentState>] = [
        .created: [.started, .success, .failed, .error, .cancelled],
        .started: [.submitted, .success, .failed, .error, .cancelled],
        // Back from the bank: only the bank's word settles it now, so it can no longer be cancelled.
        .submitted: [.success, .failed, .error],
    ]

    public static func moves(from state: PaymentState) -> Set<PaymentState> { self.payments[state] ?? [] }

    public static func allows(_ from: PaymentState, _ to: PaymentState) -> Bool { self.moves(from: from).contains(to) }

    public static func allows(_ from: RefundState, _ to: RefundState) -> Bool { from == .submitted && to != .submitted }
}
