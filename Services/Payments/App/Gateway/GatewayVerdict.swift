import Contracts
import DomainKit

/// What the bank's word about a payment means for it, decided without touching anything; the caller applies it.
enum GatewayVerdict: Equatable {
    /// Nothing changes; the bank gets this answer.
    case refuse(VNPay.IPNAnswer)
    /// The payment moves to this state; the bank gets "00".
    case settle(PaymentState, PaymentFailure?)

    /// The IPN's checks, in the order the gateway requires: a wrong checksum (97) before an unknown order (01),
    /// before a wrong amount (04), before an order already settled (02); only then is the result recorded, a decline
    /// as much as a success. `payment` is the one `vnp_TxnRef` names, nil when there is none.
    static func forNotification(_ parameters: [String: String], secret: String, tmnCode: String, payment: PaymentRecord?) -> GatewayVerdict {
        guard VNPay.isSigned(parameters, secret: secret) else { return .refuse(.invalidChecksum) }
        guard parameters["vnp_TmnCode"] == tmnCode, let payment, payment.method == .gateway else { return .refuse(.orderNotFound) }
        guard let amount = parameters["vnp_Amount"].flatMap(VNPay.vnd(fromAmount:)), amount == payment.amount else {
            return .refuse(.invalidAmount)
        }
        guard !payment.state.isFinal else { return .refuse(.alreadyConfirmed) }
        let (state, failure) = self.outcome(responseCode: parameters["vnp_ResponseCode"] ?? "", transactionStatus: parameters["vnp_TransactionStatus"] ?? "")
        return .settle(state, failure)
    }

    /// A payment's result from the bank's codes: success needs both to be "00"; 24 is the payer cancelling, 11 the
    /// payment expiring, other codes a decline. Money taken but flagged (07), or "00" with a transaction that did not
    /// succeed, is an error for an officer to look at.
    static func outcome(responseCode: String, transactionStatus: String) -> (PaymentState, PaymentFailure?) {
        switch (responseCode, transactionStatus) {
        case (VNPay.ResponseCode.success, VNPay.TransactionStatus.success): (.success, nil)
        case (VNPay.ResponseCode.success, _), (VNPay.ResponseCode.suspicious, _): (.error, nil)
        case (VNPay.ResponseCode.userCancelled, _): (.failed, .userCancelled)
        case (VNPay.ResponseCode.expired, _): (.failed, .expired)
        default: (.failed, .declined)
        }
    }
}
