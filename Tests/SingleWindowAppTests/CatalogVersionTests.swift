import Contracts
import DomainKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceKit
import ServiceTesting
@testable import SingleWindowApp
import Testing

/// A procedure's fee changed by an administrator is a new version of it: a dossier received before keeps the fee of
/// the version it came in under, a new one pays the new fee, every version stays readable, and publishing the same
/// wording again makes no version.
@Suite("Catalog versions")
struct CatalogVersionTests {
    static let code = "1.001022"
    static let documents = ["Tờ khai đăng ký nhận cha, mẹ, con", "Chứng cứ chứng minh quan hệ cha, mẹ, con"]

    @Test func aChangedFeeIsANewVersionAndOldDossiersKeepTheirOwn() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let admin = try await fixture.token(Identity(subject: "catalog-admin", roles: [.admin]))
        let officer = try await fixture.token(Identity(subject: "officer", roles: [.officer], agency: KienGiangCodes.honTre))
        try await app.test(.router) { client in
            func fees(_ dossier: DossierView) async throws -> [FeeItem] {
                try await client.execute(uri: "/v1/dossiers/by-code/\(dossier.code)/fees", method: .get, headers: admin) {
                    try JSONDecoder.motcua.decode(DossierFees.self, from: Data($0.body.readableBytesView)).items
                }
            }
            func submit() async throws -> DossierView {
                try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                           body: try body(fixture.request(Self.code, channel: .counter, documents: Self.documents)))))
            }
            let row = try await client.execute(uri: "/v1/procedures/\(Self.code)/row", method: .get) {
                try JSONDecoder.motcua.decode(ProcedureRow.self, from: Data($0.body.readableBytesView))
            }
            #expect(row.version == 1 && row.columns.first == "code" && row.cells["code"] == Self.code)
            let before = try await submit()
            let oldFees = try await fees(before)
            #expect(!oldFees.isEmpty, "the procedure charges a fee")

            // The administrator raises the fee: one row of the catalog's CSV layout, as the console sends it.
            var cells = row.cells
            cells["fees"] = oldFees.map { "\($0.name)=\($0.amount.amount + 5_000)" }.joined(separator: ";")
            let csv = CSVText.row(row.columns) + CSVText.row(row.columns.map { cells[$0] ?? "" })
            let imported = try await client.execute(uri: "/v1/procedures/import?format=csv", method: .post, headers: admin, body: ByteBuffer(string: csv)) {
                try JSONDecoder.motcua.decode(ImportReport.self, from: Data($0.body.readableBytesView))
            }
            #expect(imported.imported == 1 && imported.rejected.isEmpty)
            let versions = try await client.execute(uri: "/v1/procedures/\(Self.code)/versions", method: .get) {
                try JSONDecoder.motcua.decode([ProcedureVersion].self, from: Data($0.body.readableBytesView))
            }
            #expect(versions.map(\.version) == [2, 1] && versions[0].publishedBy == "catalog-admin")
            #expect(versions[0].totalFee.amount == versions[1].totalFee.amount + 5_000 * Int64(oldFees.count))

            // The dossier received before keeps its fee; a new one pays the new fee.
            #expect(try await fees(before) == oldFees)
            let after = try await submit()
            #expect(try await fees(after).map(\.amount.amount) == oldFees.map { $0.amount.amount + 5_000 })
            // Each version reads as it was published.
            let first = try await client.execute(uri: "/v1/procedures/\(Self.code)?version=1", method: .get) {
                try JSONDecoder.motcua.decode(Procedure.self, from: Data($0.body.readableBytesView))
            }
            #expect(first.fees.map(\.amount) == oldFees.map(\.amount))
            #expect(try await client.execute(uri: "/v1/procedures/\(Self.code)?version=9", method: .get) { $0.status } == .notFound)
            // The same wording again: no new version.
            _ = try await client.execute(uri: "/v1/procedures/import?format=csv", method: .post, headers: admin, body: ByteBuffer(string: csv)) { $0.status }
            let again = try await client.execute(uri: "/v1/procedures/\(Self.code)/row", method: .get) {
                try JSONDecoder.motcua.decode(ProcedureRow.self, from: Data($0.body.readableBytesView))
            }
            #expect(again.version == 2)
            // A bad fee is refused, naming the column, and changes nothing.
            cells["fees"] = "Lệ phí=mười nghìn"
            let bad = CSVText.row(row.columns) + CSVText.row(row.columns.map { cells[$0] ?? "" })
            let refused = try await client.execute(uri: "/v1/procedures/import?format=csv", method: .post, headers: admin, body: ByteBuffer(string: bad)) {
                try JSONDecoder.motcua.decode(ImportReport.self, from: Data($0.body.readableBytesView))
            }
            #expect(refused.imported == 0 && refused.rejected.first?.errors.contains { $0.field == "fees" } == true)
        }
    }
}
