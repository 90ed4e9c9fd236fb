import Contracts
import DomainKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PortalApp
import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

/// Single-window asks the portal, which keeps the accounts, who is on an agency's staff: a dossier is assigned or
/// handed on only to one of its people, a result sent for signing only to one of its leaders, whatever a page or a
/// script sends; when the portal cannot say, nothing changes and the answer says so.
@Suite("Single-window: people named must be on the agency's staff")
struct StaffChecksTests {
    /// Permanent residence at Hòn Tre, handed in complete at the counter.
    static let walkIn = SubmitDossierRequest(
        procedureCode: "1.004194", agencyCode: "000.55.01.H33", channel: .counter,
        applicant: Applicant(fullName: "Đinh Văn Tùng", citizenId: "091195000461", phone: "0913 222 666", address: "Xã Hòn Tre"),
        attachments: ["Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "Giấy tờ chứng minh chỗ ở hợp pháp"].map { Attachment(documentName: $0, fileId: nil) },
        delivery: .init(method: .counter))

    @Test func aDossierGoesOnlyToSomeoneOfItsAgencyAndAResultOnlyToOneOfItsLeaders() async throws {
        let portalSettings = ServiceSettings.testing(name: "portal", environment: ["BCRYPT_COST": "4", "DEMO_DATA": "1"])
        try await buildPortalApplication(portalSettings).test(.live) { portal in
            var settings = try await trusting(ServiceSettings.testing(name: "single-window", environment: [
                "DEMO_DATA": "handwritten", "DOCUMENTS_CHECKS": "off", "STAFF_CHECKS": "on"]), tokensOf: portalSettings)
            settings.fixedServiceURLs = [Topology.portal: "http://127.0.0.1:\(try #require(portal.port))"]
            func account(_ phone: String) async throws -> (id: String, headers: HTTPFields) {
                let token = try await portal.execute(uri: "/api/v1/token", method: .post, headers: [.contentType: "application/json"],
                                                     body: ByteBuffer(string: #"{"grantType":"password","phone":"\#(phone)","password":"demo1234"}"#)) {
                    try JSONDecoder.motcua.decode(TokenResponse.self, from: Data($0.body.readableBytesView)).accessToken
                }
                let id = try await portal.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    try JSONDecoder.motcua.decode(AccountView.self, from: Data($0.body.readableBytesView)).id
                }
                return (id, [.authorization: "Bearer \(token)", .contentType: "application/json"])
            }
            let counter = try await account("0911000001"), specialist = try await account("0911000004"), chairman = try await account("0911000002")
            let district = try await account("0911000005")
            try await buildSingleWindowApplication(settings).test(.router) { client in
                var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: counter.headers,
                                                                         body: try body(Self.walkIn))))
                func act(_ action: DossierActionRequest, as who: HTTPFields) async throws -> TestResponse {
                    try await client.execute(uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: who, body: try body(action))
                }
                // Handed to the district's officer, or to someone who does not exist: 422 on assignTo, nothing changed.
                for stranger in [district.id, "no-such-account"] {
                    let refused = try await act(DossierActionRequest(action: .startProcessing, expectedVersion: dossier.version, assignTo: stranger), as: counter.headers)
                    #expect(refused.status == .unprocessableContent && problemOf(refused)?.errors?.first?.code == "assignee.not-staff")
                }
                let assign = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/assign", method: .post, headers: counter.headers,
                                                      body: try body(AssignRequest(officer: district.id, expectedVersion: dossier.version)))
                #expect(problemOf(assign)?.errors?.map(\.field) == ["officer"])
                // To the commune's specialist: handed on.
                dossier = try #require(view(try await act(DossierActionRequest(action: .startProcessing, expectedVersion: dossier.version,
                                                                               assignTo: specialist.id), as: counter.headers)))
                // Version 2: the refusals before changed nothing.
                #expect(dossier.assignedTo == specialist.id && dossier.version == 2)
                // A result for signing by an officer who is not a leader: refused; by the chairman: filed.
                func draft(_ leader: String) async throws -> TestResponse {
                    try await client.execute(uri: "/v1/dossiers/\(dossier.id)/result-draft", method: .post, headers: specialist.headers,
                                             body: try body(ResultDraftRequest(fileId: "f-1", number: "3/2026/XNCT", signer: "Chủ tịch UBND xã Hòn Tre",
                                                                               leader: leader, expectedVersion: dossier.version)))
                }
                let notLeader = try await draft(counter.id)
                #expect(problemOf(notLeader)?.errors?.map { "\($0.field) \($0.code)" } == ["leader assignee.role"])
                #expect(view(try await draft(chairman.id))?.resultDraft?.leader == chairman.id)
            }
        }
    }

    @Test func whenThePortalCannotSayNothingChanges() async throws {
        var settings = try await trustingTestTokens(ServiceSettings.testing(name: "single-window", environment: [
            "DEMO_DATA": "handwritten", "DOCUMENTS_CHECKS": "off", "STAFF_CHECKS": "on"]))
        settings.fixedServiceURLs = [Topology.portal: "http://127.0.0.1:9"]
        let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
        let officer: HTTPFields = [.authorization: "Bearer \(try await issuer.token(for: Identity(subject: "o-1", roles: [.officer], agency: "000.55.01.H33")))",
                                   .contentType: "application/json"]
        try await buildSingleWindowApplication(settings).test(.router) { client in
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(Self.walkIn))))
            let refused = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: officer,
                                                   body: try body(DossierActionRequest(action: .startProcessing, expectedVersion: dossier.version, assignTo: "o-2")))
            #expect(refused.status == .serviceUnavailable && String(buffer: refused.body).contains("nothing changed"))
            // Without naming anyone it goes on: the check is for the people named.
            let started = try await client.execute(uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: officer,
                                                   body: try body(DossierActionRequest(action: .startProcessing, expectedVersion: dossier.version)))
            #expect(view(started)?.version == dossier.version + 1)
        }
    }
}

private func body(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(bytes: try JSONEncoder.motcua.encode(value)) }
private func view(_ response: TestResponse) -> DossierView? { try? JSONDecoder.motcua.decode(DossierView.self, from: Data(response.body.readableBytesView)) }
