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

@Suite("Procedure catalog")
struct CatalogTests {
    @Test("search ignores diacritics, case and word order", arguments: ["dang ky ket hon", "ĐĂNG KÝ KẾT HÔN", "ket hon dang ky", "Đăng ký kết hôn"])
    func searchWithoutDiacritics(query: String) async throws {
        let (app, _) = try await demoSingleWindow()
        try await app.test(.router) { client in
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let page = try await client.getJSON("/v1/procedures?q=\(encoded)", as: ProcedurePage.self)
            #expect(page?.items.map(\.name).contains("Đăng ký kết hôn") == true)
            #expect(page?.items.allSatisfy { VietnameseText.searchKey($0.name).contains("ket hon") } == true)
        }
    }

    /// Search and look-up answers are written by hand for speed; they must read exactly as the generic encoder writes them.
    @Test func handWrittenAnswersAreWhatTheGenericEncoderWrites() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        try await app.test(.router) { client in
            for uri in ["/v1/procedures?q=dang+ky&pageSize=5", "/v1/procedures?level=4&agency=\(KienGiangCodes.honTre)", "/v1/procedures?q=zzz"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let bytes = Data(response.body.readableBytesView)
                    let page = try JSONDecoder.motcua.decode(ProcedurePage.self, from: bytes)
                    #expect(try JSONEncoder.motcua.encode(page) == bytes, "\(uri)")
                }
            }
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                     body: try body(fixture.request(channel: .counter)))))
            try await client.execute(uri: "/v1/lookup/\(dossier.code)?phone=5678", method: .get) { response in
                let bytes = Data(response.body.readableBytesView)
                let lookup = try JSONDecoder.motcua.decode(DossierLookup.self, from: bytes)
                #expect(lookup.history.map(\.status) == [.received])
                #expect(try JSONEncoder.motcua.encode(lookup) == bytes)
            }
        }
    }

    @Test func filtersCountsAndPaging() async throws {
        let (app, _) = try await demoSingleWindow()
        try await app.test(.router) { client in
            let all = try #require(try await client.getJSON("/v1/procedures?pageSize=100", as: ProcedurePage.self))
            #expect(all.total == 44)
            #expect(all.countsByLevel.values.reduce(0, +) == 44)
            let level4 = try #require(try await client.getJSON("/v1/procedures?level=4&pageSize=100", as: ProcedurePage.self))
            #expect(level4.total == all.countsByLevel["4"])
            #expect(level4.items.allSatisfy { $0.serviceLevel == .fullyOnline && $0.onlineScope == .full })
            // Counts by level ignore the level filter, so a page can offer every level.
            #expect(level4.countsByLevel == all.countsByLevel)
            let sector = try #require(try await client.getJSON("/v1/procedures?sector=H%E1%BB%99%20t%E1%BB%8Bch&pageSize=100", as: ProcedurePage.self))
            #expect(sector.total == 9)
            let second = try #require(try await client.getJSON("/v1/procedures?pageSize=10&page=2", as: ProcedurePage.self))
            #expect(second.items.count == 10)
            #expect(Set(second.items.map(\.code)).isDisjoint(with: Set(all.items.prefix(10).map(\.code))))
            let sectors = try #require(try await client.getJSON("/v1/sectors", as: [SectorCount].self))
            #expect(sectors.map(\.procedures).reduce(0, +) == 44)
        }
    }

    @Test func anAgencySeesItsOwnAndItsLevelsProcedures() async throws {
        let (app, _) = try await demoSingleWindow()
        try await app.test(.router) { client in
            // A commune: every commune-level procedure, no provincial one.
            let commune = try #require(try await client.getJSON("/v1/agencies?level=commune&q=hon%20tre", as: [Agency].self)?.first)
            #expect(commune.name == "Ủy ban nhân dân xã Hòn Tre")
            let page = try #require(try await client.getJSON("/v1/procedures?agency=\(commune.code)&pageSize=100", as: ProcedurePage.self))
            #expect(page.items.contains { $0.name == "Đăng ký khai sinh" })
            #expect(page.items.allSatisfy { $0.levels.contains(.commune) })
            // The Department of Justice: only what names it.
            let justice = try #require(try await client.getJSON("/v1/agencies?level=department&q=tu%20phap", as: [Agency].self)?.first)
            let justicePage = try #require(try await client.getJSON("/v1/procedures?agency=\(justice.code)", as: ProcedurePage.self))
            #expect(justicePage.items.map(\.name) == ["Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"])
            // Extending a building permit: every district (none is named), but among departments only Construction.
            let district = try #require(try await client.getJSON("/v1/agencies?level=district&q=kien%20luong", as: [Agency].self)?.first)
            let districtPage = try #require(try await client.getJSON("/v1/procedures?agency=\(district.code)&q=gia%20han", as: ProcedurePage.self))
            #expect(districtPage.items.map(\.name) == ["Gia hạn giấy phép xây dựng"])
            let construction = try #require(try await client.getJSON("/v1/agencies?level=department&q=so%20xay%20dung", as: [Agency].self)?.first)
            let constructionPage = try await client.getJSON("/v1/procedures?agency=\(construction.code)&q=gia%20han", as: ProcedurePage.self)
            #expect(constructionPage?.total == 1)
        }
    }

    @Test func aProcedureInFullAndTheErrorsPeopleCanActOn() async throws {
        let (app, _) = try await demoSingleWindow()
        try await app.test(.router) { client in
            let marriage = try #require(try await client.getJSON("/v1/procedures/1.000894", as: Procedure.self))
            #expect(marriage.steps.map(\.sharePercent).reduce(0, +) == 100)
            #expect(marriage.documents.count == 3)
            #expect(marriage.problems() == [])
            try await client.execute(uri: "/v1/procedures/9.999999", method: .get) { #expect($0.status == .notFound) }
            for bad in ["level=5", "level=abc", "online=sometimes", "page=0", "pageSize=1000", "agency=NOPE"] {
                try await client.execute(uri: "/v1/procedures?\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                }
            }
        }
    }

    @Test func theHierarchyOfKienGiang() async throws {
        let (app, _) = try await demoSingleWindow()
        try await app.test(.router) { client in
            let districts = try #require(try await client.getJSON("/v1/agencies?level=district", as: [Agency].self))
            #expect(districts.count == 15)
            #expect(districts.allSatisfy { $0.parentCode == "H33" })
            let departments = try #require(try await client.getJSON("/v1/agencies?level=department", as: [Agency].self))
            #expect(departments.count >= 20)
            let phuQuoc = try #require(districts.first { $0.name.hasSuffix("Phú Quốc") })
            let communes = try #require(try await client.getJSON("/v1/agencies?parent=\(phuQuoc.code)", as: [Agency].self))
            #expect(communes.contains { $0.name == "Ủy ban nhân dân phường Dương Đông" })
            #expect(communes.allSatisfy { $0.level == .commune && $0.problems() == [] })
            try await client.execute(uri: "/v1/agencies?level=village", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/agencies/NOPE", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func theFullSizeCatalogHasTheSeedProvincesCounts() async throws {
        let (app, _) = try await demoSingleWindow(size: "full")
        try await app.test(.router) { client in
            let page = try #require(try await client.getJSON("/v1/procedures?pageSize=1", as: ProcedurePage.self))
            #expect(page.total == 2_194)
            #expect((page.countsByLevel["1"] ?? 0) + (page.countsByLevel["2"] ?? 0) == 1_475)
            #expect(page.countsByLevel["3"] == 409)
            #expect(page.countsByLevel["4"] == 310)
        }
    }
}
