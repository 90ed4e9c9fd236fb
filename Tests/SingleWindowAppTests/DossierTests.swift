import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

/// People and requests for dossier tests, on the demo data (commune Hòn Tre of Kiên Hải).
struct DossierFixture {
    let settings: ServiceSettings
    let hongTre = KienGiangCodes.honTre

    func token(_ identity: Identity) async throws -> HTTPFields {
        let issuer = try await TokenIssuer.loadOrCreate(settings: self.settings)
        return [.authorization: "Bearer \(try await issuer.token(for: identity))", .contentType: "application/json"]
    }

    /// The headers another service's calls carry (its service token), as its outbox or a client would send them.
    func service(_ name: String) async throws -> HTTPFields {
        [.authorization: "Bearer \(try await TokenVerifier(serviceSecret: self.settings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: name, to: self.settings.name))"]
    }

    var officer: Identity { Identity(subject: "officer-hontre", roles: [.officer], agency: self.hongTre) }
    var citizen: Identity { Identity(subject: "citizen-1", roles: [.citizen]) }

    static let applicant = Applicant(fullName: "Nguyễn Văn An", citizenId: "091095000123", phone: "0912 345 678", email: "an@example.vn",
                                     address: "Ấp Bãi Nhà, xã Hòn Tre, huyện Kiên Hải")

    func request(_ procedure: String = "1.000894", channel: IntakeChannel, documents: [String]? = nil,
                 agency: String? = nil, delivery: DeliveryMethod = .counter) -> SubmitDossierRequest {
        let names = documents ?? ["Tờ khai đăng ký kết hôn", "Giấy tờ tùy thân của hai bên", "Giấy xác nhận tình trạng hôn nhân (nếu thường trú nơi khác)"]
        return SubmitDossierRequest(procedureCode: procedure, agencyCode: agency ?? self.hongTre, channel: channel, applicant: Self.applicant,
                                    attachments: names.map { Attachment(documentName: $0, fileId: nil) }, delivery: .init(method: delivery))
    }
}

enum KienGiangCodes {
    /// Kiên Hải is the 15th district (index 14), Hòn Tre its first commune.
    static let honTre = "000.55.01.H33"
    static let anSon = "000.55.03.H33"
}

extension TestClientProtocol {
    /// Takes an action on a dossier.
    func act(_ dossier: DossierView, _ request: DossierActionRequest, as headers: HTTPFields) async throws -> TestResponse {
        try await self.execute(uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: headers, body: try body(request))
    }
}

extension DossierActionRequest {
    /// The action with the details it needs (a reason, a supplement list and deadline, a result), for tests about something else.
    static func complete(_ action: DossierAction, version: Int, comment: String? = nil) -> DossierActionRequest {
        DossierActionRequest(
            action: action, expectedVersion: version, comment: comment ?? ([.refuse, .requestSupplement, .stop].contains(action) ? "Lý do" : nil),
            supplement: action == .requestSupplement ? SupplementRequirement(documents: ["Bản sao giấy tờ"], deadline: LocalDate(Date()).adding(days: 7)) : nil,
            result: action == .markResultReady ? DossierResult(fileId: "f00d", number: "1/2026/KQ", signer: "Chủ tịch") : nil)
    }
}

func body(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(bytes: try JSONEncoder.motcua.encode(value)) }

func view(_ response: TestResponse) -> DossierView? {
    try? JSONDecoder.motcua.decode(DossierView.self, from: Data(response.body.readableBytesView))
}


@Suite("Dossier intake")
struct DossierIntakeTests {
    @Test func aCounterIntakeIsReceivedOnTheSpotWithACodeAndADueDate() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/dossiers", method: .post, headers: try await fixture.token(fixture.officer),
                                                    body: try body(fixture.request(channel: .counter)))
            #expect(response.status == .created)
            let dossier = try #require(view(response))
            #expect(dossier.status == .received)
            let code = try DossierCode(parsing: dossier.code)
            #expect(code.agencyCode == fixture.hongTre)
            #expect(code.sequence == 1)
            #expect(code.day == LocalDate(Date()))
            let received = try #require(dossier.clock.receivedAt)
            #expect(dossier.clock.dueAt == WorkingCalendar.vietnam.dueDate(receivedAt: received, workingDays: 5))
            #expect(dossier.applicant.phone == "0912345678")
            #expect(dossier.history.map(\.toStatus) == [.received])
            #expect(dossier.allowedActions.contains(.startProcessing))
            #expect(response.headers[.location] == "/v1/dossiers/\(dossier.id)")
        }
    }

    @Test("each intake problem is a 422 that names it and writes nothing", arguments: [
        ("missing", "documents.missing"), ("level", "procedure.notOnline"), ("agency", "agency.wrong"), ("phone", "phone.invalid"),
        ("procedure", "procedure.unknown"), ("delivery", "procedure.noOnlineDelivery"), ("long-name", "too-long"), ("nul-address", "control-character"),
    ])
    func refusedAtIntake(kind: String, expectedCode: String) async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        var request = fixture.request(channel: .online)
        switch kind {
        case "missing": request = fixture.request(channel: .online, documents: ["Tờ khai đăng ký kết hôn"])
        case "level": request = fixture.request("2.000815", channel: .online, documents: ["Bản chính giấy tờ, văn bản cần chứng thực", "Bản sao cần chứng thực"])
        case "agency": request = fixture.request(channel: .online, agency: "000.00.02.H33")
        case "phone": request.applicant.phone = "12345"
        case "procedure": request.procedureCode = "0.000000"
        case "long-name": request.applicant.fullName = String(repeating: "Nguyễn ", count: 40)
        case "nul-address": request.applicant.address = "Ấp Bãi Nhà\u{0}; xã Hòn Tre"
        default: request.delivery = .init(method: .online)
        }
        let submission = request
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/v1/dossiers", method: .post, headers: try await fixture.token(fixture.citizen),
                                                    body: try body(submission))
            #expect(response.status == .unprocessableContent)
            let problem = try #require(problemOf(response))
            #expect(problem.errors?.map(\.code).contains(expectedCode) == true, "\(problem)")
            if kind == "missing" { #expect(problem.detail.contains("attachments")) }
            if kind == "agency" { #expect(problem.errors?.first?.en.contains("does not handle") == true) }
            try await client.execute(uri: "/v1/lookup/\(fixture.hongTre)-\(Self.today)-0001?phone=5678", method: .get) { #expect($0.status == .notFound) }
        }
    }

    static var today: String {
        let day = LocalDate(Date())
        return String(format: "%02d%02d%02d", day.year % 100, day.month, day.day)
    }

    @Test func channelsAreOpenOnlyToTheirPeople() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        try await app.test(.router) { client in
            let cases: [(Identity?, IntakeChannel, HTTPResponse.Status)] = [
                (nil, .online, .unauthorized),
                (fixture.officer, .online, .forbidden),
                (fixture.citizen, .counter, .forbidden),
                (Identity(subject: "o2", roles: [.officer], agency: KienGiangCodes.anSon), .counter, .forbidden),
                (fixture.citizen, .nationalPortal, .forbidden),
            ]
            for (identity, channel, status) in cases {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let identity { headers = try await fixture.token(identity) }
                try await client.execute(uri: "/v1/dossiers", method: .post, headers: headers, body: try body(fixture.request(channel: channel))) {
                    #expect($0.status == status, "\(channel) by \(identity?.subject ?? "nobody")")
                }
            }
        }
    }

    @Test func anIdempotencyKeyReplaysTheFirstSubmissionAndRefusesAnotherBody() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        try await app.test(.router) { client in
            var headers = try await fixture.token(fixture.citizen)
            headers[.idempotencyKey] = "form-7f3a"
            let first = try await client.execute(uri: "/v1/dossiers", method: .post, headers: headers, body: try body(fixture.request(channel: .online)))
            let again = try await client.execute(uri: "/v1/dossiers", method: .post, headers: headers, body: try body(fixture.request(channel: .online)))
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(view(again)?.code == view(first)?.code)
            var other = fixture.request(channel: .online)
            other.applicant.address = "Ấp Bãi Bấc"
            try await client.execute(uri: "/v1/dossiers", method: .post, headers: headers, body: try body(other)) { #expect($0.status == .conflict) }
            headers[.idempotencyKey] = "not a valid key!"
            try await client.execute(uri: "/v1/dossiers", method: .post, headers: headers, body: try body(other)) { #expect($0.status == .badRequest) }
        }
    }

    /// Intakes that arrive together are written together; a key sent three times at once still makes one dossier.
    @Test func aKeySentSeveralTimesAtOnceMakesOneDossier() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let citizen = try await fixture.token(fixture.citizen)
        let request = fixture.request(channel: .online)
        try await app.test(.router) { client in
            let answers = try await withThrowingTaskGroup(of: (String?, Int, String?).self) { group in
                for attempt in 0..<40 {
                    group.addTask {
                        var headers = citizen
                        // Ten keys sent three times each, and ten submissions without a key.
                        let key = attempt < 30 ? "double-click-\(attempt % 10)" : nil
                        if let key { headers[.idempotencyKey] = key }
                        let response = try await client.execute(uri: "/v1/dossiers", method: .post, headers: headers, body: try body(request))
                        return (key, Int(response.status.code), view(response)?.code)
                    }
                }
                return try await group.reduce(into: [(String?, Int, String?)]()) { $0.append($1) }
            }
            for index in 0..<10 {
                let sent = answers.filter { $0.0 == "double-click-\(index)" }
                #expect(sent.map(\.1).sorted() == [200, 200, 201], "double-click-\(index)")
                #expect(Set(sent.compactMap(\.2)).count == 1)
            }
            #expect(answers.filter { $0.0 == nil }.map(\.1) == Array(repeating: 201, count: 10))
            let codes = answers.compactMap(\.2)
            #expect(Set(codes).count == 20)
            #expect(codes.compactMap { try? DossierCode(parsing: $0).sequence }.max() == 20)
        }
    }

    @Test func concurrentIntakesGetDistinctConsecutiveCodes() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let headers = try await fixture.token(fixture.officer)
        let request = fixture.request(channel: .counter)
        try await app.test(.router) { client in
            let codes = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 {
                    group.addTask { view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: headers, body: try body(request)))?.code }
                }
                var codes: [String] = []
                for try await code in group { codes.append(code ?? "failed") }
                return codes
            }
            // Each day's numbers run from 1 without a gap or a repeat; the Vietnam day may turn over while the
            // intakes are written (17:00 UTC), and the new day starts again at 1.
            let parsed = codes.compactMap { try? DossierCode(parsing: $0) }
            #expect(parsed.count == 20)
            for (_, ofDay) in Dictionary(grouping: parsed, by: \.day) {
                #expect(ofDay.map(\.sequence).sorted() == Array(1...ofDay.count))
            }
        }
    }
}
