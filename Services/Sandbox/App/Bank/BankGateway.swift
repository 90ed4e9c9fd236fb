import Contracts
import DomainKit
import Foundation

/// The simulated bank's ledger and switches: payments opened from signed pay URLs, the payer's decisions, refunds,
/// and how the IPN is to misbehave. Kept in memory: the sandbox is a stand-in, started fresh with the platform.
actor BankGateway {
    struct Merchant: Sendable {
        var tmnCode: String
        var secret: String
    }

    /// How the bank behaves now; tests and demos change it with `POST /bank/control`.
    struct Behaviour: Codable, Sendable, Equatable {
        /// The payment page and the merchant API answer 503.
        var down = false
        /// Wait this long before the first IPN.
        var ipnDelayMs = 0
        /// Send each IPN this many extra times once it has been answered.
        var ipnRepeat = 0
        /// Send the IPN (and wait for its answer) before redirecting the payer back.
        var ipnBeforeRedirect = false
        /// Send no IPN at all: the merchant must ask with querydr.
        var dropIpn = false
        /// The merchant's IPN URL, as a merchant sets it in the gateway's admin pages; nil: as configured or discovered.
        var ipnUrl: String?
    }

    struct Transaction: Codable, Sendable, Equatable {
        enum State: String, Codable, Sendable { case pending, success, declined, cancelled }
        var txnRef: String
        var transactionNo: String
        var amount: VND
        var orderInfo: String
        var returnURL: String
        var createDate: String
        var expireDate: String?
        var locale: String
        var state: State
        var responseCode: String?
        var payDate: String?
        var refunded: VND
        var ipnAttempts: Int
        var lastIPNAnswer: String?
    }

    struct Refund: Codable, Sendable, Equatable {
        var requestId: String
        var txnRef: String
        var amount: VND
        var at: Date
        var answer: VNPay.TransactionResponse
    }

    let merchant: Merchant
    private(set) var behaviour = Behaviour()
    private var transactions: [String: Transaction] = [:]
    private var order: [String] = []
    private var refunds: [String: Refund] = [:]
    private var nextNumber = 14_000_000

    init(merchant: Merchant) {
        self.merchant = merchant
    }

    func set(_ behaviour: Behaviour) { self.behaviour = behaviour }

    enum Opened: Equatable {
        case open(Transaction)
        case refused(code: String, reason: String)
    }

    /// A payer arrives with a pay URL: checked as the real gateway checks it, then the transaction waits for them.
    func open(_ parameters: [String: String], at now: Date) -> Opened {
        guard VNPay.isSigned(parameters, secret: self.merchant.secret) else { return .refused(code: "97", reason: "Sai chữ ký (invalid checksum)") }
        guard parameters["vnp_TmnCode"] == self.merchant.tmnCode else { return .refused(code: "02", reason: "Website không tồn tại (unknown TmnCode)") }
        guard parameters["vnp_Version"] == VNPay.version, parameters["vnp_Command"] == "pay" else {
            return .refused(code: "03", reason: "Sai phiên bản hoặc lệnh (vnp_Version 2.1.0, vnp_Command pay)")
        }
        guard let txnRef = parameters["vnp_TxnRef"], !txnRef.isEmpty, let returnURL = parameters["vnp_ReturnUrl"], !returnURL.isEmpty,
              let amount = parameters["vnp_Amount"].flatMap(VNPay.vnd(fromAmount:)), amount.amount > 0,
              let createDate = parameters["vnp_CreateDate"], VNPay.date(fromTimestamp: createDate) != nil
        else { return .refused(code: "03", reason: "Thiếu hoặc sai tham số (TxnRef, ReturnUrl, Amount, CreateDate)") }
        if let expiry = parameters["vnp_ExpireDate"], let date = VNPay.date(fromTimestamp: expiry), date < now {
            return .refused(code: VNPay.ResponseCode.expired, reason: "Giao dịch đã quá thời gian chờ thanh toán")
        }
        if let existing = self.transactions[txnRef] {
            guard existing.state == .pending else { return .refused(code: "02", reason: "Giao dịch đã được xử lý (already processed)") }
            return .open(existing)
        }
        self.nextNumber += 1
        let transaction = Transaction(
            txnRef: txnRef, transactionNo: String(self.nextNumber), amount: amount, orderInfo: parameters["vnp_OrderInfo"] ?? "",
            returnURL: returnURL, createDate: createDate, expireDate: parameters["vnp_ExpireDate"], locale: parameters["vnp_Locale"] ?? "vn",
            state: .pending, responseCode: nil, payDate: nil, refunded: .zero, ipnAttempts: 0, lastIPNAnswer: nil)
        self.transactions[txnRef] = transaction
        self.order.append(txnRef)
        return .open(transaction)
    }

    enum Decision: String, Codable, Sendable { case approve, decline, cancel }

    /// The payer's choice on the payment page; nil when there is no such pending transaction.
    func decide(_ txnRef: String, _ decision: Decision, at now: Date) -> Transaction? {
        guard var transaction = self.transactions[txnRef], transaction.state == .pending else { return nil }
        switch decision {
        case .approve: (transaction.state, transaction.responseCode) = (.success, VNPay.ResponseCode.success)
        case .decline: (transaction.state, transaction.responseCode) = (.declined, VNPay.ResponseCode.declined)
        case .cancel: (transaction.state, transaction.responseCode) = (.cancelled, VNPay.ResponseCode.userCancelled)
        }
        transaction.payDate = VNPay.timestamp(now)
        self.transactions[txnRef] = transaction
        return transaction
    }

    /// The signed result the bank sends with the redirect and the IPN.
    func result(_ transaction: Transaction) -> [String: String] {
        var parameters = [
            "vnp_Amount": VNPay.amount(transaction.amount), "vnp_BankCode": "NCB", "vnp_CardType": "ATM", "vnp_OrderInfo": transaction.orderInfo,
            "vnp_PayDate": transaction.payDate ?? "", "vnp_ResponseCode": transaction.responseCode ?? "99", "vnp_TmnCode": self.merchant.tmnCode,
            "vnp_TransactionNo": transaction.transactionNo,
            "vnp_TransactionStatus": transaction.state == .success ? VNPay.TransactionStatus.success : VNPay.TransactionStatus.failed,
            "vnp_TxnRef": transaction.txnRef,
        ]
        if transaction.state == .success { parameters["vnp_BankTranNo"] = "VNP" + transaction.transactionNo }
        parameters["vnp_SecureHash"] = VNPay.signature(parameters, secret: self.merchant.secret)
        return parameters
    }

    func recordIPN(_ txnRef: String, answer: String?) {
        self.transactions[txnRef]?.ipnAttempts += 1
        self.transactions[txnRef]?.lastIPNAnswer = answer
    }

    // MARK: The merchant API

    func answer(_ request: VNPay.TransactionRequest, at now: Date) -> VNPay.TransactionResponse {
        func respond(_ code: String, _ message: String, _ transaction: Transaction?) -> VNPay.TransactionResponse {
            let status: String
            switch transaction?.state {
            case .success?: status = transaction!.refunded == transaction!.amount ? VNPay.TransactionStatus.reversed
                : (transaction!.refunded.amount > 0 ? VNPay.TransactionStatus.refundSent : VNPay.TransactionStatus.success)
            case .pending?: status = VNPay.TransactionStatus.pending
            case nil: status = ""
            default: status = VNPay.TransactionStatus.failed
            }
            return VNPay.TransactionResponse(
                responseId: UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased(), command: request.vnp_Command,
                responseCode: code, message: message, tmnCode: self.merchant.tmnCode, txnRef: request.vnp_TxnRef,
                amount: request.vnp_Command == VNPay.TransactionRequest.refund ? (request.vnp_Amount ?? "") : transaction.map { VNPay.amount($0.amount) } ?? "",
                bankCode: transaction == nil ? "" : "NCB", payDate: transaction?.payDate ?? "", transactionNo: transaction?.transactionNo ?? "",
                transactionType: request.vnp_Command == VNPay.TransactionRequest.refund ? (request.vnp_TransactionType ?? "") : VNPay.Settlement.payment,
                transactionStatus: status, orderInfo: request.vnp_OrderInfo, secret: self.merchant.secret)
        }
        guard request.isSigned(secret: self.merchant.secret) else { return respond(VNPay.TransactionResponse.invalidChecksum, "Invalid Checksum", nil) }
        guard request.vnp_TmnCode == self.merchant.tmnCode else { return respond("02", "Merchant is not valid", nil) }
        guard let transaction = self.transactions[request.vnp_TxnRef] else {
            return respond(VNPay.TransactionResponse.notFound, "Transaction not found", nil)
        }
        guard request.vnp_Command == VNPay.TransactionRequest.refund else { return respond(VNPay.TransactionResponse.found, "Query success", transaction) }
        // The same refund request sent again gets the first answer: the bank refunds once.
        if let earlier = self.refunds[request.vnp_RequestId], earlier.txnRef == request.vnp_TxnRef { return earlier.answer }
        guard transaction.state == .success, let amount = request.vnp_Amount.flatMap(VNPay.vnd(fromAmount:)), amount.amount > 0,
              amount <= transaction.amount - transaction.refunded
        else { return respond(VNPay.TransactionResponse.refundRefused, "Refund amount exceeds what can be refunded", transaction) }
        self.transactions[request.vnp_TxnRef]?.refunded = transaction.refunded + amount
        let answer = respond(VNPay.TransactionResponse.found, "Refund success", self.transactions[request.vnp_TxnRef])
        self.refunds[request.vnp_RequestId] = Refund(requestId: request.vnp_RequestId, txnRef: request.vnp_TxnRef, amount: amount, at: now, answer: answer)
        return answer
    }

    // MARK: Lists and the settlement file

    func list(limit: Int) -> [Transaction] {
        self.order.suffix(limit).reversed().compactMap { self.transactions[$0] }
    }

    func transaction(_ txnRef: String) -> Transaction? { self.transactions[txnRef] }

    /// The day's settlement file: payments paid and refunds made on that Vietnam day.
    func settlement(day: LocalDate) -> String {
        var lines = [VNPay.Settlement.header.joined(separator: ",")]
        for reference in self.order {
            guard let transaction = self.transactions[reference], transaction.state == .success,
                  let paid = transaction.payDate.flatMap(VNPay.date(fromTimestamp:)), LocalDate(paid) == day else { continue }
            lines.append([self.merchant.tmnCode, transaction.txnRef, transaction.transactionNo, VNPay.Settlement.payment,
                          VNPay.amount(transaction.amount), "NCB", transaction.payDate ?? "", "00"].joined(separator: ","))
        }
        for refund in self.refunds.values.sorted(by: { $0.at < $1.at }) where LocalDate(refund.at) == day {
            lines.append([self.merchant.tmnCode, refund.txnRef, refund.answer.vnp_TransactionNo, refund.answer.vnp_TransactionType,
                          VNPay.amount(refund.amount), "NCB", VNPay.timestamp(refund.at), "00"].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    func reset() {
        self.transactions = [:]
        self.order = []
        self.refunds = [:]
    }
}
