import Contracts
import DomainKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
@testable import PaymentsApp
import ServiceKit
import ServiceTesting
import Testing

extension TestClientProtocol {
    func json(_ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields, body: some Encodable) async throws -> TestResponse {
        try await self.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(body)))
    }
}

func decoded<T: Decodable>(_ response: TestResponse, as type: T.Type = PaymentView.self) -> T? {
    try? JSONDecoder.motcua.decode(T.self, from: Data(response.body.readableBytesView))
}

@Suite("Online payments through the bank")
struct OnlinePaymentTests {
    @Test func aFeeIsPaidAtTheBankConfirmedByTheIPNAndTheDossierLeavesTheFeeWait() async throws {
        try await PaymentsPlatform.run { platform in
            let dossier = try await platform.dossier(awaitingFee: true)
            #expect(dossier.status == .awaitingFee)
            let payment = try await platform.create(dossier)
            #expect(payment.state == .created)
            #expect(payment.amount == PaymentsPlatform.fee)
            #expect(payment.payUrl == "\(platform.paymentsSettings.environment["PAYMENTS_PUBLIC_URL"]!)/v1/payments/\(payment.id)/pay")
            #expect(try #require(payment.expiresAt).timeIntervalSince(payment.createdAt) == 15 * 60)

            let back = try await platform.payAtBank(payment)
            #expect(back == PaymentsPlatform.portalReturn + "?payment=" + payment.id, "the portal shows our stored state, not the bank's redirect")
            let paid = try await platform.payment(payment.id, reaching: .success)
            #expect(paid.state == .success)
            #expect(paid.bankTransactionNo != nil && paid.paidAt != nil)
            #expect(paid.transitions.map(\.to) == [.created, .started, .submitted, .success]
                    || paid.transitions.map(\.to) == [.created, .started, .success], "the IPN may arrive before the payer is back")
            #expect(paid.transitions.last?.cause == "ipn")
            #expect(paid.payUrl == nil, "a paid payment cannot be paid again")

            // payment.succeeded reaches single-window through the outbox: the dossier is processed again.
            var status = try await platform.dossierStatus(dossier.id)
            for _ in 0..<100 where status == .awaitingFee {
                try await Task.sleep(for: .milliseconds(100))
                status = try await platform.dossierStatus(dossier.id)
            }
            #expect(status == .processing)
        }
    }

    @Test func theSameKeyAndBodyReturnTheFirstPaymentAndAnotherBodyIsRefused() async throws {
        try await PaymentsPlatform.run { platform in
            let dossier = try await platform.dossier()
            let headers = try await platform.keyed(platform.citizen, key: "portal-order-1")
            let first = try await platform.payments.json("/v1/payments", method: .post, headers: headers, body: platform.createRequest(dossier))
            let again = try await platform.payments.json("/v1/payments", method: .post, headers: headers, body: platform.createRequest(dossier))
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(decoded(first)?.id == decoded(again)?.id)
            let other = try await platform.payments.json("/v1/payments", method: .post, headers: headers,
                                                         body: platform.createRequest(dossier, returnUrl: "http://127.0.0.1:8080/khac"))
            #expect(other.status == .conflict)
            let list = try await platform.payments.execute(uri: "/v1/payments?dossier=\(dossier.code)", method: .get,
                                                           headers: try await platform.paymentsToken(platform.citizen))
            #expect(decoded(list, as: PaymentController.Page.self)?.total == 1)
        }
    }

    @Test func badRequestsAreAnsweredWithWhatIsWrongAndStoreNothing() async throws {
        try await PaymentsPlatform.run { platform in
            let dossier = try await platform.dossier()
            let good = platform.createRequest(dossier)
            // No key, and a key with a character outside [A-Za-z0-9-].
            let noKey = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.paymentsToken(platform.citizen), body: good)
            #expect(noKey.status == .badRequest)
            #expect(problemOf(noKey)?.detail.contains("Idempotency-Key") == true)
            let underscore = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.keyed(platform.citizen, key: "a_b"),
                                                              body: good)
            #expect(underscore.status == .badRequest)
            // Items that do not add up to the procedure's fees: the answer names what is owed.
            let short = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.keyed(platform.citizen),
                                                         body: platform.createRequest(dossier, amount: VND(15_000)))
            #expect(short.status == .unprocessableContent)
            #expect(problemOf(short)?.errors?.first?.en.contains("20.000") == true)
            var unknown = good
            unknown.dossierCode = "000.00.00.H33-260101-9999"
            let missing = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.keyed(platform.citizen), body: unknown)
            #expect(missing.status == .unprocessableContent)
            #expect(problemOf(missing)?.errors?.first?.code == "dossier.unknown")
            // Another citizen's dossier looks as if it did not exist.
            let stranger = Identity(subject: "citizen-other", roles: [.citizen])
            let notMine = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.keyed(stranger), body: good)
            #expect(problemOf(notMine)?.errors?.first?.code == "dossier.unknown")
            let badURL = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.keyed(platform.citizen),
                                                          body: platform.createRequest(dossier, returnUrl: "javascript:alert(1)"))
            #expect(problemOf(badURL)?.errors?.first?.field == "returnUrl")
            // The bank's return never sends the payer to another site (an open redirect): a foreign return URL is refused.
            for foreign in ["https://evil.example/phish", "http://127.0.0.1.evil.example/x", "http://user@127.0.0.1/x"] {
                let refused = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.keyed(platform.citizen),
                                                               body: platform.createRequest(dossier, returnUrl: foreign))
                #expect(refused.status == .unprocessableContent, "\(foreign)")
                #expect(problemOf(refused)?.errors?.first?.code == "url.foreign", "\(foreign)")
            }
            let unreadable = try await platform.payments.execute(uri: "/v1/payments", method: .post, headers: try await platform.keyed(platform.citizen),
                                                                 body: ByteBuffer(string: #"{"dossierCode": 5}"#))
            #expect(unreadable.status == .badRequest)
            let officerOnly = try await platform.payments.json("/v1/payments", method: .post, headers: try await platform.keyed(platform.officer), body: good)
            #expect(officerOnly.status == .forbidden)
            let list = try await platform.payments.execute(uri: "/v1/payments?dossier=\(dossier.code)", method: .get,
                                                           headers: try await platform.paymentsToken(platform.admin))
            #expect(decoded(list, as: PaymentController.Page.self)?.total == 0)
        }
    }

    @Test func aDeclineOrACancellationAtTheBankFailsThePaymentWithItsReason() async throws {
        try await PaymentsPlatform.run { platform in
            let dossier = try await platform.dossier()
            let declined = try await platform.create(dossier)
            _ = try await platform.payAtBank(declined, "decline")
            let afterDecline = try await platform.payment(declined.id, reaching: .failed)
            #expect(afterDecline.state == .failed && afterDecline.failure == .declined)
            let history = try await platform.history(of: dossier.id, including: "payment-failed")
            #expect(history.last?.action == "payment-failed" && history.last?.comment?.hasSuffix("declined") == true)
            #expect(history.last?.toStatus == .submitted, "a failed payment does not move the dossier")
            let cancelled = try await platform.create(try await platform.dossier())
            _ = try await platform.payAtBank(cancelled, "cancel")
            let afterCancel = try await platform.payment(cancelled.id, reaching: .failed)
            #expect(afterCancel.failure == .userCancelled)
            // A failed payment is not sent to the bank again: /pay goes back to the portal.
            let again = try await platform.payments.execute(uri: "/v1/payments/\(cancelled.id)/pay", method: .get)
            #expect(again.status == .seeOther)
            #expect(again.headers[.location] == PaymentsPlatform.portalReturn + "?payment=" + cancelled.id)
        }
    }

    @Test func forgedChangedAndReplayedNotificationsChangeNothing() async throws {
        try await PaymentsPlatform.run { platform in
            let payment = try await platform.create(try await platform.dossier())
            _ = try await platform.payments.execute(uri: "/v1/payments/\(payment.id)/pay", method: .get)
            #expect(try await platform.sendIPN(platform.ipn(payment, secret: "not-the-secret")) == "97")
            #expect(try await platform.sendIPN(platform.ipn(payment, txnRef: "NOSUCHREFERENCE")) == "01")
            #expect(try await platform.sendIPN(platform.ipn(payment, amount: VND(2_000))) == "04")
            #expect(try await platform.payment(payment.id).state == .started, "nothing above moved it")
            #expect(try await platform.sendIPN(platform.ipn(payment)) == "00")
            #expect(try await platform.sendIPN(platform.ipn(payment)) == "02", "a replay is answered, not applied")
            #expect(try await platform.sendIPN(platform.ipn(payment, responseCode: "24", status: "02")) == "02")
            let settled = try await platform.payment(payment.id)
            #expect(settled.state == .success)
            #expect(settled.transitions.filter { $0.cause == "ipn" }.count == 1)
            // A query string no bank sends.
            let garbage = try await platform.payments.execute(uri: VNPay.ipnPath + "?vnp_TxnRef=%ZZ", method: .get)
            #expect(String(buffer: garbage.body).contains("\"97\""))
        }
    }

    @Test func aRedirectWithAForgedSignatureDoesNotMoveThePayment() async throws {
        try await PaymentsPlatform.run { platform in
            let payment = try await platform.create(try await platform.dossier())
            _ = try await platform.payments.execute(uri: "/v1/payments/\(payment.id)/pay", method: .get)
            let forged = platform.ipn(payment, secret: "forged")
            let query = VNPay.signingString(forged) + "&vnp_SecureHash=" + forged["vnp_SecureHash"]!
            let back = try await platform.payments.execute(uri: VNPay.returnPath + "?" + query, method: .get)
            #expect(back.status == .seeOther)
            #expect(try await platform.payment(payment.id).state == .started)
            let unknown = try await platform.payments.execute(uri: VNPay.returnPath + "?vnp_TxnRef=NOPE", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aPaymentNotYetAtTheBankCanBeCancelledButNotOneBackFromIt() async throws {
        try await PaymentsPlatform.run { platform in
            let payment = try await platform.create(try await platform.dossier())
            let cancel = try await platform.payments.execute(uri: "/v1/payments/\(payment.id)/cancel", method: .post,
                                                             headers: try await platform.paymentsToken(platform.citizen))
            #expect(decoded(cancel)?.state == .cancelled)
            let again = try await platform.payments.execute(uri: "/v1/payments/\(payment.id)/cancel", method: .post,
                                                            headers: try await platform.paymentsToken(platform.citizen))
            #expect(again.status == .conflict)
            let stranger = try await platform.payments.execute(uri: "/v1/payments/\(payment.id)", method: .get,
                                                               headers: try await platform.paymentsToken(Identity(subject: "x", roles: [.citizen])))
            #expect(stranger.status == .notFound)
        }
    }
}

@Suite("Payments: requests that cannot be answered")
struct PaymentRouteErrorTests {
    @Test func everyRouteSaysWhatIsMissing() async throws {
        try await PaymentsPlatform.run { platform in
            let admin = try await platform.paymentsToken(platform.admin)
            let noFilter = try await platform.payments.execute(uri: "/v1/payments", method: .get, headers: admin)
            #expect(noFilter.status == .badRequest && problemOf(noFilter)?.detail.contains("?dossier=") == true)
            let citizenAll = try await platform.payments.execute(uri: "/v1/payments?agency=\(PaymentsPlatform.honTre)", method: .get,
                                                                 headers: try await platform.paymentsToken(platform.citizen))
            #expect(citizenAll.status == .badRequest)
            #expect(try await platform.payments.execute(uri: "/v1/payments?dossier=X&day=2026-13-01", method: .get, headers: admin).status == .badRequest)
            #expect(try await platform.payments.execute(uri: "/v1/payments?dossier=X&state=paid", method: .get, headers: admin).status == .badRequest)
            #expect(try await platform.payments.execute(uri: "/v1/payments/nope", method: .get, headers: admin).status == .notFound)
            #expect(try await platform.payments.execute(uri: "/v1/payments/nope/pay", method: .get).status == .notFound)
            #expect(try await platform.payments.execute(uri: "/v1/payments", method: .get).status == .unauthorized)
            let payment = try await platform.create(try await platform.dossier())
            let receipt = try await platform.payments.execute(uri: "/v1/payments/\(payment.id)/receipt", method: .get, headers: admin)
            #expect(receipt.status == .conflict)
            #expect(try await platform.payments.execute(uri: "/v1/reports/remittance", method: .get, headers: admin).status == .badRequest)
            #expect(try await platform.payments.execute(uri: "/v1/reports/remittance?day=yesterday", method: .get, headers: admin).status == .badRequest)
            #expect(try await platform.payments.execute(uri: "/v1/reconciliation/2020-01-01", method: .get, headers: admin).status == .notFound)
            let empty = try await platform.payments.execute(uri: "/v1/reconciliation/2020-01-01", method: .post, headers: admin)
            #expect(empty.status == .badRequest)
            let back = try await platform.payments.execute(uri: VNPay.returnPath, method: .get)
            #expect(back.status == .badRequest)
            let refund = try await platform.payments.json("/v1/payments/\(payment.id)/refunds", method: .post, headers: try await platform.paymentsToken(platform.officer),
                                                          body: RefundRequest(amount: VND(1), expectedAvailable: .zero, reason: " "))
            #expect(problemOf(refund)?.errors?.first?.field == "reason")
        }
    }
}
