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

/// What settles a payment besides the first IPN: repeated and early IPNs, the status query, the expiry sweep.
@Suite("Settling with the bank")
struct SettlementTests {
    static let sweeping = ["PAYMENT_SWEEP": "on", "PAYMENT_SWEEP_SECONDS": "0.1", "PAYMENT_QUERY_AFTER_SECONDS": "0.001"]

    @Test func anIPNBeforeTheRedirectAndRepeatedThreeTimesSettlesThePaymentOnce() async throws {
        try await PaymentsPlatform.run { platform in
            try await platform.bankControl(#"{"ipnBeforeRedirect":true,"ipnRepeat":3}"#)
            let payment = try await platform.create(try await platform.dossier())
            _ = try await platform.payAtBank(payment)
            let paid = try await platform.payment(payment.id)
            #expect(paid.state == .success, "the IPN was answered before the payer came back")
            #expect(paid.transitions.map(\.to) == [.created, .started, .success])
            let bank = try await platform.bank.execute(uri: "/bank/transactions?txnRef=\(payment.reference)", method: .get) { String(buffer: $0.body) }
            #expect(bank.contains(#""ipnAttempts":4"#) && bank.contains(#""lastIPNAnswer":"02""#), "\(bank)")
        }
    }

    @Test func aPaymentWhoseIPNNeverCameIsSettledByAskingTheBank() async throws {
        try await PaymentsPlatform.run(environment: Self.sweeping) { platform in
            try await platform.bankControl(#"{"dropIpn":true}"#)
            let payment = try await platform.create(try await platform.dossier())
            _ = try await platform.payAtBank(payment)
            let paid = try await platform.payment(payment.id, reaching: .success)
            #expect(paid.state == .success)
            #expect(paid.transitions.last?.cause == "querydr")
            #expect(paid.bankTransactionNo != nil)
        }
    }

    @Test func aPaymentNeverTakenToTheBankExpires() async throws {
        let clock = TestClock()
        try await PaymentsPlatform.run(environment: Self.sweeping, clock: clock) { platform in
            let payment = try await platform.create(try await platform.dossier())
            #expect(try await platform.payment(payment.id).state == .created, "still payable before its expiry")
            clock.advance(16 * 60)
            let expired = try await platform.payment(payment.id, reaching: .failed)
            #expect(expired.state == .failed && expired.failure == .expired)
            #expect(expired.transitions.last?.cause == "expiry")
            let pay = try await platform.payments.execute(uri: "/v1/payments/\(payment.id)/pay", method: .get)
            #expect(pay.headers[.location]?.hasSuffix("payment=\(payment.id)") == true, "back to the portal, not to the bank")
        }
    }
}

@Suite("Refunds")
struct RefundTests {
    func refund(_ platform: PaymentsPlatform, _ id: String, amount: Int64, expected: Int64, as identity: Identity? = nil) async throws -> TestResponse {
        try await platform.payments.json("/v1/payments/\(id)/refunds", method: .post, headers: try await platform.paymentsToken(identity ?? platform.officer),
                                         body: RefundRequest(amount: VND(amount), expectedAvailable: VND(expected), reason: "Hồ sơ bị từ chối"))
    }

    @Test func partOfAPaymentAndThenTheRestAreRefundedAndAStaleRequestIsRefused() async throws {
        try await PaymentsPlatform.run { platform in
            let unpaid = try await platform.create(try await platform.dossier())
            #expect(try await self.refund(platform, unpaid.id, amount: 1_000, expected: 0).status == .conflict, "nothing paid yet")
            let dossier = try await platform.dossier()
            let payment = try await platform.create(dossier)
            _ = try await platform.payAtBank(payment)
            _ = try await platform.payment(payment.id, reaching: .success)

            #expect(try await self.refund(platform, payment.id, amount: 5_000, expected: 20_000, as: platform.citizen).status == .forbidden)
            #expect(try await self.refund(platform, payment.id, amount: 5_000, expected: 20_000, as: platform.otherOfficer).status == .notFound)
            let first = try await self.refund(platform, payment.id, amount: 5_000, expected: 20_000)
            #expect(first.status == .created)
            #expect(decoded(first)?.availableToRefund == VND(15_000))
            #expect(decoded(first)?.refunds.map(\.state) == [.success])
            // The same click again: what it expected is no longer true.
            let stale = try await self.refund(platform, payment.id, amount: 5_000, expected: 20_000)
            #expect(stale.status == .preconditionFailed)
            #expect(problemOf(stale)?.detail.contains("15.000") == true)
            let tooMuch = try await self.refund(platform, payment.id, amount: 16_000, expected: 15_000)
            #expect(tooMuch.status == .unprocessableContent)
            let rest = try await self.refund(platform, payment.id, amount: 15_000, expected: 15_000)
            #expect(decoded(rest)?.refunded == VND(20_000))
            #expect(decoded(rest)?.availableToRefund == .zero)
            let bank = try await platform.bank.execute(uri: "/bank/transactions?txnRef=\(payment.reference)", method: .get) { String(buffer: $0.body) }
            #expect(bank.contains(#""refunded":20000"#), "the bank gave back 20,000 in all: \(bank)")
            // Each refund is written into the dossier's history for its officers.
            let history = try await platform.history(of: dossier.id, including: "payment-refunded", count: 2)
            #expect(history.filter { $0.action == "payment-refunded" }.compactMap(\.comment).sorted() == ["15.000 ₫ — Hồ sơ bị từ chối", "5.000 ₫ — Hồ sơ bị từ chối"])
        }
    }

    @Test func aRefundTheBankDidNotAnswerIsHeldAndSentAgainUntilItIs() async throws {
        try await PaymentsPlatform.run(environment: SettlementTests.sweeping) { platform in
            let payment = try await platform.create(try await platform.dossier())
            _ = try await platform.payAtBank(payment)
            _ = try await platform.payment(payment.id, reaching: .success)
            try await platform.bankControl(#"{"down":true}"#)
            let held = try await self.refund(platform, payment.id, amount: 20_000, expected: 20_000)
            #expect(held.status == .accepted)
            #expect(decoded(held)?.availableToRefund == .zero, "held back while the bank has not answered")
            #expect(decoded(held)?.refunds.first?.state == .submitted)
            try await platform.bankControl(#"{"down":false}"#)
            var refunded = try await platform.payment(payment.id)
            for _ in 0..<100 where refunded.refunded != VND(20_000) {
                try await Task.sleep(for: .milliseconds(100))
                refunded = try await platform.payment(payment.id)
            }
            #expect(refunded.refunds.map(\.state) == [.success])
            #expect(refunded.refunded == VND(20_000))
        }
    }
}

@Suite("Counter payments, reconciliation and the Treasury report")
struct CounterAndReportTests {
    func counter(_ platform: PaymentsPlatform, _ dossier: DossierView, as identity: Identity) async throws -> TestResponse {
        try await platform.payments.json("/v1/payments/counter", method: .post, headers: try await platform.keyed(identity),
                                         body: CounterPaymentRequest(dossierCode: dossier.code, items: [FeeItem(name: "Lệ phí", amount: PaymentsPlatform.fee)],
                                                                     payer: Payer(name: "Trần Thị Bích")))
    }

    @Test func cashAtTheCounterIsSettledAtOnceWithNumberedReceipts() async throws {
        try await PaymentsPlatform.run { platform in
            let first = try await self.counter(platform, try await platform.dossier(), as: platform.officer)
            #expect(first.status == .created)
            let paid = try #require(decoded(first))
            #expect(paid.state == .success && paid.method == .counter)
            let year = LocalDate(Date()).year
            #expect(paid.receiptNumber == "BL-\(PaymentsPlatform.honTre)-\(year)-000001")
            let second = try #require(decoded(try await self.counter(platform, try await platform.dossier(), as: platform.officer)))
            #expect(second.receiptNumber == "BL-\(PaymentsPlatform.honTre)-\(year)-000002")
            #expect(try await self.counter(platform, try await platform.dossier(), as: platform.otherOfficer).status == .forbidden)
            #expect(try await self.counter(platform, try await platform.dossier(), as: platform.citizen).status == .forbidden)
            let receipt = try await platform.payments.execute(uri: "/v1/payments/\(paid.id)/receipt", method: .get,
                                                              headers: try await platform.paymentsToken(platform.officer))
            #expect(receipt.headers[.contentType]?.hasPrefix("text/html") == true)
            let html = String(buffer: receipt.body)
            #expect(html.contains("BIÊN LAI THU PHÍ, LỆ PHÍ") && html.contains(paid.receiptNumber!) && html.contains("20.000"))
            #expect(html.contains("<tr><td>") && !html.contains("SQLQueryString"))
            // The collecting agency by its name, as single-window has it.
            #expect(html.contains("<dt>Cơ quan thu</dt><dd>Ủy ban nhân dân xã Hòn Tre</dd>"))
        }
    }

    @Test func theBanksFileIsMatchedAndEachKindOfDifferenceIsReported() async throws {
        try await PaymentsPlatform.run { platform in
            let online = try await platform.create(try await platform.dossier())
            _ = try await platform.payAtBank(online)
            _ = try await platform.payment(online.id, reaching: .success)
            let cash = try #require(decoded(try await self.counter(platform, try await platform.dossier(), as: platform.officer)))
            _ = try await platform.payments.json("/v1/payments/\(online.id)/refunds", method: .post, headers: try await platform.paymentsToken(platform.officer),
                                                 body: RefundRequest(amount: VND(5_000), expectedAvailable: VND(20_000), reason: "Thu thừa"))
            let day = LocalDate(Date())
            let file = try await platform.bank.execute(uri: "/bank/settlement?day=\(day)", method: .get) { String(buffer: $0.body) }
            let admin = try await platform.paymentsToken(platform.admin)
            func reconcile(_ text: String) async throws -> ReconciliationReport? {
                decoded(try await platform.payments.execute(uri: "/v1/reconciliation/\(day)", method: .post, headers: admin, body: ByteBuffer(string: text)),
                        as: ReconciliationReport.self)
            }
            let clean = try #require(try await reconcile(file))
            #expect(clean.balanced)
            #expect(clean.matched.map(\.paymentId) == [online.id], "the counter payment is not the bank's")
            #expect(clean.bankRefunds == VND(5_000) && clean.ourRefunds == VND(5_000))

            let ours = "MOTCUAKG,\(online.reference),"
            let changed = file.replacingOccurrences(of: ours, with: "MOTCUAKG,\(online.reference),").replacingOccurrences(of: ",2000000,", with: ",2100000,")
            let mismatch = try #require(try await reconcile(changed))
            #expect(mismatch.amountMismatches == [.init(reference: online.reference, paymentId: online.id, ours: VND(20_000), bank: VND(21_000))])
            #expect(!mismatch.balanced)
            let extra = try #require(try await reconcile(file + "MOTCUAKG,UNKNOWNREF,99,01,500000,NCB,20260101000000,00\r\nnot,a,row\r\n"))
            #expect(extra.missingOnOurSide.map(\.reference) == ["UNKNOWNREF"])
            #expect(extra.unreadableRows.map(\.line) == [file.split(separator: "\r\n").count + 2])
            let withoutOurs = file.split(separator: "\r\n").filter { !$0.contains(ours) || $0.contains(",02,") || $0.contains(",03,") }
                .joined(separator: "\r\n")
            let missing = try #require(try await reconcile(withoutOurs))
            #expect(missing.missingAtBank.map(\.paymentId) == [online.id])
            let kept = try await platform.payments.execute(uri: "/v1/reconciliation/\(day)", method: .get, headers: admin)
            #expect(decoded(kept, as: ReconciliationReport.self)?.missingAtBank.map(\.paymentId) == [online.id], "the last import is kept")
            let officer = try await platform.payments.execute(uri: "/v1/reconciliation/\(day)", method: .post,
                                                              headers: try await platform.paymentsToken(platform.officer), body: ByteBuffer(string: file))
            #expect(officer.status == .forbidden)
            let header = try await platform.payments.execute(uri: "/v1/reconciliation/\(day)", method: .post, headers: admin, body: ByteBuffer(string: "a,b\r\n"))
            #expect(decoded(header, as: ReconciliationReport.self)?.unreadableRows.first?.line == 1)

            let report = try await platform.payments.execute(uri: "/v1/reports/remittance?day=\(day)", method: .get,
                                                             headers: try await platform.paymentsToken(platform.officer))
            let remittance = try #require(decoded(report, as: RemittanceReport.self))
            #expect(remittance.agencies == [.init(agencyCode: PaymentsPlatform.honTre, payments: 2, online: VND(20_000), counter: VND(20_000),
                                                  refunds: VND(5_000))])
            #expect(remittance.net == VND(35_000))
            let csv = try await platform.payments.execute(uri: "/v1/reports/remittance?day=\(day)&format=csv", method: .get, headers: admin)
            #expect(String(buffer: csv.body).contains("\(day),\(PaymentsPlatform.honTre),2,20000,20000,5000,35000"))
            _ = cash
        }
    }
}
