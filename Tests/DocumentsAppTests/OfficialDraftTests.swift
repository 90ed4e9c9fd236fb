import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import NIOCore
@testable import DocumentsApp
import ServiceKit
import ServiceTesting
import Testing

/// An outgoing document composed by an officer, signed by the leader from the sign request it opens, numbered by the
/// clerk and dispatched to the recipients it was drafted for; the late one reminded; and the refusals on the way.
@Suite("Official documents drafted, signed, numbered")
struct OfficialDraftTests {
    static let officer = FilesFixture.officer
    static let leader = SignRequestTests.leader
    static let recipients = ["000.55.02.H33", "000.00.55.H33"]

    @Test func aDraftGoesToItsLeaderIsNumberedOnceSignedAndReachesItsRecipients() async throws {
        let fixture = try await FilesFixture()
        let flows = SignRequestTests()
        try await fixture.app().test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, as identity: Identity, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: try await fixture.headers(identity), body: body.map { ByteBuffer(string: $0) })
            }
            let clerk = Identity(subject: "clerk-ht", roles: [.clerk], agency: try #require(Self.officer.agency))
            _ = try await SignatureTests().issue(client, fixture, for: Self.leader, name: "Chủ tịch UBND xã Hòn Tre")
            let totp = try await flows.enrol(client, fixture)
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "cong-van-di.pdf", as: Self.officer)))
            // Missing fields are named, and nothing is written.
            let empty = try await call(.post, "/v1/official-documents/drafts", as: Self.officer,
                                       #"{"type":"","excerpt":"","symbol":"UBND","signer":"","leader":"","fileIds":[],"recipients":[]}"#)
            #expect(empty.status == .unprocessableContent)
            #expect(Set((problemOf(empty)?.errors ?? []).map(\.field)) == ["type", "excerpt", "signer", "leader", "recipients", "fileIds"])
            let draft = """
                {"type":"Công văn","excerpt":"V/v rà soát thủ tục sau sắp xếp đơn vị hành chính","symbol":"UBND-VP","signer":"Chủ tịch Lê Văn Cường",
                 "leader":"\(Self.leader.subject)","urgency":"urgent","fileIds":["\(file.id)"],"recipients":["\(Self.recipients.joined(separator: "\",\""))"]}
                """
            let created = try await call(.post, "/v1/official-documents/drafts", as: Self.officer, draft)
            #expect(created.status == .created && jsonObject(created)?["state"] as? String == "awaitingSignature")
            let id = try #require(jsonObject(created)?["id"] as? String)
            let request = try #require(jsonObject(created)?["signRequestId"] as? String)
            // Not signed yet: the clerk cannot number it.
            let early = try await call(.post, "/v1/official-documents/drafts/\(id)/number", as: clerk)
            #expect(early.status == .conflict && problemOf(early)?.detail.contains("not signed") == true)
            // The leader's desk has it; approved with the authenticator's next code (the enrolment used this one).
            fixture.clock.advance(60)
            let desk = try await call(.get, "/v1/sign-requests", as: Self.leader)
            #expect((try JSONSerialization.jsonObject(with: Data(desk.body.readableBytesView)) as? [[String: Any]])?.contains { $0["id"] as? String == request } == true)
            let approved = try await call(.post, "/v1/sign-requests/\(request)/approve", as: Self.leader,
                                          #"{"code":"\#(SignRequestTests.digits(totp.compute(date: fixture.clock.now)))"}"#)
            #expect(approved.status == .ok)
            #expect(jsonObject(try await call(.get, "/v1/official-documents/drafts/\(id)", as: clerk))?["state"] as? String == "signed")
            // Numbered by the clerk: the agency's outgoing register's first, with its symbol; the draft is gone.
            let numbered = try await call(.post, "/v1/official-documents/drafts/\(id)/number", as: clerk)
            #expect(numbered.status == .created)
            #expect(jsonObject(numbered)?["symbol"] as? String == "1/UBND-VP" && jsonObject(numbered)?["id"] as? String == id)
            #expect(jsonObject(numbered)?["plannedRecipients"] as? [String] == Self.recipients.sorted())
            #expect(try await call(.get, "/v1/official-documents/drafts/\(id)", as: clerk).status == .notFound)
            #expect(try await call(.post, "/v1/official-documents/drafts/\(id)/number", as: clerk).status == .notFound, "numbered once")
            // Dispatched; one recipient acknowledges, the other is reminded.
            let sent = try await call(.post, "/v1/official-documents/\(id)/dispatch", as: clerk,
                                      #"{"recipients":["\#(Self.recipients.joined(separator: "\",\""))"]}"#)
            let dispatches = try #require(jsonObject(sent)?["dispatches"] as? [[String: Any]])
            #expect(dispatches.count == 2)
            let first = try #require(dispatches.first { $0["recipient"] as? String == Self.recipients[0] })
            let staff = Identity(subject: "officer-ht2", roles: [.officer], agency: Self.recipients[0])
            #expect(try await call(.post, "/v1/dispatches/\(first["id"] as! String)/acknowledge", as: staff).status == .ok)
            let reminded = try await call(.post, "/v1/official-documents/\(id)/remind", as: clerk)
            #expect(reminded.status == .ok)
            let after = try #require(jsonObject(reminded)?["dispatches"] as? [[String: Any]])
            #expect(after.filter { $0["remindedAt"] != nil }.map { $0["recipient"] as? String } == [Self.recipients[1]], "only the late one is reminded")
            let outbox = try await call(.get, "/internal/outbox?status=pending", as: SignatureTests.admin)
            let events = (try JSONSerialization.jsonObject(with: Data(outbox.body.readableBytesView)) as? [[String: Any]]) ?? []
            #expect(events.filter { $0["eventType"] as? String == "document.dispatched" }.count == 3, "two dispatches and one reminder")
            let late = Identity(subject: "officer-kh", roles: [.officer], agency: Self.recipients[1])
            let second = try #require(dispatches.first { $0["recipient"] as? String == Self.recipients[1] })
            #expect(try await call(.post, "/v1/dispatches/\(second["id"] as! String)/acknowledge", as: late).status == .ok)
            let nobody = try await call(.post, "/v1/official-documents/\(id)/remind", as: clerk)
            #expect(nobody.status == .conflict)
        }
    }

    /// A draft its leader refuses says so and is never numbered; an answer to a dispatch the agency did not receive is
    /// refused before anything is written; another agency's draft is not found.
    @Test func aRefusedDraftIsNotNumberedAndAWrongReplyIsRefused() async throws {
        let fixture = try await FilesFixture()
        try await fixture.app().test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, as identity: Identity, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: try await fixture.headers(identity), body: body.map { ByteBuffer(string: $0) })
            }
            let file = try #require(stored(try await fixture.upload(client, FilesFixture.pdf, name: "to-trinh.pdf", as: Self.officer)))
            func draft(replyTo: String? = nil) -> String {
                """
                {"type":"Tờ trình","excerpt":"V/v đề nghị bổ sung biên chế","symbol":"TTr-UBND","signer":"Chủ tịch","leader":"\(Self.leader.subject)",
                 "fileIds":["\(file.id)"],"recipients":["\(Self.recipients[0])"]\(replyTo.map { #","replyTo":"\#($0)""# } ?? "")}
                """
            }
            let wrongReply = try await call(.post, "/v1/official-documents/drafts", as: Self.officer, draft(replyTo: "no-such-dispatch"))
            #expect(wrongReply.status == .unprocessableContent && problemOf(wrongReply)?.errors?.first?.field == "replyTo")
            let listed = try await call(.get, "/v1/official-documents/drafts", as: Self.officer)
            #expect(String(buffer: listed.body) == "[]", "nothing was written")
            let created = try await call(.post, "/v1/official-documents/drafts", as: Self.officer, draft())
            let id = try #require(jsonObject(created)?["id"] as? String)
            let request = try #require(jsonObject(created)?["signRequestId"] as? String)
            let refused = try await call(.post, "/v1/sign-requests/\(request)/refuse", as: Self.leader, #"{"reason":"Chưa đủ căn cứ"}"#)
            #expect(refused.status == .ok)
            #expect(jsonObject(try await call(.get, "/v1/official-documents/drafts/\(id)", as: Self.officer))?["state"] as? String == "declined")
            #expect(try await call(.post, "/v1/official-documents/drafts/\(id)/number", as: Self.officer).status == .conflict)
            let stranger = Identity(subject: "x", roles: [.clerk], agency: "000.99.99.H33")
            #expect(try await call(.get, "/v1/official-documents/drafts/\(id)", as: stranger).status == .notFound)
            #expect(try await call(.post, "/v1/official-documents/drafts/\(id)/number", as: stranger).status == .notFound)
        }
    }
}
