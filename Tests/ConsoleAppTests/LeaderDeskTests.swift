import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import HummingbirdOTP
import HummingbirdTesting
import NIOCore
import ServiceKit
import ServiceTesting
import Testing

/// The leader's desk: what waits for their signature, read, then signed with the authenticator's code; a wrong code
/// is said beside the field and signs nothing, a refusal needs its reason.
@Suite("Leader's desk")
struct LeaderDeskTests {
    /// Hòn Tre's chairman with a signing certificate and a confirmed authenticator: the account, its API headers, and
    /// the authenticator's code at an offset from now (the code that confirmed the enrolment is used up).
    static func enrolledLeader(_ platform: ConsolePlatform) async throws
        -> (leader: (id: String, token: String), headers: HTTPFields, code: @Sendable (TimeInterval) -> String) {
        let leader = try await platform.account(phone: "0911000002")
        let headers: HTTPFields = [.authorization: "Bearer \(leader.token)", .contentType: "application/json"]
        let admin = try await platform.headers(Identity(subject: "admin", roles: [.admin]))
        _ = try await platform.documents.execute(uri: "/v1/pki/certificates", method: .post, headers: admin,
                                                 body: ByteBuffer(string: #"{"subject":"\#(leader.id)","name":"Chủ tịch UBND xã Hòn Tre"}"#))
        let enrolment = try await platform.documents.execute(uri: "/v1/otp/enrolment", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
        let url = try #require(jsonObject(enrolment)?["authenticatorURL"] as? String)
        let totp = TOTP(secret: try #require(authenticatorSecret(url)))
        let code: @Sendable (TimeInterval) -> String = { String(format: "%06d", totp.compute(date: Date().addingTimeInterval($0))) }
        _ = try await platform.documents.execute(uri: "/v1/otp/enrolment/confirm", method: .post, headers: headers,
                                                 body: ByteBuffer(string: #"{"code":"\#(code(0))"}"#))
        return (leader, headers, code)
    }

    @Test func aLeaderReadsAndSignsWithTheAuthenticatorCode() async throws {
        try await ConsolePlatform.run { platform in
            let (leader, leaderHeaders, code) = try await Self.enrolledLeader(platform)
            let officer = try await platform.headers(Identity(subject: "officer-hontre", roles: [.officer], agency: ConsolePlatform.honTre))
            let file = try await platform.documents.execute(uri: "/v1/files?name=giay-xac-nhan.pdf", method: .post, headers: officer,
                                                            body: ByteBuffer(string: "%PDF-1.7\nGiay xac nhan so 7\n%%EOF\n")) {
                try #require(jsonObject($0)?["id"] as? String)
            }
            let asked = try await platform.documents.execute(uri: "/v1/sign-requests", method: .post, headers: officer,
                                                             body: ByteBuffer(string: #"{"documentId":"\#(file)","signer":"\#(leader.id)","reason":"Giấy xác nhận số 7/2026"}"#)) {
                try #require(jsonObject($0)?["id"] as? String)
            }

            try await platform.signIn(phone: "0911000002")
            let desk = try await platform.browser.get("/desk")
            #expect(desk.status == .ok && desk.html.contains("Giấy xác nhận số 7/2026"))
            #expect(desk.html.contains(#"autocomplete="one-time-code""#))
            let document = try await platform.browser.get("/desk/\(asked)/document")
            #expect(document.status == .ok && document.html.contains("Giay xac nhan so 7"))
            // A wrong code: beside the field, with the tries left; nothing signed.
            let wrong = try await platform.browser.post("/desk/\(asked)/approve", ["code-\(asked)": "000000"], from: desk)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.error("code-\(asked)")?.contains("Mã xác thực không đúng") == true)
            // A refusal without a reason is refused the same way.
            let noReason = try await platform.browser.post("/desk/\(asked)/refuse", ["reason-\(asked)": " "], from: desk)
            #expect(noReason.status == .unprocessableContent && noReason.error("reason-\(asked)") == "Cần nêu lý do từ chối ký.")
            let state = try await platform.documents.execute(uri: "/v1/sign-requests/\(asked)", method: .get, headers: leaderHeaders) {
                jsonObject($0)?["state"] as? String
            }
            #expect(state == "pending")
            // The right code signs; the desk is empty and says so.
            let signed = try await platform.browser.post("/desk/\(asked)/approve", ["code-\(asked)": code(30)], from: desk)
            #expect(signed.status == .seeOther && signed.location == "/desk?signed=1")
            let after = try await platform.browser.get("/desk?signed=1")
            #expect(after.html.contains("Đã ký.") && after.html.contains("Không có văn bản nào chờ bạn ký."))
            let signatures = try await platform.documents.execute(uri: "/v1/documents/\(file)/signatures", method: .get, headers: leaderHeaders) {
                (try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [Any])?.count
            }
            #expect(signatures == 1)
        }
    }

    /// Three requests wait; the leader ticks two and signs them with one code. A wrong code signs neither, an
    /// untick-everything post signs nothing, and the third stays waiting.
    @Test func aLeaderSignsSeveralWithOneCode() async throws {
        try await ConsolePlatform.run { platform in
            let (leader, leaderHeaders, code) = try await Self.enrolledLeader(platform)
            let officer = try await platform.headers(Identity(subject: "officer-hontre", roles: [.officer], agency: ConsolePlatform.honTre))
            var requests: [(file: String, request: String)] = []
            for number in 1...3 {
                let file = try await platform.documents.execute(uri: "/v1/files?name=xac-nhan-\(number).pdf", method: .post, headers: officer,
                                                                body: ByteBuffer(string: "%PDF-1.7\nGiay xac nhan so \(number)\n%%EOF\n")) {
                    try #require(jsonObject($0)?["id"] as? String)
                }
                let asked = try await platform.documents.execute(uri: "/v1/sign-requests", method: .post, headers: officer, body: ByteBuffer(
                    string: #"{"documentId":"\#(file)","signer":"\#(leader.id)","reason":"Giấy xác nhận số \#(number)/2026"}"#)) {
                    try #require(jsonObject($0)?["id"] as? String)
                }
                requests.append((file, asked))
            }
            func signatures(_ file: String) async throws -> Int? {
                try await platform.documents.execute(uri: "/v1/documents/\(file)/signatures", method: .get, headers: leaderHeaders) {
                    (try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [Any])?.count
                }
            }
            try await platform.signIn(phone: "0911000002")
            let desk = try await platform.browser.get("/desk")
            #expect(desk.html.contains(#"action="/desk/approve""#) && desk.html.contains(#"name="pick-\#(requests[0].request)""#))
            let ticked = ["pick-\(requests[0].request)": "1", "pick-\(requests[1].request)": "1"]
            let none = try await platform.browser.post("/desk/approve", ["code-several": code(30)], from: desk)
            #expect(none.status == .unprocessableContent && none.html.contains("Chưa chọn văn bản nào."))
            let wrong = try await platform.browser.post("/desk/approve", ticked.merging(["code-several": "000000"]) { $1 }, from: desk)
            #expect(wrong.status == .unprocessableContent && wrong.error("code-several")?.contains("Mã xác thực không đúng") == true)
            #expect(try await signatures(requests[0].file) == 0)
            let signed = try await platform.browser.post("/desk/approve", ticked.merging(["code-several": code(30)]) { $1 }, from: desk)
            #expect(signed.status == .seeOther && signed.location == "/desk?signed=2")
            var counts: [Int?] = []
            for request in requests { counts.append(try await signatures(request.file)) }
            #expect(counts == [1, 1, 0])
            let after = try await platform.browser.get("/desk?signed=2")
            #expect(after.html.contains("Đã ký 2 văn bản.") && after.html.contains("Giấy xác nhận số 3/2026"))
            // One request left: no form for several.
            #expect(!after.html.contains(#"action="/desk/approve""#))
        }
    }

    /// A leader ticks dossiers in a queue and hands them to one of their staff (in the background, `BulkAssignmentTests`);
    /// the queue then names the assignee, and someone outside the agency cannot be picked.
    @Test func aLeaderAssignsSeveralDossiersAtOnce() async throws {
        try await ConsolePlatform.run { platform in
            let first = try await platform.onlineDossier(applicant: "Phan Văn Một")
            let second = try await platform.onlineDossier(applicant: "Phan Văn Hai")
            let officer = try await platform.account(phone: ConsolePlatform.officerPhone)
            // An officer takes dossiers for themselves; the bulk controls are the leader's.
            try await platform.signIn()
            #expect(!(try await platform.browser.get("/queues/online").html.contains(#"id="bulk""#)))
            let signedIn = try await platform.browser.get("/queues/online")
            _ = try await platform.browser.post("/logout", [:], from: signedIn)

            try await platform.signIn(phone: "0911000002")
            let queue = try await platform.browser.get("/queues/online")
            #expect(queue.html.contains(#"id="bulk""#) && queue.html.contains(#"<option value="\#(officer.id)">"#))
            let stranger = try await platform.browser.post("/queues/online/assign", ["pick-\(first.id)": "1", "officer": "someone-else"], from: queue)
            #expect(stranger.html.contains("không thuộc cơ quan của bạn"))
            #expect(try await platform.dossier(first.id).assignedTo == nil)
            let none = try await platform.browser.post("/queues/online/assign", ["officer": officer.id], from: queue)
            #expect(none.html.contains("Chưa chọn hồ sơ nào"))
            let started = try await platform.browser.post("/queues/online/assign", ["pick-\(first.id)": "1", "pick-\(second.id)": "1", "officer": officer.id],
                                                         from: queue)
            let progress = try await BulkAssignmentTests.finished(platform.browser, try #require(started.location))
            #expect(progress.html.contains("Xong: đã giao 2 trên 2 hồ sơ."))
            let assigned = try await platform.browser.get("/queues/online")
            #expect(try await platform.dossier(first.id).assignedTo == officer.id)
            #expect(try await platform.dossier(second.id).assignedTo == officer.id)
            // The queue names the assignee, not an account id.
            #expect(assigned.html.contains("Trần Thị Bích (cán bộ một cửa xã Hòn Tre)</td>") && !assigned.html.contains(">\(officer.id)<"))
        }
    }

    /// A late dossier: the leader issues the letter of apology with a new date (the officer cannot), a missing reason is
    /// said beside its field, and the letter (form 04) is there to print.
    @Test func aLeaderApologisesWithANewAppointment() async throws {
        try await ConsolePlatform.run { platform in
            let submitted = try await platform.onlineDossier()
            let officer = try await platform.headers(Identity(subject: "officer-hontre", roles: [.officer], agency: ConsolePlatform.honTre))
            let received = try await platform.singleWindow.execute(
                uri: "/v1/dossiers/\(submitted.id)/actions", method: .post, headers: officer,
                body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(DossierActionRequest(action: .receive, expectedVersion: submitted.version)))
            ) { try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView)) }
            try await platform.signIn()
            #expect(!(try await platform.browser.get("/dossiers/\(received.id)").html.contains("/apology")))
            let page = try await platform.browser.get("/dossiers/\(received.id)")
            _ = try await platform.browser.post("/logout", [:], from: page)

            try await platform.signIn(phone: "0911000002")
            let leaderPage = try await platform.browser.get("/dossiers/\(received.id)")
            #expect(leaderPage.html.contains(#"action="/dossiers/\#(received.id)/apology""#))
            let newDate = LocalDate(try #require(received.clock.dueAt)).adding(days: 7)
            let missing = try await platform.browser.post("/dossiers/\(received.id)/apology", [
                "version": String(received.version), "apology-reason": " ", "apology-newAppointment": newDate.description,
            ], from: leaderPage)
            #expect(missing.status == .unprocessableContent && missing.error("apology-reason") == "Cần nêu lý do chậm trễ.")
            #expect(try await platform.dossier(received.id).apology == nil)
            let sent = try await platform.browser.post("/dossiers/\(received.id)/apology", [
                "version": String(received.version), "apology-reason": "Chờ ý kiến của Công an huyện", "apology-newAppointment": newDate.description,
            ], from: leaderPage)
            #expect(sent.location == "/dossiers/\(received.id)?apologised=1")
            #expect(try await platform.dossier(received.id).apology?.newAppointment == newDate)
            let after = try await platform.browser.get(try #require(sent.location))
            #expect(after.html.contains("Đã gửi phiếu xin lỗi") && after.html.contains("/dossiers/\(received.id)/print/04"))
        }
    }
}
