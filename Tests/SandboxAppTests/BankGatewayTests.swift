import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SandboxApp
import ServiceKit
import ServiceTesting
import Testing

/// The simulated bank as a merchant meets it: the checks on a pay URL, the payer's decision, the merchant API's
/// answers and signatures, refunds that cannot exceed the payment, and the settlement file.
@Suite("Sandbox: the VNPay-compatible bank")
struct BankGatewayTests {
    static let secret = SandboxDefaults.bankSecret

    static func payURL(reference: String = "REF\(UInt32.random(in: 0...UInt32.max))", amount: String = "2000000", expire: Date = Date().addingTimeInterval(900),
                       secret: String = secret, tmn: String = SandboxDefaults.bankTmnCode) -> (String, String) {
        let parameters = ["vnp_Version": VNPay.version, "vnp_Command": "pay", "vnp_TmnCode": tmn, "vnp_Amount": amount, "vnp_CurrCode": "VND",
                          "vnp_TxnRef": reference, "vnp_OrderInfo": "Nop phi ho so", "vnp_OrderType": "250000", "vnp_Locale": "vn",
                          "vnp_ReturnUrl": "http://merchant.test/back?x=1", "vnp_IpAddr": "127.0.0.1", "vnp_CreateDate": VNPay.timestamp(Date()),
                          "vnp_ExpireDate": VNPay.timestamp(expire)]
        return (VNPay.payPath + "?" + VNPay.signedQuery(parameters, secret: secret), reference)
    }

    func transaction(_ client: some TestClientProtocol, _ command: String, reference: String, amount: String? = nil, requestID: String = UUID().uuidString,
                     secret: String = secret) async throws -> VNPay.TransactionResponse? {
        let request = VNPay.TransactionRequest(command: command, requestId: requestID, tmnCode: SandboxDefaults.bankTmnCode, txnRef: reference,
                                               orderInfo: "x", transactionDate: VNPay.timestamp(Date()), createDate: VNPay.timestamp(Date()),
                                               ipAddr: "127.0.0.1", transactionType: amount == nil ? nil : "03", amount: amount, transactionNo: "1",
                                               createBy: "officer", secret: secret)
        return try await client.execute(uri: VNPay.transactionPath, method: .post, headers: [.contentType: "application/json"],
                                        body: ByteBuffer(bytes: try JSONEncoder().encode(request))) { response in
            try? JSONDecoder().decode(VNPay.TransactionResponse.self, from: Data(response.body.readableBytesView))
        }
    }

    @Test func aPayURLIsCheckedAsTheGatewayChecksIt() async throws {
        let app = try await buildSandboxApplication(ServiceSettings.testing(name: "sandbox"))
        try await app.test(.router) { client in
            let (good, _) = Self.payURL()
            let page = try await client.execute(uri: good, method: .get)
            #expect(page.status == .ok && String(buffer: page.body).contains("20.000"))
            for (url, code) in [(Self.payURL(secret: "wrong").0, "97"), (Self.payURL(tmn: "OTHER").0, "02"),
                                (Self.payURL(expire: Date().addingTimeInterval(-60)).0, "11"), (Self.payURL(amount: "2000050").0, "03")] {
                let refused = try await client.execute(uri: url, method: .get)
                #expect(refused.status == .badRequest)
                #expect(String(buffer: refused.body).contains(#"<span class="code" id="code">\#(code)</span>"#), "\(code)")
            }
        }
    }

    @Test func theDecisionRedirectsWithASignedResultAndTheMerchantAPIAnswersSigned() async throws {
        let app = try await buildSandboxApplication(ServiceSettings.testing(name: "sandbox"))
        try await app.test(.router) { client in
            // No IPN in this test: nothing listens.
            _ = try await client.execute(uri: "/bank/control", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: #"{"dropIpn":true}"#))
            let (url, reference) = Self.payURL()
            _ = try await client.execute(uri: url, method: .get)
            #expect(try await self.transaction(client, VNPay.TransactionRequest.query, reference: reference)?.vnp_TransactionStatus == "01")
            let back = try await client.execute(uri: "/paymentv2/decide", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "txnRef=\(reference)&decision=approve"))
            #expect(back.status == .seeOther)
            let location = try #require(back.headers[.location])
            #expect(location.hasPrefix("http://merchant.test/back?x=1&"))
            let result = try #require(VNPay.parameters(ofQuery: String(location.split(separator: "?", maxSplits: 1)[1])))
            #expect(VNPay.isSigned(result, secret: Self.secret))
            #expect(result["vnp_ResponseCode"] == "00" && result["vnp_TransactionStatus"] == "00" && result["vnp_Amount"] == "2000000")
            let again = try await client.execute(uri: "/paymentv2/decide", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                 body: ByteBuffer(string: "txnRef=\(reference)&decision=decline"))
            #expect(again.status == .notFound, "a decided payment is not decided again")

            let query = try #require(try await self.transaction(client, VNPay.TransactionRequest.query, reference: reference))
            #expect(query.isSigned(secret: Self.secret) && query.vnp_ResponseCode == "00" && query.vnp_TransactionStatus == "00")
            #expect(try await self.transaction(client, VNPay.TransactionRequest.query, reference: reference, secret: "forged")?.vnp_ResponseCode == "97")
            #expect(try await self.transaction(client, VNPay.TransactionRequest.query, reference: "NOPE")?.vnp_ResponseCode == "91")

            let refund = try #require(try await self.transaction(client, VNPay.TransactionRequest.refund, reference: reference, amount: "1500000",
                                                                 requestID: "R1"))
            #expect(refund.vnp_ResponseCode == "00" && refund.isSigned(secret: Self.secret))
            let replay = try await self.transaction(client, VNPay.TransactionRequest.refund, reference: reference, amount: "1500000", requestID: "R1")
            #expect(replay == refund, "the same request id gets the first answer")
            #expect(try await self.transaction(client, VNPay.TransactionRequest.refund, reference: reference, amount: "1000000")?.vnp_ResponseCode == "95",
                    "only 5,000 is left to refund")

            let day = LocalDate(Date())
            let file = try await client.execute(uri: "/bank/settlement?day=\(day)", method: .get) { String(buffer: $0.body) }
            let lines = file.split(separator: "\r\n")
            #expect(lines.first == "TmnCode,TxnRef,TransactionNo,TransactionType,Amount,BankCode,PayDate,Status")
            #expect(lines.filter { $0.contains(reference) }.map { $0.split(separator: ",")[3] } == ["01", "03"])
            #expect(try await client.execute(uri: "/bank/settlement", method: .get).status == .badRequest)
            let control = try await client.execute(uri: "/bank/control", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: #"{"ipnRepeat":11}"#))
            #expect(control.status == .badRequest)
        }
    }
}
