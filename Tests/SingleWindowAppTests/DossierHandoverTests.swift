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

/// Transfer to another agency, delivery by post, the apology for a late dossier (form 04) and the tracking log (form 06).
@Suite("Dossier transfer, hand-over, apology and tracking log")
struct DossierHandoverTests {

    @Test func aTransferMovesTheDossierToAnAgencyThatTakesPartAndOnlyThere() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let anSonOfficer = try await fixture.token(Identity(subject: "officer-anson", roles: [.officer], agency: KienGiangCodes.anSon))
        try await app.test(.router) { client in
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                     body: try body(fixture.request(channel: .counter)))))
            #expect(dossier.allowedActions.contains(.transfer))
            func transfer(to agency: String?) -> DossierActionRequest {
                DossierActionRequest(action: .transfer, expectedVersion: dossier.version, comment: "Người nộp cư trú tại An Sơn", toAgency: agency)
            }
            // No agency, the same agency, an unknown one, and a provincial department that takes no part: 422, nothing changes.
            for (target, code) in [(nil, "required"), (fixture.hongTre, "agency.same"), ("000.99.99.H33", "agency.unknown"),
                                   ("000.00.01.H33", "agency.wrong")] as [(String?, String)] {
                let refused = try await client.act(dossier, transfer(to: target), as: officer)
                #expect(refused.status == .unprocessableContent)
                #expect(problemOf(refused)?.errors?.first?.code == code)
            }
            let moved = try #require(view(try await client.act(dossier, transfer(to: KienGiangCodes.anSon), as: officer)))
            #expect(moved.agencyCode == KienGiangCodes.anSon)
            #expect(moved.status == .received)
            // The legal clock is the one that started at receipt; the new agency assigns its own officer.
            #expect(moved.clock == dossier.clock)
            #expect(moved.assignedTo == nil)
            #expect(moved.code == dossier.code)
            #expect(moved.history.last?.detail == "\(fixture.hongTre) → \(KienGiangCodes.anSon)")
            // Hòn Tre's officer no longer sees it; An Sơn's officer works on it.
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: officer) { #expect($0.status == .forbidden) }
            let started = try await client.act(moved, DossierActionRequest(action: .startProcessing, expectedVersion: moved.version), as: anSonOfficer)
            #expect(view(started)?.assignedTo == "officer-anson")
        }
    }

    @Test func aResultSentByPostNeedsItsTrackingNumber() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let leader = try await fixture.token(Identity(subject: "chairman", roles: [.leader], agency: fixture.hongTre))
        try await app.test(.router) { client in
            // A marital-status certificate may be sent by post (a marriage certificate may not).
            var byPost = fixture.request("1.004873", channel: .counter, documents: ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"], delivery: .post)
            byPost.delivery.address = "Ấp Bãi Nhà, xã Hòn Tre, huyện Kiên Hải"
            let created = try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(byPost))
            var dossier = try #require(view(created), "\(created.status) \(String(buffer: created.body))")
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(action: .startProcessing, expectedVersion: dossier.version),
                                                           as: officer)))
            dossier = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .markResultReady, expectedVersion: dossier.version,
                result: DossierResult(fileId: "ab12", number: "7/2026/XNHN", signer: "Trần Văn Bình")), as: leader)))
            let noTracking = try await client.act(dossier, DossierActionRequest(action: .deliver, expectedVersion: dossier.version), as: officer)
            #expect(noTracking.status == .unprocessableContent)
            #expect(problemOf(noTracking)?.errors?.map(\.field) == ["handover.trackingNumber"])
            let sent = try #require(view(try await client.act(dossier, DossierActionRequest(
                action: .deliver, expectedVersion: dossier.version, handover: Handover(method: .post, trackingNumber: "EE123456789VN")), as: officer)))
            #expect(sent.handover?.trackingNumber == "EE123456789VN")
            #expect(sent.history.last?.detail == "Số vận đơn EE123456789VN")
        }
    }

    @Test func anApologySetsANewAppointmentShownOnFormFourTheLookUpAndTheLog() async throws {
        let clock = TestClock()
        let (app, settings) = try await demoSingleWindow(clock: { clock.now })
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let leader = try await fixture.token(Identity(subject: "leader-hontre", roles: [.leader], agency: fixture.hongTre))
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            let submitted = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                       body: try body(fixture.request(channel: .online)))))
            func apologise(_ dossier: DossierView, _ reason: String, _ date: LocalDate, as headers: HTTPFields? = nil) async throws -> TestResponse {
                try await client.execute(uri: "/v1/dossiers/\(dossier.id)/apology", method: .post, headers: headers ?? leader,
                                         body: try body(ApologyRequest(reason: reason, newAppointment: date, expectedVersion: dossier.version)))
            }
            // Not received yet: there is no appointment to move.
            #expect(try await apologise(submitted, "Chậm", LocalDate(Date()).adding(days: 30)).status == .conflict)
            let dossier = try #require(view(try await client.act(submitted, DossierActionRequest(action: .receive, expectedVersion: submitted.version),
                                                               as: officer)))
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)/forms/04", method: .get, headers: officer) { #expect($0.status == .conflict) }
            let due = LocalDate(try #require(dossier.clock.dueAt))
            let bad = try await apologise(dossier, " ", due)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(problemOf(bad)?.errors?.map(\.field) ?? []) == ["reason", "newAppointment"])
            let stranger = try await fixture.token(Identity(subject: "someone", roles: [.citizen]))
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)/apology", method: .post, headers: stranger,
                                     body: try body(ApologyRequest(reason: "x", newAppointment: due.adding(days: 5), expectedVersion: dossier.version))) {
                #expect($0.status == .notFound)
            }
            // The deadline passes; the agency apologises and promises a later day.
            clock.set(try #require(dossier.clock.dueAt).addingTimeInterval(2 * 3600))
            let newDate = due.adding(days: 5)
            // The officer may not issue it: the leader approves the letter and its date.
            #expect(try await apologise(dossier, "Chờ ý kiến của Sở Tư pháp", newDate, as: officer).status == .forbidden)
            let apologised = try #require(view(try await apologise(dossier, "Chờ ý kiến của Sở Tư pháp", newDate)))
            #expect(apologised.apology?.newAppointment == newDate)
            #expect(apologised.history.last?.action == "apologize")
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)/forms/04", method: .get, headers: citizen) { response in
                let form = jsonObject(response)
                #expect(form?["title"] as? String == "Phiếu xin lỗi và hẹn lại ngày trả kết quả")
                #expect(form?["reason"] as? String == "Chờ ý kiến của Sở Tư pháp")
                #expect(form?["newAppointment"] as? String == newDate.description)
                #expect(form?["issuedBy"] as? String == "leader-hontre")
            }
            try await client.execute(uri: "/v1/lookup/\(dossier.code)?phone=5678", method: .get) { response in
                #expect(jsonObject(response)?["newAppointment"] as? String == newDate.description)
            }
            // The tracking log of the day of receipt lists it with the new appointment; other agencies' staff may not read it.
            let day = LocalDate(try #require(dossier.clock.receivedAt))
            try await client.execute(uri: "/v1/agencies/\(fixture.hongTre)/forms/06?from=\(day)&to=\(day)", method: .get, headers: officer) { response in
                #expect(response.status == .ok)
                let log = jsonObject(response)
                #expect(log?["total"] as? Int == 1)
                let line = (log?["lines"] as? [[String: Any]])?.first
                #expect(line?["dossierCode"] as? String == dossier.code)
                #expect(line?["newAppointment"] as? String == newDate.description)
                #expect(line?["number"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/agencies/\(fixture.hongTre)/forms/06?from=\(day.adding(days: 1))&to=\(day.adding(days: 1))", method: .get,
                                     headers: officer) { #expect(jsonObject($0)?["total"] as? Int == 0) }
            try await client.execute(uri: "/v1/agencies/\(fixture.hongTre)/forms/06?from=\(day)&to=\(day.adding(days: -1))", method: .get,
                                     headers: officer) { #expect($0.status == .badRequest) }
            let anSonOfficer = try await fixture.token(Identity(subject: "officer-anson", roles: [.officer], agency: KienGiangCodes.anSon))
            try await client.execute(uri: "/v1/agencies/\(fixture.hongTre)/forms/06", method: .get, headers: anSonOfficer) { #expect($0.status == .forbidden) }
        }
    }
}
