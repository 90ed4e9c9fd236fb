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

@Suite("Portal look-up: web page, kiosk and the mobile API")
struct LookupPageTests {
    @Test func theWebPageShowsProgressWithNoPersonalData() async throws {
        try await PortalPlatform.run { platform in
            let dossier = try await platform.receivedDossier()
            let form = try await platform.browser.get("/lookup")
            #expect(form.html.contains("<label for=\"f-code\">Mã hồ sơ</label>"))
            let page = try await platform.browser.get("/lookup?code=\(dossier.code)&phone=5678")
            #expect(page.status == .ok)
            #expect(page.html.contains(dossier.code))
            #expect(page.html.contains("Đăng ký thường trú"))
            #expect(page.html.contains("<strong>Đã tiếp nhận</strong>"))
            #expect(page.html.contains("Ngày hẹn trả"))
            #expect(!page.html.contains("Trần Thị Bích"))
            #expect(!page.html.contains("0912345678"))

            let wrongPhone = try await platform.browser.get("/lookup?code=\(dossier.code)&phone=1111")
            #expect(wrongPhone.status == .notFound)
            #expect(wrongPhone.error("code")?.hasPrefix("Không tìm thấy hồ sơ") == true)

            // The link in an SMS carries the code only: the form opens with it filled in and no error yet.
            let fromSMS = try await platform.browser.get("/tra-cuu?code=\(dossier.code)")
            #expect(fromSMS.status == .ok)
            #expect(fromSMS.value("code") == dossier.code)
            #expect(fromSMS.error("phone") == nil)

            let bad = try await platform.browser.get("/lookup?code=&phone=12")
            #expect(bad.status == .badRequest)
            #expect(bad.error("code") != nil)
            #expect(bad.error("phone") == "Nhập đúng 4 chữ số cuối của số điện thoại đã khai khi nộp hồ sơ.")
        }
    }

    @Test func theKioskHasLargeKeysAKeypadAndReturnsToTheStartWhenIdle() async throws {
        try await PortalPlatform.run { platform in
            let dossier = try await platform.receivedDossier()
            let start = try await platform.browser.get("/kiosk")
            #expect(start.html.contains("<body class=\"kiosk\" data-idle=\"60\" data-home=\"/kiosk\">"))
            #expect(start.html.contains("data-key=\"0\""))
            #expect(start.html.contains("data-key=\"H\""))
            #expect(start.html.contains("<noscript><meta http-equiv=\"refresh\" content=\"120;url=/kiosk\"></noscript>"))
            // A kiosk shows no way off the look-up: no site navigation, no sign-in.
            #expect(!start.html.contains("href=\"/register\"") && !start.html.contains("href=\"/login\""))
            #expect(!start.html.contains("href=\"/register\""))
            let result = try await platform.browser.get("/kiosk?code=\(dossier.code.lowercased())&phone=5678")
            #expect(result.status == .ok)
            #expect(result.html.contains("Đã tiếp nhận"))
            #expect(result.html.contains("href=\"/kiosk\""))
        }
    }

    @Test func theMobileAPIAnswersJSONAndProblems() async throws {
        try await PortalPlatform.run { platform in
            let dossier = try await platform.receivedDossier()
            let client = platform.browser.client
            let lookup = try await client.execute(uri: "/api/v1/lookup/\(dossier.code)?phone=5678", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                return try JSONDecoder.motcua.decode(DossierLookup.self, from: Data(response.body.readableBytesView))
            }
            #expect(lookup.code == dossier.code)
            #expect(lookup.status == .received)
            #expect(lookup.history.map(\.status) == [.submitted, .received])
            try await client.execute(uri: "/api/v1/lookup/\(dossier.code)?phone=12", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(problemOf(response)?.errors?.map(\.field) == ["phone"])
            }
            try await client.execute(uri: "/api/v1/lookup/000.55.01.H33-200101-9999?phone=5678", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test func manyLookupsFromOneAddressAreSlowedWith429() async throws {
        try await PortalPlatform.run(environment: ["LOOKUP_RATE_PER_MINUTE": "3", "LOOKUP_BURST": "3"]) { platform in
            for _ in 1...3 {
                let status = try await platform.browser.client.execute(uri: "/api/v1/lookup/000.55.01.H33-200101-9999?phone=5678", method: .get) { $0.status }
                #expect(status == .notFound)
            }
            try await platform.browser.client.execute(uri: "/api/v1/lookup/000.55.01.H33-200101-9999?phone=5678", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] != nil)
            }
            let page = try await platform.browser.get("/lookup?code=000.55.01.H33-200101-9999&phone=5678")
            #expect(page.status == .tooManyRequests)
            #expect(page.error("code")?.hasPrefix("Bạn đã thử quá nhiều lần") == true)
        }
    }

    @Test func singleWindowsOwnLimitCountsTheCitizenAndAForgedAddressDoesNotEscapeIt() async throws {
        // Single-window allows two look-ups per address and the portal many: the portal passes the citizen's address on
        // (with its service token), so single-window's limit is the one that refuses the third.
        try await PortalPlatform.run(singleWindowEnvironment: ["LOOKUP_RATE_PER_MINUTE": "2", "LOOKUP_BURST": "2"]) { platform in
            let client = platform.browser.client
            func lookUp(_ headers: HTTPFields = [:]) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/v1/lookup/000.55.01.H33-200101-9999?phone=5678", method: .get, headers: headers) { $0.status }
            }
            var statuses: [HTTPResponse.Status] = []
            for _ in 1...3 { statuses.append(try await lookUp()) }
            // A browser naming another address is not believed (no trusted proxy in front): still the same caller.
            statuses.append(try await lookUp([HTTPField.Name("X-Forwarded-For")!: "203.0.113.99"]))
            #expect(statuses == [.notFound, .notFound, .tooManyRequests, .tooManyRequests])
        }
    }

    @Test func withSingleWindowDownTheLookupSays503() async throws {
        let fixture = PortalFixture()
        var settings = fixture.settings
        settings.fixedServiceURLs = [Topology.singleWindow: "http://127.0.0.1:9"]
        try await buildPortalApplication(settings, clock: { Date() }, codeSender: fixture.codes).test(.router) { client in
            let page = try await PortalBrowser(client).get("/lookup?code=000.55.01.H33-200101-9999&phone=5678")
            #expect(page.status == .serviceUnavailable)
            try await client.execute(uri: "/api/v1/lookup/000.55.01.H33-200101-9999?phone=5678", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }

    @Test func aLookUpAnswerIsKeptUntilAnEventSaysTheDossierChanged() async throws {
        try await PortalPlatform.run { platform in
            let dossier = try await platform.receivedDossier()
            let client = platform.browser.client
            func status() async throws -> DossierStatus {
                try await client.execute(uri: "/api/v1/lookup/\(dossier.code)?phone=5678", method: .get) { response in
                    try JSONDecoder.motcua.decode(DossierLookup.self, from: Data(response.body.readableBytesView)).status
                }
            }
            #expect(try await status() == .received)
            try await platform.officer(.startProcessing, on: dossier.id)
            // Kept: single-window is not asked again until the change is announced.
            #expect(try await status() == .received)
            let service = try await TokenVerifier(serviceSecret: platform.portalSettings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: "single-window", to: "portal")
            let event = try EventEnvelope(type: EventType.dossierStatusChanged, source: "single-window", requestId: "r-1", payload: DossierEventPayload(
                dossierId: dossier.id, code: dossier.code, procedureCode: dossier.procedureCode, agencyCode: dossier.agencyCode, fromStatus: .received,
                toStatus: .processing, applicantPhone: "0912345678", applicantEmail: nil, dueAt: nil))
            let accepted = try await client.execute(uri: "/internal/events", method: .post,
                                                    headers: [.authorization: "Bearer \(service)", .contentType: "application/json"],
                                                    body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(event))) { $0.status }
            #expect(accepted == .ok)
            #expect(try await status() == .processing)
        }
    }
}
