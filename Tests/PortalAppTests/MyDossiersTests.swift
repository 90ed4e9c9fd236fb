import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PageKit
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Portal My dossiers: timeline, receipt, supplement, result, rating; no one else's dossiers")
struct MyDossiersTests {
    @Test func theTimelineAndTheReceiptFollowTheOfficersWorkAndNoOneElseSeesThem() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let id = try await platform.submitThroughPortal()
            let before = try await browser.get("/my/dossiers/\(id)")
            #expect(!before.html.contains("/receipt\""))
            #expect(try await browser.get("/my/dossiers/\(id)/receipt").status == .notFound)

            let received = try await platform.officer(.receive, on: id)
            let page = try await browser.get("/my/dossiers/\(id)")
            #expect(page.html.contains("<strong>Đã tiếp nhận</strong>"))
            #expect(page.html.contains("href=\"/my/dossiers/\(id)/receipt\""))
            #expect(page.html.contains("<time>"))
            // The submission's line says how it came in, in words ("online" is the service's code for it).
            #expect(page.html.contains("— Mới đăng ký: Trực tuyến</li>") && !page.html.contains(": online"))
            let receipt = try await browser.get("/my/dossiers/\(id)/receipt")
            #expect(receipt.status == .ok)
            #expect(receipt.html.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
            #expect(receipt.html.contains("Mẫu số 01"))
            #expect(receipt.html.contains(received.code))
            #expect(receipt.html.contains(Display.dateTime(try #require(received.clock.dueAt))))
            // Printed by site.js (no inline script runs under the Content-Security-Policy).
            #expect(receipt.html.contains("<button type=\"button\" data-print>"))

            // Another citizen sees neither the dossier nor its receipt.
            let other = PortalBrowser(browser.client)
            try await platform.fixture.citizen(other, phone: "0987654321", citizenId: "091095000999")
            #expect(try await other.get("/my/dossiers/\(id)").status == .notFound)
            #expect(try await other.get("/my/dossiers/\(id)/receipt").status == .notFound)
            #expect(try await other.get("/my/dossiers").html.contains("Bạn chưa có hồ sơ nào"))
            // Signed out: to the sign-in, and back here after it.
            #expect(try await PortalBrowser(browser.client).get("/my/dossiers/\(id)").location == "/login?next=%2Fmy%2Fdossiers%2F\(id)")
        }
    }

    @Test func theCitizenAnswersASupplementRequestWithFilesOnce() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let id = try await platform.submitThroughPortal()
            try await platform.officer(.receive, on: id)
            try await platform.officer(.startProcessing, on: id)
            let asked = try await platform.officer(.requestSupplement, on: id, comment: "Thiếu giấy tờ chỗ ở", supplement: SupplementRequirement(
                documents: ["Hợp đồng thuê nhà có công chứng"], deadline: LocalDate(Date().addingTimeInterval(7 * 86_400))))
            let page = try await browser.get("/my/dossiers/\(id)")
            #expect(page.html.contains("Yêu cầu bổ sung hồ sơ"))
            // What the citizen must do comes before the dossier's facts, so that a phone shows it on the first screen.
            let asking = try #require(page.html.range(of: "Yêu cầu bổ sung hồ sơ</h2>")), facts = try #require(page.html.range(of: "<th>Mã hồ sơ</th>"))
            #expect(asking.lowerBound < facts.lowerBound)
            #expect(page.html.contains("<label for=\"f-doc-0\">Hợp đồng thuê nhà có công chứng</label>"))
            // A file input offering the kinds of file single-window keeps, its hint tied to it.
            #expect(page.html.contains("name=\"doc-0\" type=\"file\" value=\"\" accept=\".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.xml\" required aria-describedby=\"f-doc-0-hint\""))
            #expect(page.value("version") == String(asked.version))

            let sent = try await browser.postMultipart("/my/dossiers/\(id)/supplement", ["version": String(asked.version)],
                                                       files: [("doc-0", "hop-dong.pdf", SubmissionTests.pdf)], from: page)
            #expect(sent.location == "/my/dossiers/\(id)?done=supplement")
            let after = try await browser.get("/my/dossiers/\(id)?done=supplement")
            #expect(after.html.contains("Đã gửi giấy tờ bổ sung"))
            #expect(after.html.contains("<strong>Đang xử lý</strong>"))
            #expect(!after.html.contains("Yêu cầu bổ sung hồ sơ</h2>"))
            // The same form again (an old tab): nothing is sent twice.
            let again = try await browser.postMultipart("/my/dossiers/\(id)/supplement", ["version": String(asked.version)],
                                                        files: [("doc-0", "hop-dong.pdf", SubmissionTests.pdf)], from: page)
            #expect(again.location == "/my/dossiers/\(id)?done=stale")
            let dossier = try await platform.officer(.markResultReady, on: id,
                                                     result: DossierResult(fileId: "unused", number: "12/TB-CA", signer: "Trưởng Công an xã"))
            #expect(dossier.attachments.count == 3)
        }
    }

    @Test func theSignedResultIsDownloadedOnceDeliveredOnlineAndThenRated() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let id = try await platform.submitThroughPortal(delivery: .online)
            let documents = try #require(platform.documents)
            let resultFile = try await documents.execute(uri: "/v1/files?name=ket-qua.pdf", method: .post,
                                                         headers: try await platform.token(PortalPlatform.officer),
                                                         body: ByteBuffer(bytes: SubmissionTests.pdf)) { jsonObject($0)?["id"] as? String }
            for action in [DossierAction.receive, .startProcessing] { try await platform.officer(action, on: id) }
            try await platform.officer(.markResultReady, on: id, result: DossierResult(fileId: try #require(resultFile), number: "15/TB-CAX",
                                                                                      signer: "Nguyễn Văn Tư", verificationCode: "KG-7Q2M-9XKD"))
            let ready = try await browser.get("/my/dossiers/\(id)")
            #expect(ready.html.contains("Kết quả giải quyết"))
            #expect(ready.html.contains("15/TB-CAX"))
            // Single-window takes the check code from documents, never from the officer: this file is not signed there.
            #expect(!ready.html.contains("href=\"/check/"))
            #expect(!ready.html.contains("/result\""))
            #expect(try await browser.get("/my/dossiers/\(id)/result").status == .notFound)

            try await platform.officer(.deliver, on: id, handover: Handover(method: .online))
            let delivered = try await browser.get("/my/dossiers/\(id)")
            #expect(delivered.html.contains("href=\"/my/dossiers/\(id)/result\""))
            let download = try await browser.get("/my/dossiers/\(id)/result")
            #expect(download.status == .seeOther)
            #expect(download.location?.hasPrefix("http://documents.test/v1/files/\(try #require(resultFile))/content?expires=") == true)

            #expect(delivered.html.contains("Đánh giá mức độ hài lòng"))
            let rated = try await browser.post("/my/dossiers/\(id)/rating", ["score": "5", "comment": "Nhanh, đúng hẹn"], from: delivered)
            #expect(rated.location == "/my/dossiers/\(id)?done=rated")
            let thanked = try await browser.get("/my/dossiers/\(id)?done=rated")
            #expect(thanked.html.contains("Cảm ơn bạn đã đánh giá."))
            #expect(thanked.html.contains("Bạn đã đánh giá: 5/5"))
            #expect(!thanked.html.contains("Gửi đánh giá"))
            // Twice is refused by single-window; the page says it was done already.
            #expect(try await browser.post("/my/dossiers/\(id)/rating", ["score": "1"], from: delivered).location == "/my/dossiers/\(id)?done=stale")
        }
    }

    @Test func theSignatureCheckPageSaysWhenACodeIsUnknown() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let form = try await platform.browser.get("/check")
            #expect(form.html.contains("<label for=\"f-code\">Mã kiểm tra</label>"))
            #expect(try await platform.browser.get("/check?code=KG-0000-0000").location == "/check/KG-0000-0000")
            let unknown = try await platform.browser.get("/check/KG-0000-0000")
            #expect(unknown.status == .notFound)
            #expect(unknown.error("code") == "Không có kết quả nào mang mã kiểm tra này.")
        }
    }

    @Test func anOfficerOnTheCitizensPagesIsToldWhereTheirWorkIsNotThatTheSystemIsDown() async throws {
        try await PortalPlatform.run(environment: ["DEMO_DATA": "handwritten"]) { platform in
            let officer = PortalBrowser(platform.browser.client)
            _ = try await officer.post("/login", ["phone": "0911000001", "password": DemoAccounts.password])
            let page = try await officer.get("/my/dossiers")
            #expect(page.status == .forbidden)
            #expect(page.html.contains("tài khoản cán bộ"))
            #expect(!page.html.contains(Phrase.serviceDown.vi))
            #expect(page.headers[.retryAfter] == nil)
        }
    }
}
