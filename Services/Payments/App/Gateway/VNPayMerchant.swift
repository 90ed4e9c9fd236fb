import AsyncHTTPClient
import Contracts
import DomainKit
import Foundation
import NIOCore
import ServiceKit

/// Our side of the bank gateway: the signed URL that sends a payer to the bank, and the signed `querydr` and
/// `refund` calls to its merchant API.
struct VNPayMerchant: Sendable {
    struct Account: Sendable {
        var tmnCode: String
        var secret: String
    }

    let account: Account
    /// The gateway's base URL, as the payer's browser reaches it (the sandbox's, found through discovery, by default).
    let gatewayURL: @Sendable () async throws -> String
    /// The merchant API's base URL, as this service reaches it (often another host than the payment page).
    let apiURL: @Sendable () async throws -> String
    /// Where the bank sends the payer back: our `/v1/gateway/vnpay/return`.
    let returnURL: String
    let http: HTTPClient
    /// The address the merchant API is called from (`vnp_IpAddr` of queries and refunds).
    let serverIP: String

    /// The URL that opens the bank's payment page for this payment. The same every time for one payment.
    func payURL(for payment: PaymentRecord) async throws -> String {
        var parameters = [
            "vnp_Version": VNPay.version, "vnp_Command": "pay", "vnp_TmnCode": self.account.tmnCode, "vnp_Amount": VNPay.amount(payment.amount),
            "vnp_CurrCode": "VND", "vnp_TxnRef": payment.reference, "vnp_OrderInfo": Self.orderInfo(payment),
            // 250000: fees and charges of public services, in the gateway's order types.
            "vnp_OrderType": "250000", "vnp_Locale": payment.locale ?? "vn", "vnp_ReturnUrl": self.returnURL,
            "vnp_IpAddr": payment.payerIp ?? "127.0.0.1", "vnp_CreateDate": VNPay.timestamp(payment.createdAt),
        ]
        if let expiry = payment.expiresAt { parameters["vnp_ExpireDate"] = VNPay.timestamp(expiry) }
        return try await self.gatewayURL() + VNPay.payPath + "?" + VNPay.signedQuery(parameters, secret: self.account.secret)
    }

    static func orderInfo(_ payment: PaymentRecord) -> String {
        VNPay.orderInfo("Nop phi ho so \(payment.dossierCode)")
    }

    /// Asks the bank what became of a payment. Throws when the bank cannot be reached or answers unsigned.
    func query(_ payment: PaymentRecord, at now: Date) async throws -> VNPay.TransactionResponse {
        let request = VNPay.TransactionRequest(
            command: VNPay.TransactionRequest.query, requestId: Self.requestID(), tmnCode: self.account.tmnCode, txnRef: payment.reference,
            orderInfo: "Truy van giao dich \(payment.reference)", transactionDate: VNPay.timestamp(payment.createdAt),
            createDate: VNPay.timestamp(now), ipAddr: self.serverIP, secret: self.account.secret)
        return try await self.call(request)
    }

    /// Asks the bank to give back part or all of a payment. Sent again with the same request id, it refunds once.
    func refund(_ refund: RefundRecord, of payment: PaymentRecord, at now: Date) async throws -> VNPay.TransactionResponse {
        let full = refund.amount == payment.amount
        let request = VNPay.TransactionRequest(
            command: VNPay.TransactionRequest.refund, requestId: refund.requestId, tmnCode: self.account.tmnCode, txnRef: payment.reference,
            orderInfo: VNPay.orderInfo("Hoan phi ho so \(payment.dossierCode)"), transactionDate: VNPay.timestamp(payment.createdAt),
            createDate: VNPay.timestamp(now), ipAddr: self.serverIP,
            transactionType: full ? VNPay.TransactionRequest.fullRefund : VNPay.TransactionRequest.partialRefund,
            amount: VNPay.amount(refund.amount), transactionNo: payment.bankTransactionNo ?? "0", createBy: refund.requestedBy,
            secret: self.account.secret)
        return try await self.call(request)
    }

    private func call(_ body: VNPay.TransactionRequest) async throws -> VNPay.TransactionResponse {
        var request = HTTPClientRequest(url: try await self.apiURL() + VNPay.transactionPath)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await self.http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1024 * 1024)
        guard response.status == .ok else { throw GatewayError.unavailable("the bank's merchant API answered HTTP \(response.status.code)") }
        guard let answer = try? JSONDecoder().decode(VNPay.TransactionResponse.self, from: Data(bytes.readableBytesView)) else {
            throw GatewayError.unavailable("the bank's merchant API answered something that is not a transaction response")
        }
        guard answer.isSigned(secret: self.account.secret) else { throw GatewayError.unavailable("the bank's answer is not signed with our secret") }
        return answer
    }

    /// `vnp_RequestId`: unique per request within a day.
    static func requestID() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).uppercased()
    }
}

enum GatewayError: Error, CustomStringConvertible {
    case unavailable(String)

    var description: String {
        switch self {
        case .unavailable(let reason): reason
        }
    }
}
