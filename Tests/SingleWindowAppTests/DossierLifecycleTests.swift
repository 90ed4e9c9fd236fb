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

@Suite("Dossier lifecycle")
struct DossierLifecycleTests {
    func act(_ client: some TestClientProtocol, _ dossier: DossierView, _ action: DossierAction, as headers: HTTPFields,
             comment: String? = nil, version: Int? = nil) async throws -> TestResponse {
        try await client.act(dossier, DossierActionRequest(action: action, expectedVersion: version ?? dossier.version, comment: comment), as: headers)
    }

    static let nextWeek = LocalDate(Date()).adding(days: 7)
    static let result = DossierResult(fileId: "3f1a9c", number: "12/2026/GCNKH", signer: "Trần Văn Bình")

    @Test func fromOnlineSubmissionToDeliveryWithAPauseInBetween() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let leader = try await fixture.token(Identity(subject: "chairman", roles: [.leader], agency: fixture.hongTre))
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                     body: try body(fixture.request(channel: .online)))))
            #expect(dossier.status == .submitted)
            #expect(dossier.clock.dueAt == nil)
            #expect(dossier.allowedActions == [.withdraw])

            dossier = try #require(view(try await self.act(client, dossier, .receive, as: officer)))
            let due = try #require(dossier.clock.dueAt)
            dossier = try #require(view(try await self.act(client, dossier, .startProcessing, as: officer)))
            // A supplement request needs its reason, the documents and a deadline; then the clock pauses until the applicant answers.
            let bare = try await self.act(client, dossier, .requestSupplement, as: officer)
            #expect(bare.status == .unprocessableContent)
            #expect(Set(problemOf(bare)?.errors?.map(\.field) ?? []) == ["comment", "supplement"])
            let past = DossierActionRequest(action: .requestSupplement, expectedVersion: dossier.version, comment: "Thiếu giấy tờ",
                                            supplement: SupplementRequirement(documents: [" "], deadline: LocalDate(Date())))
            #expect(Set(problemOf(try await client.act(dossier, past, as: officer))?.errors?.map(\.field) ?? [])
                    == ["supplement.documents", "supplement.deadline"])
            let asked = SupplementRequirement(documents: ["Giấy xác nhận tình trạng hôn nhân"], deadline: Self.nextWeek)
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .requestSupplement, expectedVersion: dossier.version, comment: "Bổ sung giấy xác nhận", supplement: asked), as: officer)))
            #expect(dossier.clock.pausedAt != nil)
            #expect(dossier.supplementRequest == asked)
            #expect(dossier.history[3].detail?.contains("Giấy xác nhận tình trạng hôn nhân") == true)
            let handedIn = Attachment(documentName: "Giấy xác nhận tình trạng hôn nhân", fileId: "9b2e77")
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .supplement, expectedVersion: dossier.version, attachments: [handedIn]), as: citizen)))
            #expect(dossier.clock.pausedAt == nil)
            #expect(dossier.attachments.last == handedIn)
            #expect(try #require(dossier.clock.dueAt) >= due)
            // The result needs its file, number and signer.
            let noResult = try await self.act(client, dossier, .markResultReady, as: leader)
            #expect(noResult.status == .unprocessableContent)
            #expect(problemOf(noResult)?.errors?.map(\.field) == ["result"])
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .markResultReady, expectedVersion: dossier.version, result: Self.result), as: leader)))
            #expect(dossier.result == Self.result)
            #expect(dossier.clock.timeliness == .early || dossier.clock.timeliness == .onTime)
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .deliver, expectedVersion: dossier.version, handover: Handover(method: .counter, recipient: "Nguyễn Văn An")), as: officer)))
            #expect(dossier.status == .delivered)
            #expect(dossier.handover?.recipient == "Nguyễn Văn An")
            #expect(dossier.handover?.at != nil)
            #expect(dossier.version == 7)
            #expect(dossier.history.map(\.toStatus) == [.submitted, .received, .processing, .supplementRequested, .processing, .resultReady, .delivered])
            #expect(dossier.history[3].comment == "Bổ sung giấy xác nhận")
            #expect(dossier.allowedActions.isEmpty)
        }
    }

    @Test func aCatalogChangeAfterIntakeDoesNotMoveTheDeadline() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        let admin = try await fixture.token(Identity(subject: "admin", roles: [.admin]))
        try await app.test(.router) { client in
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                     body: try body(fixture.request(channel: .online)))))
            // The province shortens marriage registration from 5 to 1 working day after this dossier came in.
            var marriage = try #require(try await client.getJSON("/v1/procedures/1.000894", as: Procedure.self))
            marriage.processingDays = 1
            try await client.execute(uri: "/v1/procedures/import", method: .post, headers: admin, body: try body([marriage])) { response in
                #expect((try? JSONDecoder.motcua.decode(ImportReport.self, from: Data(response.body.readableBytesView)))?.imported == 1)
            }
            let received = try #require(view(try await self.act(client, dossier, .receive, as: officer)))
            let start = try #require(received.clock.receivedAt)
            #expect(received.clock.dueAt == WorkingCalendar.vietnam.dueDate(receivedAt: start, workingDays: 5))
        }
    }

    @Test func actionsNotAllowedNowStaleVersionsAndStrangersAreRefused() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        try await app.test(.router) { client in
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                     body: try body(fixture.request(channel: .counter)))))
            let wrong = try await self.act(client, dossier, .deliver, as: officer)
            #expect(wrong.status == .conflict)
            #expect(problemOf(wrong)?.detail.contains("startProcessing") == true)
            let stale = try await self.act(client, dossier, .startProcessing, as: officer, version: dossier.version - 1)
            #expect(stale.status == .conflict)
            #expect(problemOf(stale)?.detail.contains("reload") == true)
            let stranger = try await fixture.token(Identity(subject: "o2", roles: [.officer], agency: KienGiangCodes.anSon))
            #expect(try await self.act(client, dossier, .startProcessing, as: stranger).status == .forbidden)
            let otherCitizen = try await fixture.token(Identity(subject: "someone-else", roles: [.citizen]))
            #expect(try await self.act(client, dossier, .withdraw, as: otherCitizen).status == .notFound)
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: otherCitizen) { #expect($0.status == .notFound) }
            // An officer may not stop a dossier; a leader may.
            let processing = try #require(view(try await self.act(client, dossier, .startProcessing, as: officer)))
            #expect(try await self.act(client, processing, .stop, as: officer, comment: "x").status == .forbidden)
            // Nothing of the refused attempts changed the dossier.
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: officer) { response in
                #expect(view(response)?.version == processing.version)
                #expect(view(response)?.history.count == 2)
            }
        }
    }

    @Test func thePublicLookUpShowsProgressButNoPersonalData() async throws {
        // A burst of 10 refilled at one a minute: a slow machine cannot refill the bucket between the guesses.
        let (app, settings) = try await demoSingleWindow(environment: ["LOOKUP_RATE_PER_MINUTE": "1", "LOOKUP_BURST": "10"])
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        try await app.test(.router) { client in
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                     body: try body(fixture.request(channel: .counter)))))
            try await client.execute(uri: "/v1/lookup/\(dossier.code)?phone=5678", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(!text.contains("Nguyễn Văn An"))
                #expect(!text.contains("0912345678"))
                #expect(!text.contains("091095000123"))
                let lookup = try JSONDecoder.motcua.decode(DossierLookup.self, from: Data(response.body.readableBytesView))
                #expect(lookup.status == .received)
                #expect(lookup.agencyName == "Ủy ban nhân dân xã Hòn Tre")
                #expect(lookup.dueAt == dossier.clock.dueAt)
            }
            try await client.execute(uri: "/v1/lookup/\(dossier.code)?phone=0000", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/lookup/\(dossier.code)", method: .get) { #expect($0.status == .badRequest) }
            // A guesser is slowed down: after the burst (three look-ups spent above) the look-up answers 429 with
            // Retry-After, and naming another address in X-Forwarded-For (not a service, not a trusted proxy) changes nothing.
            let guesser: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"]
            var statuses: [HTTPResponse.Status] = []
            for digits in 0..<9 {
                statuses.append(try await client.execute(uri: "/v1/lookup/\(dossier.code)?phone=\(String(format: "%04d", digits))", method: .get,
                                                         headers: guesser) { $0.status })
            }
            #expect(statuses == Array(repeating: .notFound, count: 7) + [.tooManyRequests, .tooManyRequests])
            try await client.execute(uri: "/v1/lookup/\(dossier.code)?phone=5678", method: .get, headers: guesser) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[HTTPField.Name("Retry-After")!] != nil)
            }
        }
    }
}
