import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

/// A dossier walks its procedure's internal process step by step: handed on, sent back with a reason, to another
/// agency and back, a leader's step only by a leader, each step timed.
@Suite("Dossier internal process")
struct DossierProcessTests {
    static let kienHai = "000.00.55.H33"
    static let landDepartment = "000.00.06.H33"
    static let documents = ["Đơn đăng ký, cấp Giấy chứng nhận (mẫu 04a/ĐK)", "Giấy tờ về quyền sử dụng đất", "Sơ đồ thửa đất"]

    @Test func aLandRegistrationGoesThroughItsStepsToTheLandDepartmentAndBack() async throws {
        // Monday 2 March 2026, 08:00 in Vietnam: a 30-day procedure, its review step has 9 working days.
        let clock = TestClock(LocalDate(year: 2026, month: 3, day: 2)!.instant(minutes: 8 * 60))
        let (app, settings) = try await demoSingleWindow(clock: { clock.now })
        let fixture = DossierFixture(settings: settings)
        let counter = try await fixture.token(Identity(subject: "hanh", roles: [.officer], agency: Self.kienHai))
        let specialist = try await fixture.token(Identity(subject: "minh", roles: [.officer], agency: Self.kienHai))
        let leader = try await fixture.token(Identity(subject: "khoa", roles: [.leader], agency: Self.kienHai))
        let land = try await fixture.token(Identity(subject: "lan", roles: [.officer], agency: Self.landDepartment))
        try await app.test(.router) { client in
            let created = try await client.execute(uri: "/v1/dossiers", method: .post, headers: counter,
                                                   body: try body(fixture.request("1.004227", channel: .counter, documents: Self.documents, agency: Self.kienHai)))
            var dossier = try #require(view(created), "\(created.status) \(String(buffer: created.body))")
            var process = try #require(dossier.process)
            #expect(process.current == 0)
            #expect(process.steps.count == 5)
            #expect(!dossier.allowedActions.contains(.forward), "received: the counter starts processing, which hands it on")

            // The counter hands it to the specialist.
            clock.advance(3600)
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(action: .startProcessing, expectedVersion: dossier.version,
                                                                                           assignTo: "minh"), as: counter)))
            process = try #require(dossier.process)
            #expect(process.current == 1)
            #expect(dossier.assignedTo == "minh")
            #expect(process.log.first?.handedTo == "minh")
            #expect(process.log.first?.late == false)
            #expect(dossier.history.last?.detail?.hasPrefix("Bước 1 → 2") == true)

            // Only the person it is assigned to (or a leader) hands it on: the counter is refused, nothing changes.
            let notTheirs = try await client.act(dossier, DossierActionRequest(action: .forward, expectedVersion: dossier.version), as: counter)
            #expect(notTheirs.status == .forbidden)
            #expect(String(buffer: notTheirs.body).contains("assigned to minh"))

            // Ten working days later the review step is late; handed on, it goes to the land department.
            clock.advance(14 * 86_400)
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(action: .forward, expectedVersion: dossier.version),
                                                           as: specialist)))
            process = try #require(dossier.process)
            #expect(process.current == 2)
            #expect(dossier.agencyCode == Self.landDepartment)
            #expect(dossier.assignedTo == nil)
            #expect(process.log.map(\.late) == [false, true])
            #expect(dossier.history.last?.detail?.contains("trễ hạn") == true)
            // The district no longer reads it; the department's inbox shows it at its step.
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: counter) { #expect($0.status == .forbidden) }
            let inbox = try JSONDecoder.motcua.decode(InboxPage.self, from: Data(try await client.execute(uri: "/v1/inbox", method: .get, headers: land)
                .body.readableBytesView))
            #expect(inbox.items.first { $0.id == dossier.id }?.step == "Sở Tài nguyên và Môi trường kiểm tra hồ sơ địa chính")

            // Sent back without a reason: 422 naming the field; with one, it returns to the district's specialist who did the step.
            let noReason = try await client.act(dossier, DossierActionRequest(action: .sendBack, expectedVersion: dossier.version), as: land)
            #expect(noReason.status == .unprocessableContent)
            #expect(problemOf(noReason)?.errors?.map(\.field) == ["comment"])
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .sendBack, expectedVersion: dossier.version, comment: "Sơ đồ thửa đất không khớp bản đồ địa chính"), as: land)))
            #expect(dossier.process?.current == 1)
            #expect(dossier.agencyCode == Self.kienHai)
            #expect(dossier.assignedTo == "minh")
            #expect(dossier.process?.log.last?.reason == "Sơ đồ thửa đất không khớp bản đồ địa chính")

            // Again to the department, and on to the leader's step back home.
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(action: .forward, expectedVersion: dossier.version),
                                                           as: specialist)))
            let atLand = try #require(view(try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: land)))
            #expect(atLand.allowedActions.contains(.forward) && atLand.allowedActions.contains(.sendBack))
            dossier = try #require(view(try await client.act(atLand, DossierActionRequest(action: .forward, expectedVersion: atLand.version,
                                                                                          assignTo: "khoa"), as: land)))
            #expect(dossier.process?.current == 3)
            #expect(dossier.agencyCode == Self.kienHai)

            // A leader's step: the specialist may not hand it on and is not offered it.
            let asSpecialist = try #require(view(try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: specialist)))
            #expect(!asSpecialist.allowedActions.contains(.forward))
            let refused = try await client.act(dossier, DossierActionRequest(action: .forward, expectedVersion: dossier.version), as: specialist)
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("leader"))

            // The signed result takes it to the last step; there is nothing to forward to; handing it over ends the process.
            dossier = try #require(view(try await client.act(dossier, .complete(.markResultReady, version: dossier.version), as: leader)))
            #expect(dossier.process?.current == 4)
            #expect(dossier.process?.log.last?.move == .result)
            // Back to the counter officer who received it, to hand it over.
            #expect(dossier.assignedTo == "hanh")
            let pastTheEnd = try await client.act(dossier, DossierActionRequest(action: .forward, expectedVersion: dossier.version), as: leader)
            #expect(pastTheEnd.status == .conflict)
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(action: .deliver, expectedVersion: dossier.version),
                                                           as: counter)))
            process = try #require(dossier.process)
            #expect(process.isFinished)
            #expect(process.log.map(\.step) == [0, 1, 2, 1, 2, 3, 4])
            #expect(process.log.map(\.move) == [.forward, .forward, .back, .forward, .forward, .result, .done])
        }
    }

    @Test func aSupplementWaitMovesTheStepsDueTimeAndTheApplicantDoesNotSeeTheProcess() async throws {
        let clock = TestClock(LocalDate(year: 2026, month: 3, day: 2)!.instant(minutes: 8 * 60))
        let (app, settings) = try await demoSingleWindow(clock: { clock.now })
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                     body: try body(fixture.request(channel: .online)))))
            #expect(dossier.process == nil, "not received yet")
            dossier = try #require(view(try await client.act(dossier, .complete(.receive, version: dossier.version), as: officer)))
            dossier = try #require(view(try await client.act(dossier, .complete(.startProcessing, version: dossier.version), as: officer)))
            let due = try #require(dossier.process?.dueAt)
            dossier = try #require(view(try await client.act(dossier, .complete(.requestSupplement, version: dossier.version), as: officer)))
            // A working day waiting (Monday 08:00 → Tuesday 08:00) is given back to the step.
            clock.advance(86_400)
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(action: .supplement, expectedVersion: dossier.version),
                                                           as: citizen)))
            #expect(dossier.process == nil, "the applicant sees the status and dates, not the agency's internal steps")
            let asOfficer = try #require(view(try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: officer)))
            #expect(asOfficer.process?.dueAt == WorkingCalendar.vietnam.adding(workingDays: 1, to: due))
        }
    }
}

/// At the counter the officer decides on the spot: an incomplete dossier is asked for what is missing (the clock
/// does not start, and the completed dossier comes back to intake) or refused with the reason; each decision needs
/// what the law asks, or nothing is stored.
@Suite("Counter decisions")
struct CounterDecisionTests {
    @Test func anIncompleteDossierIsAskedForWhatIsMissingAndComesBackToIntakeOnceComplete() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        try await app.test(.router) { client in
            var request = fixture.request(channel: .counter, documents: ["Tờ khai đăng ký kết hôn"])
            // Without a reason or a deadline in the future: 422 naming each, nothing stored.
            request.decision = CounterDecision(kind: .requestSupplement, supplement: SupplementRequirement(documents: ["Giấy tờ tùy thân của hai bên"],
                                                                                                          deadline: LocalDate(Date())))
            let refused = try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(request))
            #expect(refused.status == .unprocessableContent)
            #expect(Set(problemOf(refused)?.errors?.map(\.field) ?? []) == ["decision.reason", "decision.supplement.deadline"])
            let inbox = try JSONDecoder.motcua.decode(InboxPage.self, from: Data(try await client.execute(
                uri: "/v1/inbox?status=1,5", method: .get, headers: officer).body.readableBytesView))
            #expect(inbox.total == 0)

            request.decision = CounterDecision(kind: .requestSupplement, reason: "Thiếu giấy tờ tùy thân",
                                               supplement: SupplementRequirement(documents: ["Giấy tờ tùy thân của hai bên"], deadline: LocalDate(Date()).adding(days: 10)))
            let created = try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(request))
            var dossier = try #require(view(created), "\(created.status) \(String(buffer: created.body))")
            #expect(dossier.status == .supplementRequested)
            #expect(dossier.clock.receivedAt == nil && dossier.clock.dueAt == nil, "the clock does not start")
            #expect(dossier.process == nil)
            #expect(dossier.history.map(\.action) == ["requestSupplement"] && dossier.history.first?.comment == "Thiếu giấy tờ tùy thân")
            // Form 02 prints it.
            let form = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/forms/02", method: .get, headers: officer)
            #expect(form.status == .ok && String(buffer: form.body).contains("Giấy tờ tùy thân của hai bên"))
            // Completed at the counter, it comes back to intake; received, its clock starts then.
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .supplement, expectedVersion: dossier.version, attachments: [Attachment(documentName: "Giấy tờ tùy thân của hai bên", fileId: nil)]),
                as: officer)))
            #expect(dossier.status == .submitted)
            dossier = try #require(view(try await client.act(dossier, .complete(.receive, version: dossier.version), as: officer)))
            #expect(dossier.status == .received && dossier.clock.dueAt != nil && dossier.process?.current == 0)
        }
    }

    @Test func aDossierRefusedAtTheCounterKeepsItsReason() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            var request = fixture.request(channel: .counter, documents: [])
            request.decision = CounterDecision(kind: .refuse)
            let noReason = try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(request))
            #expect(problemOf(noReason)?.errors?.map(\.field) == ["decision.reason"])
            request.decision = CounterDecision(kind: .refuse, reason: "Không thuộc thẩm quyền của xã")
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(request))))
            #expect(dossier.status == .refused && dossier.history.first?.action == "refuse")
            let form = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/forms/03", method: .get, headers: officer)
            #expect(form.status == .ok && String(buffer: form.body).contains("Không thuộc thẩm quyền của xã"))
            // Only an intake at the counter or by post decides on the spot.
            var online = fixture.request(channel: .online)
            online.decision = CounterDecision(kind: .refuse, reason: "x")
            let notHere = try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen, body: try body(online))
            #expect(problemOf(notHere)?.errors?.map(\.field) == ["decision"])
        }
    }
}
