import Contracts
import DomainKit
import Foundation
@testable import PaymentsApp
import ServiceKit
import Testing

@Suite("VNPay 2.1.0 signing")
struct VNPaySigningTests {
    /// The gateway's published known answer.
    static let known: [String: String] = [
        "vnp_Amount": "1000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14422574", "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z", "vnp_PayDate": "20240521091806", "vnp_ResponseCode": "00",
        "vnp_TmnCode": "TEST_TMN_CODE", "vnp_TransactionNo": "14422574", "vnp_TransactionStatus": "00", "vnp_TxnRef": "1716257871703",
    ]

    @Test func theKnownAnswerIsReproducedByteForByte() {
        #expect(VNPay.signingString(Self.known) == "vnp_Amount=1000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14422574&vnp_CardType=ATM&"
                + "vnp_OrderInfo=Thanh+toan+don+hang+2024-05-21T02%3A17%3A31.249Z&vnp_PayDate=20240521091806&vnp_ResponseCode=00&"
                + "vnp_TmnCode=TEST_TMN_CODE&vnp_TransactionNo=14422574&vnp_TransactionStatus=00&vnp_TxnRef=1716257871703")
        #expect(VNPay.signature(Self.known, secret: "test_secret")
                == "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361dbf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895")
    }

    @Test func theHashItsTypeEmptyValuesAndOtherParametersAreNotSigned() {
        var parameters = Self.known
        parameters["vnp_SecureHash"] = "whatever"
        parameters["vnp_SecureHashType"] = "HmacSHA512"
        parameters["vnp_BankCode"] = nil
        parameters["vnp_Empty"] = ""
        parameters["utm_source"] = "mail"
        var expected = Self.known
        expected["vnp_BankCode"] = nil
        #expect(VNPay.signingString(parameters) == VNPay.signingString(expected))
        #expect(!VNPay.signingString(parameters).contains("vnp_Empty"))
    }

    @Test(arguments: [
        ("a b", "a+b"), ("a+b", "a%2Bb"), ("a&b=c", "a%26b%3Dc"), ("#1", "%231"), ("x*y-z_w.v", "x*y-z_w.v"), ("~", "%7E"),
        ("Đăng ký", "%C4%90%C4%83ng+k%C3%BD"), ("/?:", "%2F%3F%3A"), ("100%", "100%25"),
    ])
    func valuesAreFormEncodedAsTheGatewayExpects(_ value: String, _ encoded: String) {
        #expect(VNPay.formEncode(value) == encoded)
        #expect(VNPay.parameters(ofQuery: "vnp_X=\(encoded)")?["vnp_X"] == value)
    }

    @Test func keysAreSortedByBytesNotByLocale() {
        let parameters = ["vnp_b": "1", "vnp_B": "2", "vnp_a": "3", "vnp_Z": "4"]
        #expect(VNPay.signingString(parameters) == "vnp_B=2&vnp_Z=4&vnp_a=3&vnp_b=1")
    }

    @Test func aSignedQueryVerifiesAndOneChangedByteDoesNot() throws {
        let query = VNPay.signedQuery(Self.known, secret: "test_secret")
        var parameters = try #require(VNPay.parameters(ofQuery: query))
        #expect(VNPay.isSigned(parameters, secret: "test_secret"))
        #expect(!VNPay.isSigned(parameters, secret: "other_secret"))
        parameters["vnp_SecureHash"] = parameters["vnp_SecureHash"]!.uppercased()
        #expect(VNPay.isSigned(parameters, secret: "test_secret"), "hex in either case is the same signature")
        parameters["vnp_Amount"] = "1000001"
        #expect(!VNPay.isSigned(parameters, secret: "test_secret"))
        #expect(!VNPay.isSigned(["vnp_Amount": "1"], secret: "test_secret"), "no hash at all")
    }

    @Test func timesAreWrittenInVietnamTimeWhateverTheServerZone() throws {
        let instant = try #require(RFC3339.parse("2024-05-21T02:18:06Z"))
        #expect(VNPay.timestamp(instant) == "20240521091806")
        #expect(VNPay.date(fromTimestamp: "20240521091806") == instant)
        #expect(VNPay.date(fromTimestamp: "2024052109180") == nil)
        #expect(VNPay.date(fromTimestamp: "2024052109180x") == nil)
    }

    @Test func orderInfoHasNoDiacriticsOrSpecialCharacters() {
        #expect(VNPay.orderInfo("Nộp phí hồ sơ H33.55-260301-0001 (Đăng ký thường trú)!") == "Nop phi ho so H33 55 260301 0001 Dang ky thuong tru")
        #expect(VNPay.orderInfo(String(repeating: "a", count: 300)).count == 255)
    }

    @Test func amountsAreHundredthsOfADong() {
        #expect(VNPay.amount(VND(20_000)) == "2000000")
        #expect(VNPay.vnd(fromAmount: "2000000") == VND(20_000))
        #expect(VNPay.vnd(fromAmount: "2000050") == nil)
        #expect(VNPay.vnd(fromAmount: "-100") == nil)
        #expect(VNPay.vnd(fromAmount: "abc") == nil)
    }

    @Test func queryAndRefundAreSignedOverTheirPipeJoinedFields() {
        let query = VNPay.TransactionRequest(command: VNPay.TransactionRequest.query, requestId: "R1", tmnCode: "T", txnRef: "X", orderInfo: "O",
                                             transactionDate: "20240521091806", createDate: "20240521100000", ipAddr: "127.0.0.1", secret: "s")
        #expect(query.signingString == "R1|2.1.0|querydr|T|X|20240521091806|20240521100000|127.0.0.1|O")
        #expect(query.vnp_SecureHash == MessageAuthentication.hmacSHA512(query.signingString, key: "s"))
        #expect(query.isSigned(secret: "s") && !query.isSigned(secret: "t"))
        let refund = VNPay.TransactionRequest(command: VNPay.TransactionRequest.refund, requestId: "R2", tmnCode: "T", txnRef: "X", orderInfo: "O",
                                              transactionDate: "20240521091806", createDate: "20240521100000", ipAddr: "127.0.0.1",
                                              transactionType: "03", amount: "500000", transactionNo: "14422574", createBy: "officer", secret: "s")
        #expect(refund.signingString == "R2|2.1.0|refund|T|03|X|500000|14422574|20240521091806|officer|20240521100000|127.0.0.1|O")
        let answer = VNPay.TransactionResponse(responseId: "A", command: "querydr", responseCode: "00", message: "ok", tmnCode: "T", txnRef: "X",
                                               amount: "100", bankCode: "NCB", payDate: "20240521091806", transactionNo: "1", transactionType: "01",
                                               transactionStatus: "00", orderInfo: "O", secret: "s")
        #expect(answer.signingString == "A|querydr|00|ok|T|X|100|NCB|20240521091806|1|01|00|O||")
        var forged = answer
        forged.vnp_TransactionStatus = "02"
        #expect(answer.isSigned(secret: "s") && !forged.isSigned(secret: "s"))
    }
}

@Suite("Payment state table")
struct PaymentStateTableTests {
    @Test func paymentsMoveOnlyForward() {
        #expect(PaymentStateTable.allows(PaymentState.created, .started))
        #expect(PaymentStateTable.allows(PaymentState.started, .submitted))
        #expect(PaymentStateTable.allows(PaymentState.submitted, .success))
        #expect(PaymentStateTable.allows(PaymentState.started, .success), "the IPN may come before the payer is back")
        #expect(PaymentStateTable.allows(PaymentState.created, .cancelled))
        #expect(!PaymentStateTable.allows(PaymentState.submitted, .cancelled), "back from the bank: only the bank settles it")
        #expect(!PaymentStateTable.allows(PaymentState.submitted, .started))
        #expect(!PaymentStateTable.allows(PaymentState.created, .submitted))
        for final in [PaymentState.success, .failed, .error, .cancelled] {
            #expect(final.isFinal)
            for other in PaymentState.allCases { #expect(!PaymentStateTable.allows(final, other), "\(final) → \(other)") }
        }
        #expect(!PaymentState.created.isFinal && !PaymentState.started.isFinal && !PaymentState.submitted.isFinal)
    }

    @Test func refundsAreAnsweredOnce() {
        #expect(PaymentStateTable.allows(RefundState.submitted, .success))
        #expect(PaymentStateTable.allows(RefundState.submitted, .error))
        #expect(!PaymentStateTable.allows(RefundState.success, .error))
        #expect(!PaymentStateTable.allows(RefundState.error, .success))
        #expect(!PaymentStateTable.allows(RefundState.submitted, .submitted))
    }
}

@Suite("What the bank's notification decides")
struct GatewayVerdictTests {
    static let secret = "s3cret"

    static func payment(_ state: PaymentState = .started, amount: VND = VND(20_000)) -> PaymentRecord {
        PaymentRecord(id: "p1", dossierId: "d1", dossierCode: "C1", agencyCode: "A1", method: .gateway, state: state, failure: nil, amount: amount,
                      items: [], payer: Payer(name: "P"), reference: "REF1", returnUrl: nil, locale: nil, payerIp: nil, createdBy: "c",
                      createdAt: Date(), expiresAt: nil, paidAt: nil, bankTransactionNo: nil, bankCode: nil, receiptNumber: nil)
    }

    static func notification(amount: String = "2000000", code: String = "00", status: String = "00", tmn: String = "TMN", secret: String = secret)
        -> [String: String] {
        var parameters = ["vnp_Amount": amount, "vnp_ResponseCode": code, "vnp_TransactionStatus": status, "vnp_TmnCode": tmn, "vnp_TxnRef": "REF1"]
        parameters["vnp_SecureHash"] = VNPay.signature(parameters, secret: secret)
        return parameters
    }

    func verdict(_ parameters: [String: String], _ payment: PaymentRecord?) -> GatewayVerdict {
        GatewayVerdict.forNotification(parameters, secret: Self.secret, tmnCode: "TMN", payment: payment)
    }

    @Test func theChecksAreMadeInTheGatewaysOrder() {
        // Everything wrong at once: the checksum is what is reported.
        #expect(verdict(Self.notification(amount: "1", secret: "forged"), nil) == .refuse(.invalidChecksum))
        // Signed, unknown and with a wrong amount: unknown first.
        #expect(verdict(Self.notification(amount: "1"), nil) == .refuse(.orderNotFound))
        #expect(verdict(Self.notification(tmn: "OTHER"), Self.payment()) == .refuse(.orderNotFound))
        // Known, settled and with a wrong amount: the amount first.
        #expect(verdict(Self.notification(amount: "1"), Self.payment(.success)) == .refuse(.invalidAmount))
        #expect(verdict(Self.notification(), Self.payment(.success)) == .refuse(.alreadyConfirmed))
        #expect(verdict(Self.notification(), Self.payment(.cancelled)) == .refuse(.alreadyConfirmed))
        #expect(verdict(Self.notification(), Self.payment()) == .settle(.success, nil))
    }

    @Test func aChangedParameterAfterSigningIsAForgery() {
        var parameters = Self.notification(code: "24", status: "02")
        parameters["vnp_ResponseCode"] = "00"
        parameters["vnp_TransactionStatus"] = "00"
        #expect(verdict(parameters, Self.payment()) == .refuse(.invalidChecksum))
    }

    @Test(arguments: [
        ("00", "00", PaymentState.success, PaymentFailure?.none), ("24", "02", .failed, .userCancelled), ("11", "02", .failed, .expired),
        ("51", "02", .failed, .declined), ("00", "02", .error, nil), ("07", "00", .error, nil),
    ])
    func theBanksCodesBecomeAState(_ code: String, _ status: String, _ state: PaymentState, _ failure: PaymentFailure?) {
        #expect(verdict(Self.notification(code: code, status: status), Self.payment(.submitted)) == .settle(state, failure))
    }
}

@Suite("Payment return URLs")
struct ReturnOriginTests {
    @Test func onlyThePortalsOriginIsAllowedOnceItIsKnown() throws {
        let portal = try ReturnOrigins(settings: .testing(name: "payments", environment: ["PORTAL_PUBLIC_URL": "https://dichvucong.angiang.gov.vn"]))
        #expect(portal.allows("https://dichvucong.angiang.gov.vn/my/dossiers/1/payment"))
        #expect(!portal.allows("https://dichvucong.angiang.gov.vn.evil.example/"))
        #expect(!portal.allows("http://dichvucong.angiang.gov.vn/"), "another scheme is another origin")
        #expect(!portal.allows("http://127.0.0.1:8080/"))
        var production = ServiceSettings.testing(name: "payments")
        production.production = true
        #expect(throws: ConfigurationError.self) { try ReturnOrigins(settings: production) }
    }
}
