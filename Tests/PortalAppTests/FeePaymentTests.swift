import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Portal fee step: to the bank through payments and back to the stored state")
struct FeePaymentTests {
    /// Path and query of an absolute URL, to send it to the in-process client that serves that host.
    static func pathAndQuery(_ url: String) throws -> String {
        let components = try #require(URLComponents(string: url))
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    @Test func aLevelFourFeeIsPaidAtTheBankAndTheReturnPageShowsItPaid() async throws {
        try await PortalPlatform.run(payments: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let id = try await platform.submitThroughPortal()
            let page = try await browser.get("/my/dossiers/\(id)")
            #expect(page.html.contains("Số tiền phải nộp: 20.000"))
            let started = try await browser.post("/my/dossiers/\(id)/pay", ["key": try #require(page.value("key"))], from: page)
            #expect(started.status == .seeOther)
            let payURL = try #require(started.location)
            #expect(payURL.hasPrefix("http://payments.test/v1/payments/"))

            // The citizen's browser: payments → the bank's page → approve → payments' return → the portal.
            let payments = try #require(platform.payments), bank = try #require(platform.bank)
            let bankPage = try #require(try await payments.execute(uri: try Self.pathAndQuery(payURL), method: .get) { $0.headers[.location] })
            let bankHTML = try await bank.execute(uri: try Self.pathAndQuery(bankPage), method: .get) { String(buffer: $0.body) }
            #expect(bankHTML.contains("Xác nhận thanh toán"))
            let query = URLComponents(string: bankPage)?.queryItems ?? []
            let reference = try #require(query.first { $0.name == "vnp_TxnRef" }?.value)
            // Before the bank has answered, the payment's page says so and looks again by itself every five seconds.
            let paymentID = try #require(URLComponents(string: payURL)?.path.split(separator: "/").dropFirst(2).first.map(String.init))
            let pending = try await browser.get("/my/dossiers/\(id)/payment?payment=\(paymentID)")
            #expect(pending.html.contains("<meta http-equiv=\"refresh\" content=\"5\">"), "\(pending.html)")
            #expect(pending.html.contains("Ngân hàng chưa báo kết quả"))
            let back = try await bank.execute(uri: "/paymentv2/decide", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                              body: ByteBuffer(string: "txnRef=\(reference)&decision=approve")) { $0.headers[.location] }
            let portalReturn = try await payments.execute(uri: try Self.pathAndQuery(try #require(back)), method: .get) { $0.headers[.location] }
            let returnURL = try #require(portalReturn)
            #expect(returnURL.contains("/my/dossiers/\(id)/payment?payment="))

            let result = try await browser.get(try Self.pathAndQuery(returnURL))
            #expect(result.status == .ok)
            #expect(result.html.contains("data-payment-state=\"success\""))
            #expect(!result.html.contains("http-equiv=\"refresh\""))
            // Paid online there is no counter receipt: the bank's transaction number stands for it, never a dash.
            #expect(!result.html.contains("Biên lai số —") && result.html.contains("Biên lai số "))
            #expect(result.html.contains("Thanh toán thành công 20.000"))
            let after = try await browser.get("/my/dossiers/\(id)")
            #expect(after.html.contains("Đã nộp phí 20.000"))
            #expect(!after.html.contains("Thanh toán trực tuyến</button>"))

            // Another citizen cannot read this payment through their own dossier page.
            let other = PortalBrowser(browser.client)
            try await platform.fixture.citizen(other, phone: "0987654321", citizenId: "091095000999")
            #expect(try await other.get(try Self.pathAndQuery(returnURL)).status == .notFound)
        }
    }

    @Test func withPaymentsDownThePayButtonAnswers503AndTheFeeStaysOwed() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let id = try await platform.submitThroughPortal()
            let page = try await browser.get("/my/dossiers/\(id)")
            #expect(page.html.contains("Số tiền phải nộp: 20.000"))
            let refused = try await browser.post("/my/dossiers/\(id)/pay", ["key": try #require(page.value("key"))], from: page)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.location == nil)
            #expect(refused.html.contains("Hệ thống giải quyết thủ tục tạm thời không trả lời"))
            #expect(try await browser.get("/my/dossiers/\(id)").html.contains("Số tiền phải nộp: 20.000"))
        }
    }
}
