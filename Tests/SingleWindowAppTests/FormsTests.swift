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

@Suite("Circular 01 forms as data")
struct FormsTests {
    @Test func receiptSupplementRequestAndControlSlip() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            let online = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                    body: try body(fixture.request(channel: .online, documents: [
                                                                        "Tờ khai đăng ký kết hôn", "Giấy tờ tùy thân của hai bên",
                                                                        "Giấy xác nhận tình trạng hôn nhân (nếu thường trú nơi khác)",
                                                                    ])))))
            // Not received yet: no receipt slip, and no supplement request.
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/01", method: .get, headers: citizen) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/02", method: .get, headers: officer) { #expect($0.status == .conflict) }
            var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers/\(online.id)/actions", method: .post, headers: officer,
                                                                     body: try body(DossierActionRequest(action: .receive, expectedVersion: online.version)))))
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/01", method: .get, headers: citizen) { response in
                let form = jsonObject(response)
                #expect(form?["title"] as? String == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
                #expect(form?["dossierCode"] as? String == online.code)
                #expect(form?["agencyName"] as? String == "Ủy ban nhân dân xã Hòn Tre")
                #expect(form?["appointmentAt"] as? String == dossier.clock.dueAt.map(VietnamTime.rfc3339Milliseconds))
                #expect((form?["documents"] as? [[String: Any]])?.count == 3)
                #expect(form?["issuedBy"] as? String == "officer-hontre")
            }
            let deadline = LocalDate(Date()).adding(days: 10)
            for action in [DossierAction.startProcessing, .requestSupplement] {
                dossier = try #require(view(try await client.execute(uri: "/v1/dossiers/\(online.id)/actions", method: .post, headers: officer,
                    body: try body(DossierActionRequest(action: action, expectedVersion: dossier.version, comment: "Bản sao giấy xác nhận",
                                                        supplement: SupplementRequirement(documents: ["Bản sao giấy xác nhận"], deadline: deadline))))))
            }
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/02", method: .get, headers: citizen) { response in
                let form = jsonObject(response)
                #expect(form?["reason"] as? String == "Bản sao giấy xác nhận")
                #expect(form?["requestedDocuments"] as? [String] == ["Bản sao giấy xác nhận"])
                #expect(form?["deadline"] as? String == deadline.description)
            }
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/05", method: .get, headers: officer) { response in
                #expect((jsonObject(response)?["steps"] as? [[String: Any]])?.count == 4)
            }
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/03", method: .get, headers: officer) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/07", method: .get, headers: officer) { #expect($0.status == .notFound) }
            let stranger = try await fixture.token(Identity(subject: "someone", roles: [.citizen]))
            try await client.execute(uri: "/v1/dossiers/\(online.id)/forms/01", method: .get, headers: stranger) { #expect($0.status == .notFound) }
        }
    }
}
