import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import SingleWindowApp
import Testing

@Suite("Catalog import and export")
struct CatalogImportTests {
    func admin(_ settings: ServiceSettings) async throws -> HTTPFields {
        let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
        return [.authorization: "Bearer \(try await issuer.token(for: Identity(subject: "admin", roles: [.admin])))"]
    }

    @Test func exportThenImportGivesTheSameCatalogInBothFormats() async throws {
        let (app, settings) = try await demoSingleWindow()
        let headers = try await self.admin(settings)
        try await app.test(.router) { client in
            for format in ["json", "csv"] {
                let exported = try await client.execute(uri: "/v1/procedures/export?format=\(format)", method: .get) { response in
                    #expect(response.headers[.contentDisposition] == "attachment; filename=\"catalog.\(format)\"")
                    return response.body
                }
                try await client.execute(uri: "/v1/procedures/import?format=\(format)", method: .post, headers: headers, body: exported) { response in
                    let report = try JSONDecoder.motcua.decode(ImportReport.self, from: Data(response.body.readableBytesView))
                    #expect(report.imported == 44, "\(format)")
                    #expect(report.rejected == [], "\(format)")
                }
            }
            let marriage = try await client.getJSON("/v1/procedures/1.000894", as: Procedure.self)
            #expect(marriage?.documents.first?.name == "Tờ khai đăng ký kết hôn")
            #expect(marriage?.legalBasis.count == 3)
        }
    }

    @Test func badRowsAreReportedOneByOneAndNeverHalfImported() async throws {
        let (app, settings) = try await demoSingleWindow()
        let headers = try await self.admin(settings)
        let csv = """
            code,name,sector,levels,agencyCodes,serviceLevel,processingDays,fees,documents,steps,resultType,legalBasis,allowsOnlinePayment,allowsPostalIntake,allowsPostalDelivery
            KG.NEW.1,"Cấp phép khai thác, đánh bắt",Thủy sản,district,,3,7,Lệ phí=50000,Đơn đề nghị|1|original|,Tiếp nhận|officer|20;Thẩm định|officer|80,Giấy phép,Luật Thủy sản 2017,false,true,true
            KG.NEW.2,Thiếu bước,Thủy sản,district,,3,7,,Đơn|1|original|,Tiếp nhận|officer|20,Giấy phép,,false,true,true
            KG.NEW.3,Cơ quan lạ,Thủy sản,department,NOPE.H33,9,7,,Đơn,Tiếp nhận|officer|100,Giấy phép,,maybe,true,true
            KG.NEW.1,Trùng mã,Thủy sản,district,,3,7,,Đơn,Tiếp nhận|officer|100,Giấy phép,,false,true,true
            """
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/procedures/import?format=csv", method: .post, headers: headers, body: ByteBuffer(string: csv)) { response in
                #expect(response.status == .ok)
                let report = try JSONDecoder.motcua.decode(ImportReport.self, from: Data(response.body.readableBytesView))
                #expect(report.imported == 1)
                #expect(report.rejected.map(\.row) == [2, 3, 4])
                #expect(report.rejected[0].errors.map(\.field) == ["steps"])
                #expect(Set(report.rejected[1].errors.map(\.field)) == ["serviceLevel", "allowsOnlinePayment"])
                #expect(report.rejected[2].errors.map(\.code) == ["duplicate"])
            }
            #expect(try await client.getJSON("/v1/procedures/KG.NEW.1", as: Procedure.self)?.name == "Cấp phép khai thác, đánh bắt")
            try await client.execute(uri: "/v1/procedures/KG.NEW.2", method: .get) { #expect($0.status == .notFound) }
            let page = try await client.getJSON("/v1/procedures?pageSize=1", as: ProcedurePage.self)
            #expect(page?.total == 45)
        }
    }

    @Test func aDryRunWritesNothingAndOnlyAdminsImport() async throws {
        let (app, settings) = try await demoSingleWindow()
        let headers = try await self.admin(settings)
        let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
        let officer = try await issuer.token(for: Identity(subject: "o", roles: [.officer], agency: "H33"))
        let json = #"[{"code": "KG.DRY", "name": "Thử", "sector": "Thử", "levels": ["district"], "agencyCodes": [], "serviceLevel": 2,"#
            + #" "onlineScope": "none", "processingDays": 3, "fees": [], "documents": [{"name": "Đơn", "copies": 1, "form": "original"}],"#
            + #" "steps": [{"title": "Xử lý", "performer": "officer", "sharePercent": 100}], "resultType": "Văn bản", "legalBasis": [],"#
            + #" "allowsOnlinePayment": false, "allowsPostalIntake": true, "allowsPostalDelivery": true}, {"code": 5}]"#
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/procedures/import?dryRun=true", method: .post, headers: headers, body: ByteBuffer(string: json)) { response in
                let report = try JSONDecoder.motcua.decode(ImportReport.self, from: Data(response.body.readableBytesView))
                #expect(report.dryRun)
                #expect(report.imported == 0)
                #expect(report.rejected.map(\.row) == [2])
            }
            try await client.execute(uri: "/v1/procedures/KG.DRY", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/procedures/import", method: .post, headers: [.authorization: "Bearer \(officer)"],
                                     body: ByteBuffer(string: json)) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/procedures/import", method: .post, body: ByteBuffer(string: json)) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/procedures/import", method: .post, headers: headers, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/procedures/import?format=xml", method: .post, headers: headers, body: ByteBuffer(string: "<x/>")) {
                #expect($0.status == .badRequest)
            }
        }
    }
}
