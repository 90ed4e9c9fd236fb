import ConsoleApp
import Contracts
import DomainKit
import Foundation
import ServiceTesting
import Testing

/// The catalog in the console, for the province's admin: a procedure's fee changed and published as a new version
/// (a bad fee refused beside its field, nothing published), its versions listed; a file checked before it is imported;
/// an officer refused the page.
@Suite("Console: the procedure catalog")
struct CatalogAdminPagesTests {
    @Test func theAdminChangesAFeeAsANewVersionAndChecksAnImport() async throws {
        try await ConsolePlatform.run { platform in
            try await platform.signIn()
            #expect(try await platform.browser.get("/admin/catalog").status == .forbidden)
            _ = try await platform.browser.post("/logout", [:], from: try await platform.browser.get("/queues/received"))
            try await platform.signIn(phone: "0911000009")
            var page = try await platform.browser.get("/admin/catalog?q=nhan+cha+me+con")
            #expect(page.status == .ok && page.html.contains(#"href="/admin/catalog/1.001022""#))
            page = try await platform.browser.get("/admin/catalog/1.001022")
            let fees = try #require(page.capture(#"(?s)<textarea[^>]*name="fees"[^>]*>([^<]*)</textarea>"#))
            #expect(fees.contains("="), "the fees in the layout of the catalog file: \(fees)")
            // A fee that is not a number: refused beside the field, no version made.
            let bad = try await platform.browser.post("/admin/catalog/1.001022", ["fees": "Lệ phí=mười nghìn"], from: page)
            #expect(bad.status.code == 422 && bad.error("fees") != nil)
            #expect(!bad.html.contains("<td>2</td>"))
            let name = fees.split(separator: "=").first.map(String.init) ?? "Lệ phí"
            let published = try await platform.browser.post("/admin/catalog/1.001022", ["fees": "\(name)=25000"], from: page)
            #expect(published.status == .seeOther && published.location?.hasSuffix("done=published") == true)
            page = try await platform.browser.get(try #require(published.location))
            #expect(page.html.contains("Đã công bố phiên bản mới") && page.html.contains("<td>2</td>") && page.html.contains("Quản trị hệ thống"))
            let procedure = try await platform.singleWindow.execute(uri: "/v1/procedures/1.001022", method: .get) {
                try JSONDecoder.motcua.decode(Procedure.self, from: Data($0.body.readableBytesView))
            }
            #expect(procedure.fees.map(\.amount.amount) == [25_000])
            // The same again: nothing to publish.
            let same = try await platform.browser.post("/admin/catalog/1.001022", ["fees": "\(name)=25000"], from: page)
            #expect(same.location?.hasSuffix("done=unchanged") == true)
            // An exported file checked (dry run): every row good, nothing written.
            let export = try await platform.browser.get("/admin/catalog/export?format=csv")
            #expect(export.status == .ok && export.html.hasPrefix("code,name,sector"))
            let list = try await platform.browser.get("/admin/catalog")
            let checked = try await platform.browser.postMultipart("/admin/catalog/import", ["dryRun": "1"],
                                                                  files: [("file", "danh-muc.csv", Array(export.html.utf8))], from: list)
            #expect(checked.status == .ok && checked.html.contains("Kiểm tra xong: 0 dòng bị từ chối; chưa ghi gì."))
        }
    }
}
