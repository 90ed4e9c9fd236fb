import ConsoleApp
import Contracts
import DomainKit
import Foundation
import ServiceTesting
import Testing

/// The dossier page's fees: what the procedure charges, cash taken at the counter through payments (a receipt with
/// its number, printable from the page), the dossier that waited for its fee going on by itself.
@Suite("Console: fees at the counter")
struct FeesPageTests {
    @Test func cashTakenAtTheCounterHasAReceiptAndTheDossierGoesOn() async throws {
        try await ConsolePlatform.run(payments: true) { platform in
            // Permanent residence at Hòn Tre charges 20.000 đ.
            let submitted = try await platform.onlineDossier(applicant: "Lâm Văn Phúc")
            try await platform.signIn()
            var page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(page.html.contains("Phí, lệ phí") && page.html.contains("20.000"))
            #expect(!page.html.contains(#"action="/dossiers/\#(submitted.id)/fee""#), "no cash before the dossier is received")
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", ["action": "receive", "version": String(submitted.version)], from: page)
            var dossier = try await platform.dossier(submitted.id)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", ["action": "startProcessing", "version": String(dossier.version)],
                                                from: page)
            dossier = try await platform.dossier(submitted.id)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", ["action": "requestFee", "version": String(dossier.version)],
                                                from: page)
            #expect(try await platform.dossier(submitted.id).status == .awaitingFee)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(page.html.contains("Còn phải nộp 20.000"))
            #expect(!page.html.contains(#"name="action" value="confirmFee""#), "a fee is confirmed by its payment, not by a button")
            let key = try #require(page.value("key"))

            // Nobody named as payer: refused beside the field, no payment made.
            let blank = try await platform.browser.post("/dossiers/\(submitted.id)/fee", ["key": key, "fee-payer": " "], from: page)
            #expect(blank.status == .unprocessableContent && blank.error("fee-payer") == "Cần tên người nộp tiền.")
            #expect(try await platform.payments(of: submitted.code).isEmpty)

            let taken = try await platform.browser.post("/dossiers/\(submitted.id)/fee", ["key": key, "fee-payer": "Lâm Văn Phúc"], from: page)
            #expect(taken.status == .seeOther && taken.location?.hasPrefix("/dossiers/\(submitted.id)?paid=") == true)
            let payments = try await platform.payments(of: submitted.code)
            #expect(payments.count == 1 && payments.first?.method == .counter && payments.first?.state == .success)
            #expect(payments.first?.amount == VND(20_000) && payments.first?.payer.name == "Lâm Văn Phúc")
            let receiptNumber = try #require(payments.first?.receiptNumber)
            // Payments tells single-window, which goes on with the dossier that waited.
            #expect(try await eventually { try await platform.dossier(submitted.id).status == .processing })
            page = try await platform.browser.get(taken.location!)
            #expect(page.html.contains("Đã nộp đủ.") && page.html.contains(receiptNumber))
            #expect(!page.html.contains(#"action="/dossiers/\#(submitted.id)/fee""#), "nothing more is owed")
            let receiptLink = try #require(page.capture(#"href="(/dossiers/[^"]+/payments/[^"]+/receipt)""#))
            let receipt = try await platform.browser.get(receiptLink)
            #expect(receipt.status == .ok && receipt.html.contains(receiptNumber) && receipt.html.contains("Lâm Văn Phúc"))
            // The same form sent again takes nothing more.
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/fee", ["key": key, "fee-payer": "Lâm Văn Phúc"], from: page)
            #expect(try await platform.payments(of: submitted.code).count == 1)
            // A payment of another dossier is not printed from this one's page.
            #expect(try await platform.browser.get("/dossiers/\(submitted.id)/payments/not-a-payment/receipt").status == .notFound)
        }
    }
}
