import DomainKit
import Foundation
import ServiceKit

/// The bank gateway's protocol, VNPay 2.1.0: the payer is sent to the gateway with a signed URL, comes back to our
/// return URL with a signed query, and the gateway confirms the money with a signed server-to-server GET (the IPN).
/// Queries (`querydr`) and refunds are JSON POSTs to the merchant API, signed over '|'-joined fields. The payments
/// service speaks it as the merchant; the sandbox speaks it as the bank.
public enum VNPay {
    public static let version = "2.1.0"
    /// The payment page, under the gateway's base URL.
    public static let payPath = "/paymentv2/vpcpay.html"
    /// `querydr` and `refund`, under the gateway's base URL.
    public static let transactionPath = "/merchant_webapi/api/transaction"
    /// The merchant's IPN and return endpoints, under the payments service's base URL.
    public static let ipnPath = "/v1/gateway/vnpay/ipn"
    public static let returnPath = "/v1/gateway/vnpay/return"

    // MARK: - Signing the query string

    /// Form encoding as the gateway's reference code does it (Java's URLEncoder): space as `+`, `%XX` upper case.
    public static func formEncode(_ value: String) -> String { FormEncoding.encode(value) }

    /// A query string's parameters, form-decoded; nil when any part cannot be decoded (a request no bank sent).
    public static func parameters(ofQuery query: String) -> [String: String]? { FormEncoding.parameters(of: query) }

    /// What is signed: every `vnp_` parameter but the hash and its type, with a value, sorted by name in byte order,
    /// joined as `name=value` with `&`, values form-encoded.
    public static func signingString(_ parameters: [String: String]) -> String {
        parameters
            .filter { $0.key.hasPrefix("vnp_") && $0.key != "vnp_SecureHash" && $0.key != "vnp_SecureHashType" && !$0.value.isEmpty }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { $0.key + "=" + formEncode($0.value) }
            .joined(separator: "&")
    }

    /// `vnp_SecureHash`: lower-case hex HMAC-SHA512 of the signing string under the merchant's secret.
    public static func signature(_ parameters: [String: String], secret: String) -> String {
        MessageAuthentication.hmacSHA512(signingString(parameters), key: secret)
    }

    /// Whether `vnp_SecureHash` is the signature of the other parameters (either case of hex; compared in constant time).
    public static func isSigned(_ parameters: [String: String], secret: String) -> Bool {
        guard let hash = parameters["vnp_SecureHash"] else { return false }
        return MessageAuthentication.same(hash.lowercased(), signature(parameters, secret: secret))
    }

    /// The query string to send: the signing string and the signature.
    public static func signedQuery(_ parameters: [String: String], secret: String) -> String {
        let signing = signingString(parameters)
        return signing + "&vnp_SecureHash=" + MessageAuthentication.hmacSHA512(signing, key: secret)
    }

    // MARK: - Values

    /// `yyyyMMddHHmmss` in GMT+7, whatever the server's time zone.
    public static func timestamp(_ date: Date) -> String {
        String(VietnamTime.rfc3339(date).prefix(19).filter(\.isNumber))
    }

    /// The instant a `yyyyMMddHHmmss` GMT+7 timestamp names; nil when it is not one.
    public static func date(fromTimestamp text: String) -> Date? {
        let digits = Array(text)
        guard digits.count == 14, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let s = String(digits)
        func part(_ from: Int, _ count: Int) -> Substring { s.dropFirst(from).prefix(count) }
        return RFC3339.parse("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))+07:00")
    }

    /// `vnp_OrderInfo`: Vietnamese without diacritics, letters, digits and spaces only, at most 255 characters.
    public static func orderInfo(_ text: String) -> String {
        let plain = VietnameseText.withoutDiacritics(text)
        let kept = plain.unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : " " }
        return String(String(kept).split(separator: " ").joined(separator: " ").prefix(255))
    }

    /// `vnp_Amount`: the amount in VND times 100, as text.
    public static func amount(_ vnd: VND) -> String { String(vnd.amount * 100) }

    /// The VND a `vnp_Amount` names; nil when it is not a whole number of đồng.
    public static func vnd(fromAmount text: String) -> VND? {
        guard let hundredths = Int64(text), hundredths >= 0, hundredths % 100 == 0 else { return nil }
        return VND(hundredths / 100)
    }

    // MARK: - Codes

    /// `vnp_ResponseCode` of a payment (return URL and IPN).
    public enum ResponseCode {
        public static let success = "00"
        /// The bank took the money but flagged it as suspicious.
        public static let suspicious = "07"
        public static let expired = "11"
        public static let userCancelled = "24"
        public static let declined = "51"
    }

    /// `vnp_TransactionStatus` of a payment or refund as the gateway holds it.
    public enum TransactionStatus {
        public static let success = "00"
        public static let pending = "01"
        public static let failed = "02"
        /// Reversed: refunded in full.
        public static let reversed = "04"
        public static let refundProcessing = "05"
        public static let refundSent = "06"
        public static let refundDeclined = "09"
    }

    /// The merchant's answer to an IPN, in the order the checks are made.
    public struct IPNAnswer: Codable, Sendable, Equatable {
        public var RspCode: String
        public var Message: String

        public init(_ code: String, _ message: String) {
            self.RspCode = code
            self.Message = message
        }

        public static let confirmed = IPNAnswer("00", "Confirm Success")
        public static let orderNotFound = IPNAnswer("01", "Order not found")
        public static let alreadyConfirmed = IPNAnswer("02", "Order already confirmed")
        public static let invalidAmount = IPNAnswer("04", "invalid amount")
        public static let invalidChecksum = IPNAnswer("97", "Invalid signature")
        public static let unknownError = IPNAnswer("99", "Unknow error")
    }

    // MARK: - The merchant API: querydr and refund

    /// `querydr` and `refund` bodies; which fields are signed, and in what order, depends on the command.
    public struct TransactionRequest: Codable, Sendable, Equatable {
        public var vnp_RequestId: String
        public var vnp_Version: String
        public var vnp_Command: String
        public var vnp_TmnCode: String
        public var vnp_TxnRef: String
        public var vnp_OrderInfo: String
        /// The payment's `vnp_CreateDate`.
        public var vnp_TransactionDate: String
        public var vnp_CreateDate: String
        public var vnp_IpAddr: String
        /// Refunds: "02" in full, "03" in part.
        public var vnp_TransactionType: String?
        /// Refunds: the amount to give back, × 100.
        public var vnp_Amount: String?
        public var vnp_TransactionNo: String?
        public var vnp_CreateBy: String?
        public var vnp_SecureHash: String

        public static let query = "querydr"
        public static let refund = "refund"
        public static let fullRefund = "02"
        public static let partialRefund = "03"

        public init(command: String, requestId: String, tmnCode: String, txnRef: String, orderInfo: String, transactionDate: String,
                    createDate: String, ipAddr: String, transactionType: String? = nil, amount: String? = nil, transactionNo: String? = nil,
                    createBy: String? = nil, secret: String) {
            self.vnp_RequestId = requestId
            self.vnp_Version = VNPay.version
            self.vnp_Command = command
            self.vnp_TmnCode = tmnCode
            self.vnp_TxnRef = txnRef
            self.vnp_OrderInfo = orderInfo
            self.vnp_TransactionDate = transactionDate
            self.vnp_CreateDate = createDate
            self.vnp_IpAddr = ipAddr
            self.vnp_TransactionType = transactionType
            self.vnp_Amount = amount
            self.vnp_TransactionNo = transactionNo
            self.vnp_CreateBy = createBy
            self.vnp_SecureHash = ""
            self.vnp_SecureHash = MessageAuthentication.hmacSHA512(self.signingString, key: secret)
        }

        /// querydr: RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo;
        /// refund: RequestId|Version|Command|TmnCode|TransactionType|TxnRef|Amount|TransactionNo|TransactionDate|CreateBy|CreateDate|IpAddr|OrderInfo.
        public var signingString: String {
            if self.vnp_Command == Self.refund {
                return [self.vnp_RequestId, self.vnp_Version, self.vnp_Command, self.vnp_TmnCode, self.vnp_TransactionType ?? "", self.vnp_TxnRef,
                        self.vnp_Amount ?? "", self.vnp_TransactionNo ?? "", self.vnp_TransactionDate, self.vnp_CreateBy ?? "",
                        self.vnp_CreateDate, self.vnp_IpAddr, self.vnp_OrderInfo].joined(separator: "|")
            }
            return [self.vnp_RequestId, self.vnp_Version, self.vnp_Command, self.vnp_TmnCode, self.vnp_TxnRef, self.vnp_TransactionDate,
                    self.vnp_CreateDate, self.vnp_IpAddr, self.vnp_OrderInfo].joined(separator: "|")
        }

        public func isSigned(secret: String) -> Bool {
            MessageAuthentication.same(self.vnp_SecureHash.lowercased(), MessageAuthentication.hmacSHA512(self.signingString, key: secret))
        }
    }

    /// The merchant API's answer to `querydr` and `refund`.
    public struct TransactionResponse: Codable, Sendable, Equatable {
        public var vnp_ResponseId: String
        public var vnp_Command: String
        public var vnp_ResponseCode: String
        public var vnp_Message: String
        public var vnp_TmnCode: String
        public var vnp_TxnRef: String
        public var vnp_Amount: String
        public var vnp_BankCode: String
        public var vnp_PayDate: String
        public var vnp_TransactionNo: String
        public var vnp_TransactionType: String
        public var vnp_TransactionStatus: String
        public var vnp_OrderInfo: String
        public var vnp_PromotionCode: String?
        public var vnp_PromotionAmount: String?
        public var vnp_SecureHash: String

        /// Answer codes of the merchant API.
        public static let found = "00"
        public static let notFound = "91"
        public static let duplicateRequest = "94"
        public static let refundRefused = "95"
        public static let invalidChecksum = "97"
        public static let otherError = "99"

        public init(responseId: String, command: String, responseCode: String, message: String, tmnCode: String, txnRef: String, amount: String,
                    bankCode: String, payDate: String, transactionNo: String, transactionType: String, transactionStatus: String,
                    orderInfo: String, secret: String) {
            self.vnp_ResponseId = responseId
            self.vnp_Command = command
            self.vnp_ResponseCode = responseCode
            self.vnp_Message = message
            self.vnp_TmnCode = tmnCode
            self.vnp_TxnRef = txnRef
            self.vnp_Amount = amount
            self.vnp_BankCode = bankCode
            self.vnp_PayDate = payDate
            self.vnp_TransactionNo = transactionNo
            self.vnp_TransactionType = transactionType
            self.vnp_TransactionStatus = transactionStatus
            self.vnp_OrderInfo = orderInfo
            self.vnp_PromotionCode = command == TransactionRequest.query ? "" : nil
            self.vnp_PromotionAmount = command == TransactionRequest.query ? "" : nil
            self.vnp_SecureHash = ""
            self.vnp_SecureHash = MessageAuthentication.hmacSHA512(self.signingString, key: secret)
        }

        /// ResponseId|Command|ResponseCode|Message|TmnCode|TxnRef|Amount|BankCode|PayDate|TransactionNo|TransactionType|
        /// TransactionStatus|OrderInfo, and for querydr also |PromotionCode|PromotionAmount.
        public var signingString: String {
            var fields = [self.vnp_ResponseId, self.vnp_Command, self.vnp_ResponseCode, self.vnp_Message, self.vnp_TmnCode, self.vnp_TxnRef,
                          self.vnp_Amount, self.vnp_BankCode, self.vnp_PayDate, self.vnp_TransactionNo, self.vnp_TransactionType,
                          self.vnp_TransactionStatus, self.vnp_OrderInfo]
            if self.vnp_Command == TransactionRequest.query { fields += [self.vnp_PromotionCode ?? "", self.vnp_PromotionAmount ?? ""] }
            return fields.joined(separator: "|")
        }

        public func isSigned(secret: String) -> Bool {
            MessageAuthentication.same(self.vnp_SecureHash.lowercased(), MessageAuthentication.hmacSHA512(self.signingString, key: secret))
        }
    }

    // MARK: - The daily settlement file

    /// The gateway's settlement file for one day: CSV with this header, one row per payment or refund it settled.
    public enum Settlement {
        public static let header = ["TmnCode", "TxnRef", "TransactionNo", "TransactionType", "Amount", "BankCode", "PayDate", "Status"]
        /// `TransactionType` of a payment; refunds carry "02" or "03".
        public static let payment = "01"
    }
}
