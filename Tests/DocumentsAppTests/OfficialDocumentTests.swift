import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import DocumentsApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Official documents between agencies")
struct OfficialDocumentTests {
    static let department = "000.00.14.H33"
    static let communes = ["000.55.01.H33", "000.55.02.H33", "000.55.03.H33"]
    static let clerk = Identity(subject: "clerk-stp", roles: [.officer], agency: department)
    static let director = Identity(subject: "director-stp", roles: [.leader], agency: department)
    static func communeClerk(_ index: Int) -> Identity { Identity(subject: "clerk-\(index)", roles: [.officer], agency: communes[index]) }

    func call(_ client: some TestClientProtocol, _ fixture: FilesFixture, _ method: HTTPRequest.Method, _ uri: String, as identity: Identity,
              _ body: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: try await fixture.headers(identity), body: body.map { ByteBuffer(string: $0) })
    }

    func json(_ response: TestResponse) -> [String: Any]? { jsonObject(response) }
    func array(_ response: TestResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]) ?? []
    }

    @Test func aDepartmentSendsASignedDocumentToThreeCommunesAndEachAcknowledges() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "cong-van.pdf", as: Self.clerk)))
            let create = #"{"type":"Công văn","excerpt":"V/v triển khai dịch vụ công trực tuyến toàn trình","symbol":"STP-HCTP","signer":"Giám đốc Sở","urgency":"urgent","fileIds":["\#(file.id)"]}"#
            let created = try await self.call(client, fixture, .post, "/v1/official-documents", as: Self.clerk, create)
            #expect(created.status == .created)
            let id = try #require(self.json(created)?["id"] as? String)
            #expect(self.json(created)?["symbol"] as? String == "1/STP-HCTP")
            let second = try await self.call(client, fixture, .post, "/v1/official-documents", as: Self.clerk, create)
            #expect(self.json(second)?["number"] as? Int == 2, "the outgoing register counts on")

            let recipients = #"{"recipients":["\#(Self.communes.joined(separator: "\",\""))"]}"#
            let unsigned = try await self.call(client, fixture, .post, "/v1/official-documents/\(id)/dispatch", as: Self.clerk, recipients)
            #expect(unsigned.status == .conflict && problemOf(unsigned)?.detail.contains("not signed") == true)
            _ = try await SignatureTests().issue(client, fixture, for: Self.director, name: "Giám đốc Sở Tư pháp")
            #expect(try await self.call(client, fixture, .post, "/v1/documents/\(file.id)/signatures", as: Self.director).status == .created)
            let sent = try await self.call(client, fixture, .post, "/v1/official-documents/\(id)/dispatch", as: Self.clerk, recipients)
            #expect(sent.status == .ok)
            let dispatches = try #require(self.json(sent)?["dispatches"] as? [[String: Any]])
            #expect(dispatches.map { $0["recipient"] as? String } == Self.communes)
            #expect(dispatches.map { $0["receivedNumber"] as? Int } == [1, 1, 1], "each commune's incoming register numbers it")
            let outbox = try await self.call(client, fixture, .get, "/internal/outbox?status=pending", as: SignatureTests.admin)
            #expect(self.array(outbox).filter { $0["eventType"] as? String == "document.dispatched" }.count == 3)

            for (index, dispatch) in dispatches.enumerated() {
                let clerk = Self.communeClerk(index)
                let register = try await self.call(client, fixture, .get, "/v1/registers/incoming", as: clerk)
                #expect(self.array(register).count == 1)
                #expect(try await self.call(client, fixture, .get, "/v1/files/\(file.id)/content", as: clerk).status == .ok, "the files are shared")
                let acknowledged = try await self.call(client, fixture, .post, "/v1/dispatches/\(dispatch["id"] as! String)/acknowledge", as: clerk)
                #expect(acknowledged.status == .ok)
            }
            let other = try await self.call(client, fixture, .post, "/v1/dispatches/\(dispatches[0]["id"] as! String)/acknowledge", as: Self.communeClerk(1))
            #expect(other.status == .notFound, "one commune cannot acknowledge for another")
            let twice = try await self.call(client, fixture, .post, "/v1/dispatches/\(dispatches[0]["id"] as! String)/acknowledge", as: Self.communeClerk(0))
            #expect(twice.status == .conflict)

            // The commune answers with a document of its own, linked to the dispatch.
            let answerFile = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "tra-loi.pdf", as: Self.communeClerk(0))))
            let reply = try await self.call(client, fixture, .post, "/v1/official-documents", as: Self.communeClerk(0),
                                            #"{"type":"Công văn","excerpt":"V/v báo cáo triển khai","symbol":"UBND","signer":"Chủ tịch","fileIds":["\#(answerFile.id)"],"replyTo":"\#(dispatches[0]["id"] as! String)"}"#)
            #expect(reply.status == .created)
            let seen = try await self.call(client, fixture, .get, "/v1/official-documents/\(id)", as: Self.clerk)
            let final = try #require(self.json(seen)?["dispatches"] as? [[String: Any]])
            #expect(final.allSatisfy { $0["acknowledgedAt"] != nil }, "the sender sees every acknowledgement")
            #expect(final[0]["replyId"] as? String == self.json(reply)?["id"] as? String)
            #expect(try await self.call(client, fixture, .get, "/v1/official-documents/\(id)", as: FilesFixture.citizen).status == .notFound)
            let stranger = Identity(subject: "x", roles: [.officer], agency: "000.99.99.H33")
            #expect(try await self.call(client, fixture, .get, "/v1/official-documents/\(id)", as: stranger).status == .notFound)
            #expect(try await self.call(client, fixture, .get, "/v1/files/\(file.id)/content", as: stranger).status == .notFound)
        }
    }

    @Test func registersAreSearchedByNumberWordsWithoutDiacriticsAgencyAndDate() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, as: Self.clerk)))
            _ = try await SignatureTests().issue(client, fixture, for: Self.director, name: "Giám đốc")
            _ = try await self.call(client, fixture, .post, "/v1/documents/\(file.id)/signatures", as: Self.director)
            for (excerpt, day, recipient) in [("Kế hoạch cải cách hành chính năm 2026", "2026-01-05", Self.communes[0]),
                                              ("Báo cáo kết quả giải quyết hồ sơ quý I", "2026-04-02", Self.communes[1])] {
                let created = try await self.call(client, fixture, .post, "/v1/official-documents", as: Self.clerk,
                                                  #"{"type":"Kế hoạch","excerpt":"\#(excerpt)","symbol":"KH-STP","signer":"Giám đốc","issuedOn":"\#(day)","fileIds":["\#(file.id)"]}"#)
                let id = try #require(self.json(created)?["id"] as? String)
                _ = try await self.call(client, fixture, .post, "/v1/official-documents/\(id)/dispatch", as: Self.clerk, #"{"recipients":["\#(recipient)"]}"#)
            }
            func outgoing(_ query: String) async throws -> [String] {
                self.array(try await self.call(client, fixture, .get, "/v1/registers/outgoing?\(query)", as: Self.clerk)).compactMap { $0["excerpt"] as? String }
            }
            #expect(try await outgoing("q=cai+cach+hanh+chinh") == ["Kế hoạch cải cách hành chính năm 2026"])
            #expect(try await outgoing("number=2") == ["Báo cáo kết quả giải quyết hồ sơ quý I"])
            #expect(try await outgoing("agency=\(Self.communes[1])") == ["Báo cáo kết quả giải quyết hồ sơ quý I"])
            #expect(try await outgoing("from=2026-03-01&to=2026-12-31") == ["Báo cáo kết quả giải quyết hồ sơ quý I"])
            #expect(try await outgoing("q=khong+co").isEmpty)
            let incoming = try await self.call(client, fixture, .get, "/v1/registers/incoming?agency=\(Self.department)&q=bao+cao", as: Self.communeClerk(1))
            #expect(self.array(incoming).count == 1)
            #expect(try await self.call(client, fixture, .get, "/v1/registers/outgoing?from=yesterday", as: Self.clerk).status == .badRequest)
            let missing = try await self.call(client, fixture, .post, "/v1/official-documents", as: Self.clerk, #"{"type":"","excerpt":"","symbol":"","signer":"","fileIds":["nope"]}"#)
            #expect(Set(problemOf(missing)?.errors?.map(\.field) ?? []) == ["type", "excerpt", "symbol", "signer", "fileIds"])
            let noRecipients = try await self.call(client, fixture, .post, "/v1/official-documents/nope/dispatch", as: Self.clerk, #"{"recipients":[]}"#)
            #expect(noRecipients.status == .unprocessableContent)
        }
    }
}
