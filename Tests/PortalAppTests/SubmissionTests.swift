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

@Suite("Portal online submission: a form from the procedure's documents, files in documents, one dossier per form")
struct SubmissionTests {
    static let pdf = Array("%PDF-1.4\n% a scanned declaration\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)

    static func fill(_ form: Page) -> [String: String] {
        ["key": form.value("key") ?? "", "agencyCode": PortalPlatform.honTre, "applicant.fullName": "Nguyễn Thị Lan",
         "applicant.citizenId": "091095000123", "applicant.phone": "0912345678", "applicant.address": "Ấp Bãi Nhà, xã Hòn Tre",
         "delivery.method": "counter"]
    }

    static let twoFiles: [(field: String, name: String, bytes: [UInt8])] = [("doc-0", "to-khai-CT01.pdf", pdf), ("doc-1", "so-do.png", png)]

    @Test func aCitizenSubmitsWithTwoFilesAndADoubleSubmitMakesOneDossier() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let form = try await browser.get("/procedures/\(PortalPlatform.residence)/submit")
            #expect(form.status == .ok)
            #expect(form.html.contains("enctype=\"multipart/form-data\""))
            #expect(form.value("applicant.fullName") == "Nguyễn Thị Lan")
            #expect(form.value("applicant.phone") == "0912345678")
            #expect(form.html.contains("<option value=\"\(PortalPlatform.honTre)\">"))
            #expect(form.html.contains("<label for=\"f-doc-0\">Tờ khai thay đổi thông tin cư trú"))

            let sent = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", Self.fill(form), files: Self.twoFiles, from: form)
            #expect(sent.status == .seeOther)
            let location = try #require(sent.location)
            #expect(location.hasPrefix("/my/dossiers/") && location.hasSuffix("?submitted=1"))
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            let code = try #require(page.capture(#"Mã hồ sơ của bạn: ([^.]+\.[^.]+\.[^.]+\.[^.]+-\d{6}-\d{4})"#))
            #expect(page.html.contains("<strong>Mới đăng ký</strong>"))

            // The dossier in single-window carries the two files, stored in documents under the citizen's account.
            let id = String(location.dropFirst("/my/dossiers/".count).prefix { $0 != "?" })
            let dossier = try await platform.singleWindow.execute(uri: "/v1/dossiers/\(id)", method: .get,
                                                                  headers: try await platform.token(Identity(subject: "admin", roles: [.admin]))) {
                try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView))
            }
            #expect(dossier.code == code)
            #expect(dossier.channel == .online)
            #expect(dossier.attachments.count == 2)
            let documents = try #require(platform.documents)
            for attachment in dossier.attachments {
                let fileID = try #require(attachment.fileId)
                let owner = try await documents.execute(uri: "/v1/files/\(fileID)", method: .get,
                                                        headers: try await platform.token(Identity(subject: "admin", roles: [.admin]))) {
                    jsonObject($0)?["owner"] as? String
                }
                #expect(owner == dossier.submittedBy)
            }

            // A double click, a refresh: the same form again makes no second dossier.
            let again = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", Self.fill(form), files: Self.twoFiles, from: form)
            #expect(again.location == location)
            let list = try await browser.get("/my/dossiers")
            #expect(list.html.components(separatedBy: "href=\"/my/dossiers/").count - 1 == 1)
            #expect(list.html.contains(code))
        }
    }

    @Test func aMissingFileIsNamedNextToItsInputAndNothingIsStored() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let form = try await browser.get("/procedures/\(PortalPlatform.residence)/submit")
            var fields = Self.fill(form)
            fields["agencyCode"] = ""
            let refused = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", fields, files: [Self.twoFiles[0]], from: form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.error("doc-1") == "Chọn tệp cho thành phần này.")
            #expect(refused.html.contains("Chọn cơ quan nhận hồ sơ."))
            #expect(refused.value("applicant.address") == "Ấp Bãi Nhà, xã Hòn Tre")
            #expect(try await browser.get("/my/dossiers").html.contains("Bạn chưa có hồ sơ nào"))

            // A text file is not one of the allowed types: documents refuses it, the page says so beside the input.
            let text: [(field: String, name: String, bytes: [UInt8])] = [Self.twoFiles[0], ("doc-1", "ghi-chu.txt", Array("just text".utf8))]
            let wrongType = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", Self.fill(form), files: text, from: form)
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.error("doc-1")?.hasPrefix("Tệp không được nhận") == true)
            #expect(try await browser.get("/my/dossiers").html.contains("Bạn chưa có hồ sơ nào"))
        }
    }

    @Test func singleWindowsRefusalComesBackOnTheFormAndTheFilesAreKept() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let form = try await browser.get("/procedures/\(PortalPlatform.residence)/submit")
            var fields = Self.fill(form)
            fields["applicant.citizenId"] = "12"
            let refused = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", fields, files: Self.twoFiles, from: form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.error("applicant.citizenId") == "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.")
            #expect(refused.html.contains("Đã nhận tệp"))
            // Corrected, sent again with no files: the ones already stored are used.
            let fixed = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", Self.fill(refused), files: [], from: refused)
            #expect(fixed.location?.hasSuffix("?submitted=1") == true)
        }
    }

    @Test func theFormIsForSignedInCitizensAndOnlineProcedures() async throws {
        try await PortalPlatform.run(documents: true) { platform in
            let browser = platform.browser
            let signedOut = try await browser.get("/procedures/\(PortalPlatform.residence)/submit")
            #expect(signedOut.location == "/login?next=%2Fprocedures%2F\(PortalPlatform.residence)%2Fsubmit")
            try await platform.fixture.citizen(browser)
            let catalog = try await browser.get("/procedures?level=2")
            let levelTwo = try #require(catalog.capture(#"href="/procedures/([^"/]+)""#))
            let refused = try await browser.get("/procedures/\(levelTwo)/submit")
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("chưa nhận hồ sơ trực tuyến"))

            let form = try await browser.get("/procedures/\(PortalPlatform.residence)/submit")
            var forged = Self.fill(form)
            forged["csrf"] = "forged"
            let csrf = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", forged, files: Self.twoFiles, from: form)
            #expect(csrf.status == .forbidden)
        }
    }

    @Test func withDocumentsDownTheFormSaysSoAndNoDossierIsMade() async throws {
        // No documents service: its address answers nothing.
        try await PortalPlatform.run { platform in
            let browser = platform.browser
            try await platform.fixture.citizen(browser)
            let form = try await browser.get("/procedures/\(PortalPlatform.residence)/submit")
            let refused = try await browser.postMultipart("/procedures/\(PortalPlatform.residence)/submit", Self.fill(form), files: Self.twoFiles, from: form)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.error("agencyCode") == "Hệ thống giải quyết thủ tục tạm thời không trả lời. Vui lòng thử lại sau ít phút.")
            #expect(refused.value("applicant.address") == "Ấp Bãi Nhà, xã Hòn Tre")
            #expect(try await browser.get("/my/dossiers").html.contains("Bạn chưa có hồ sơ nào"))
        }
    }
}
