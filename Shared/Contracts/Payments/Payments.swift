import DomainKit
import Foundation

/// One fee of a payment, as the procedure names it.
public typealias FeeItem = Procedure.Fee

/// Who pays: shown to officers and on the receipt.
public struct Payer: Codable, Sendable, Equatable {
    public var name: String
    public var phone: String?
    public var email: String?

    public init(name: String, phone: String? = nil, email: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
    }
}

/// `POST /v1/payments`: pay a dossier's fees online through the bank gateway.
public struct CreatePaymentRequest: Codable, Sendable, Equatable {
    public var dossierCode: String
    public var items: [FeeItem]
    public var payer: Payer
    /// The portal page the payer comes back to; it shows the stored state of `?payment=<id>`.
    public var returnUrl: String
    /// "vn" or "en": the bank page's language.
    public var locale: String?
    /// The payer's address as the portal saw it (`vnp_IpAddr`).
    public var payerIp: String?

    public init(dossierCode: String, items: [FeeItem], payer: Payer, returnUrl: String, locale: String? = nil, payerIp: String? = nil) {
        self.dossierCode = dossierCode
        self.items = items
        self.payer = payer
        self.returnUrl = returnUrl
        self.locale = locale
        self.payerIp = payerIp
    }
}

/// `POST /v1/payments/counter`: cash taken at the counter by an officer, who hands over a receipt.
public struct CounterPaymentRequest: Codable, Sendable, Equatable {
    public var dossierCode: String
    public var items: [FeeItem]
    public var payer: Payer

    public init(dossierCode: String, items: [FeeItem], payer: Payer) {
        self.dossierCode = dossierCode
        self.items = items
        self.payer = payer
    }
}

/// `POST /v1/payments/{id}/refunds`: give back some or all of a paid amount.
public struct RefundRequest: Codable, Sendable, Equatable {
    public var amount: VND
    /// What the caller believes is still refundable; a stale belief is refused with 412.
    public var expectedAvailable: VND
    public var reason: String

    public init(amount: VND, expectedAvailable: VND, reason: String) {
        self.amount = amount
        self.expectedAvailable = expectedAvailable
        self.reason = reason
    }
}

/// How a payment was made.
public enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    case gateway
    case counter
}

/// A payment as its payer and the officers of its agency see it.
public struct PaymentView: Codable, Sendable, Equatable {
    public struct Transition: Codable, Sendable, Equatable {
        public var at: Date
        public var from: PaymentState?
        public var to: PaymentState
        /// What moved it: "created", "redirect", "return", "ipn", "querydr", "expiry", "counter", "cancel".
        public var cause: String
        public var detail: String?

        public init(at: Date, from: PaymentState?, to: PaymentState, cause: String, detail: String?) {
            self.at = at
            self.from = from
            self.to = to
            self.cause = cause
            self.detail = detail
        }
    }

    public struct Refund: Codable, Sendable, Equatable {
        public var id: String
        public var amount: VND
        public var state: RefundState
        public var reason: String
        public var requestedBy: String
        public var createdAt: Date
        public var updatedAt: Date
        public var detail: String?

        public init(id: String, amount: VND, state: RefundState, reason: String, requestedBy: String, createdAt: Date, updatedAt: Date,
                    detail: String?) {
            self.id = id
            self.amount = amount
            self.state = state
            self.reason = reason
            self.requestedBy = requestedBy
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.detail = detail
        }
    }

    public var id: String
    public var dossierId: String
    public var dossierCode: String
    public var agencyCode: String
    public var method: PaymentMethod
    public var state: PaymentState
    public var failure: PaymentFailure?
    public var amount: VND
    public var items: [FeeItem]
    public var payer: Payer
    /// The bank's transaction reference for this payment (`vnp_TxnRef`).
    public var reference: String
    /// Where to send the payer to pay, while the payment can still be paid.
    public var payUrl: String?
    public var returnUrl: String?
    public var createdAt: Date
    public var expiresAt: Date?
    public var paidAt: Date?
    /// The bank's transaction number, or the counter receipt's number.
    public var bankTransactionNo: String?
    public var receiptNumber: String?
    public var refunded: VND
    /// Paid and not yet refunded or being refunded: what a refund may ask for.
    public var availableToRefund: VND
    public var createdBy: String
    public var transitions: [Transition]
    public var refunds: [Refund]

    public init(id: String, dossierId: String, dossierCode: String, agencyCode: String, method: PaymentMethod, state: PaymentState,
                failure: PaymentFailure?, amount: VND, items: [FeeItem], payer: Payer, reference: String, payUrl: String?, returnUrl: String?,
                createdAt: Date, expiresAt: Date?, paidAt: Date?, bankTransactionNo: String?, receiptNumber: String?, refunded: VND,
                availableToRefund: VND, createdBy: String, transitions: [Transition], refunds: [Refund]) {
        self.id = id
        self.dossierId = dossierId
        self.dossierCode = dossierCode
        self.agencyCode = agencyCode
        self.method = method
        self.state = state
        self.failure = failure
        self.amount = amount
        self.items = items
        self.payer = payer
        self.reference = reference
        self.payUrl = payUrl
        self.returnUrl = returnUrl
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.paidAt = paidAt
        self.bankTransactionNo = bankTransactionNo
        self.receiptNumber = receiptNumber
        self.refunded = refunded
        self.availableToRefund = availableToRefund
        self.createdBy = createdBy
        self.transitions = transitions
        self.refunds = refunds
    }
}

/// Single-window's answer to "what does this dossier owe": `GET /v1/dossiers/by-code/{code}/fees`.
public struct DossierFees: Codable, Sendable, Equatable {
    public var dossierId: String
    public var code: String
    public var agencyCode: String
    /// The agency's name as it is when asked, which a receipt keeps (agencies are renamed and merged; a receipt is not).
    public var agencyName: String?
    public var procedureCode: String
    public var status: DossierStatus
    /// The applicant's account, to check that a citizen pays for their own dossier.
    public var submittedBy: String
    public var items: [FeeItem]
    public var total: VND

    public init(dossierId: String, code: String, agencyCode: String, agencyName: String? = nil, procedureCode: String, status: DossierStatus,
                submittedBy: String, items: [FeeItem]) {
        self.dossierId = dossierId
        self.code = code
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.procedureCode = procedureCode
        self.status = status
        self.submittedBy = submittedBy
        self.items = items
        self.total = items.map(\.amount).total()
    }
}

extension PaymentView {
    /// The number a paid fee is known by: the counter receipt's, else the bank's transaction number, else our reference.
    public static func number(receipt: String?, bankTransaction: String?, reference: String) -> String {
        receipt ?? bankTransaction ?? reference
    }

    public var number: String { Self.number(receipt: self.receiptNumber, bankTransaction: self.bankTransactionNo, reference: self.reference) }
}
