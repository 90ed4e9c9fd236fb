import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import ServiceTesting
import Testing

/// The staff console as officers use it: sign-in with the portal's accounts, the queues with their counts, the
/// dossier page and its actions, with single-window deciding what each officer may see and do.
@Suite("Staff console")
struct ConsoleTests {
    @Test func anOfficerSignsInAndLandsOnTheQueueWithCountsAndNoOneElseGetsIn() async throws {
        try await ConsolePlatform.run { platform in
            // Not signed in: every page sends to the sign-in form, which comes back to the page after.
            let before = try await platform.browser.get("/queues/online")
            #expect(before.status == .seeOther && before.location == "/login?next=%2Fqueues%2Fonline")
            // A wrong password: said next to the field, nobody signed in.
            let wrong = try await platform.signIn(password: "wrong-password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.error("password") == "Số điện thoại hoặc mật khẩu không đúng.")
            #expect(platform.browser.cookie("motcua_staff") == nil)
            // A citizen's account is sent to the portal.
            let citizen = try await platform.signIn(phone: "0912345678")
            #expect(citizen.status == .forbidden && citizen.html.contains("không phải tài khoản cán bộ"))
            #expect(platform.browser.cookie("motcua_staff") == nil)
            // A forged form (no CSRF field matching the cookie) signs no one in.
            let forged = try await platform.browser.post("/login", ["phone": ConsolePlatform.officerPhone, "password": ConsolePlatform.password],
                                                         csrf: "forged")
            #expect(forged.status == .forbidden && platform.browser.cookie("motcua_staff") == nil)

            let dossier = try await platform.onlineDossier()
            let signedIn = try await platform.signIn()
            #expect(signedIn.status == .seeOther)
            let home = try await platform.browser.get("/")
            #expect(home.location == "/queues/received")
            let online = try await platform.browser.get("/queues/online")
            #expect(online.status == .ok)
            // The navigation counts the queue, the row links the dossier, the frame names who is signed in.
            #expect(online.capture(#"href="/queues/online" aria-current="page"[^>]*>Trực tuyến chờ tiếp nhận <span class="count">(\d+)</span>"#) == "1")
            #expect(online.html.contains(#"href="/dossiers/\#(dossier.id)?queue=online""#) && online.html.contains(dossier.code))
            // Opened from the queue, the dossier page leads to its neighbours in it (n / p).
            let other = try await platform.onlineDossier(applicant: "Lâm Thị Hoa")
            let opened = try await platform.browser.get("/dossiers/\(dossier.id)?queue=online")
            #expect(opened.html.contains("1 / 2") && opened.html.contains(#"href="/dossiers/\#(other.id)?queue=online" rel="next""#))
            // Its history names the channel it came by in words, not by the service's code.
            #expect(opened.html.contains("<td>Mới đăng ký</td><td>Trực tuyến</td></tr>") && !opened.html.contains("<td>online</td>"))
            #expect(!opened.html.contains(#"rel="prev""#))
            let then = try await platform.browser.get("/dossiers/\(other.id)?queue=online")
            #expect(then.html.contains("2 / 2") && then.html.contains(#"href="/dossiers/\#(dossier.id)?queue=online" rel="prev""#))
            #expect(online.html.contains("Trần Thị Bích (cán bộ một cửa xã Hòn Tre)"))
            #expect(online.headers[.cacheControl] == "no-store")
            #expect(online.html.contains(#"<dialog id="help""#) && online.html.contains("<kbd>j / k</kbd>"))
            // Found by the name typed without diacritics; another name finds nothing; the list downloads as CSV.
            let found = try await platform.browser.get("/queues/online?q=tran+thi+bich")
            #expect(found.html.contains(dossier.code) && found.value("q") == "tran thi bich")
            #expect(!(try await platform.browser.get("/queues/online?q=nguyen+van+khang").html.contains(dossier.code)))
            #expect(try await platform.browser.get("/queues/online?channel=fax").status == .badRequest)
            let csv = try await platform.browser.get("/queues/online/export?q=bich")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.hasPrefix("\u{FEFF}") && csv.html.contains(dossier.code) && csv.html.contains("Trần Thị Bích"))
            // In English when asked.
            _ = try await platform.browser.get("/language/en?next=%2Fqueues%2Fonline")
            #expect(try await platform.browser.get("/queues/online").html.contains("Online, awaiting intake"))
            // Signing out ends the session: the queue asks for sign-in again.
            _ = try await platform.browser.post("/logout", [:], from: online)
            #expect(try await platform.browser.get("/queues/online").status == .seeOther)
        }
    }

    /// The filters past the search: the step a dossier is at (offered with how many are there), its sector, who has
    /// it; a queue that fixes one (the statuses of "in progress", the assignee of "assigned to me") does not offer it.
    @Test func theQueueIsFilteredByStepSectorAndAssignee() async throws {
        try await ConsolePlatform.run { platform in
            let waiting = try await platform.onlineDossier(applicant: "Phan Văn Chờ")
            let moving = try await platform.onlineDossier(applicant: "Phan Văn Đi")
            let staff = try await platform.headers(Identity(subject: "officer-hontre", roles: [.officer], agency: ConsolePlatform.honTre))
            func act(_ dossier: DossierView, _ request: DossierActionRequest) async throws -> DossierView {
                try await platform.singleWindow.execute(uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: staff,
                                                        body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(request))) {
                    try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView))
                }
            }
            let first = try await act(waiting, DossierActionRequest(action: .receive, expectedVersion: waiting.version))
            var second = try await act(moving, DossierActionRequest(action: .receive, expectedVersion: moving.version))
            second = try await act(second, DossierActionRequest(action: .startProcessing, expectedVersion: second.version, assignTo: "officer-hontre"))
            let steps = try #require(second.process?.steps.map(\.title))
            try await platform.signIn()
            let queue = try await platform.browser.get("/queues/received")
            #expect(queue.html.contains(#"<option value="\#(steps[0])">\#(steps[0]) (1)</option>"#))
            #expect(queue.html.contains(#"<option value="\#(steps[1])">\#(steps[1]) (1)</option>"#))
            #expect(queue.html.contains(#"<select id="f-sector" name="sector">"#) && queue.html.contains(#"<option value="none">Chưa giao</option>"#))
            #expect(!queue.html.contains(#"name="status""#), "the queue fixes the statuses")
            let atStep = try await platform.browser.get("/queues/received?step=" + FormEncoding.encode(steps[1]))
            #expect(atStep.html.contains(second.code) && !atStep.html.contains(first.code))
            #expect(atStep.html.contains(#"<option value="\#(steps[1])" selected>"#))
            let sector = try await platform.browser.get("/queues/received?sector=" + FormEncoding.encode("Đất đai"))
            #expect(!sector.html.contains(first.code) && !sector.html.contains(second.code))
            let mine = try await platform.browser.get("/queues/mine?assignedTo=none")
            #expect(!mine.html.contains(#"name="assignedTo""#) && mine.html.contains(#"<select id="f-status" name="status">"#))
        }
    }

    /// A column's heading sorts the queue by it, and again the other way round, keeping the filters; the order in
    /// force is marked for screen readers (aria-sort) and by an arrow.
    @Test func aColumnsHeadingSortsTheQueueKeepingItsFilters() async throws {
        try await ConsolePlatform.run { platform in
            let older = try await platform.onlineDossier(applicant: "Phan Văn Trước")
            let newer = try await platform.onlineDossier(applicant: "Phan Văn Sau")
            try await platform.signIn()
            let queue = try await platform.browser.get("/queues/online?q=phan")
            #expect(queue.html.contains(#"<th scope="col" class="col-due" aria-sort="ascending"><a href="/queues/online?q=phan&amp;sort=-due""#))
            #expect(queue.html.contains(#"<a href="/queues/online?q=phan&amp;sort=submitted""#))
            let newestFirst = try await platform.browser.get("/queues/online?q=phan&sort=-submitted")
            let (first, second) = (try #require(newestFirst.html.range(of: newer.code)), try #require(newestFirst.html.range(of: older.code)))
            #expect(first.lowerBound < second.lowerBound)
            #expect(newestFirst.html.contains(#"aria-sort="descending"><a href="/queues/online?q=phan&amp;sort=submitted""#))
            // The filter form keeps the order when the filters change.
            #expect(newestFirst.html.contains(#"<input type="hidden" name="sort" value="-submitted">"#))
            let oldestFirst = try await platform.browser.get("/queues/online?q=phan&sort=submitted")
            #expect(try #require(oldestFirst.html.range(of: older.code)).lowerBound < (try #require(oldestFirst.html.range(of: newer.code))).lowerBound)
            #expect(try await platform.browser.get("/queues/online?sort=sideways").status == .badRequest)
        }
    }

    /// The settled dossiers have a queue of their own, the newest first, with no count to chase and no bulk controls;
    /// its headings sort it the other way, and open dossiers are not in it.
    @Test func settledDossiersAreListedNewestFirst() async throws {
        try await ConsolePlatform.run { platform in
            let staff = try await platform.headers(Identity(subject: "officer-hontre", roles: [.officer], agency: ConsolePlatform.honTre))
            var refused: [DossierView] = []
            for name in ["Phan Văn Cũ", "Phan Văn Mới"] {
                let dossier = try await platform.onlineDossier(applicant: name)
                refused.append(try await platform.singleWindow.execute(
                    uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: staff,
                    body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(DossierActionRequest(action: .refuse, expectedVersion: dossier.version,
                                                                                                comment: "Không thuộc thẩm quyền")))) {
                    try JSONDecoder.motcua.decode(DossierView.self, from: Data($0.body.readableBytesView))
                })
            }
            let open = try await platform.onlineDossier(applicant: "Phan Văn Mở")
            try await platform.signIn(phone: "0911000002")
            let done = try await platform.browser.get("/queues/done")
            #expect(done.status == .ok && done.html.contains("Đã giải quyết") && !done.html.contains(open.code))
            let (newer, older) = (try #require(done.html.range(of: refused[1].code)), try #require(done.html.range(of: refused[0].code)))
            #expect(newer.lowerBound < older.lowerBound, "the newest first")
            #expect(!done.html.contains(#"id="bulk""#) && !done.html.contains(#"name="status""#))
            #expect(done.html.contains(#"aria-sort="descending"><a href="/queues/done?sort=submitted""#))
            #expect(!done.html.contains("Quá hạn 0") && !done.html.contains("ngày làm việc</span>"))
            // In the navigation under Alt+9, without a count.
            #expect(done.html.contains(#"href="/queues/done" aria-current="page" aria-keyshortcuts="Alt+9">Đã giải quyết</a>"#))
            let oldest = try await platform.browser.get("/queues/done?sort=submitted")
            #expect(try #require(oldest.html.range(of: refused[0].code)).lowerBound < (try #require(oldest.html.range(of: refused[1].code))).lowerBound)
        }
    }

    @Test func anOfficerReceivesADossierAndARefusedActionChangesNothing() async throws {
        try await ConsolePlatform.run { platform in
            let submitted = try await platform.onlineDossier(applicant: "<script>alert(1)</script> Lê Văn Tâm")
            try await platform.signIn()
            let page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(page.status == .ok)
            // What the applicant typed is shown as text, never as markup.
            #expect(!page.html.contains("<script>alert(1)</script>"))
            #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Lê Văn Tâm"))
            // Only the actions single-window allows now are offered.
            #expect(page.html.contains(#"name="action" value="receive""#))
            #expect(!page.html.contains(#"name="action" value="deliver""#))
            // A refusal without its reason (the law asks for one): refused beside the field, the dossier unchanged.
            let refused = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "refuse", "version": String(submitted.version), "refuse-comment": "  ",
            ], from: page)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.error("refuse-comment") == "Cần ghi rõ lý do.")
            #expect(refused.html.contains(##"href="#f-refuse-comment""##))
            #expect(try await platform.dossier(submitted.id).version == submitted.version)
            // Received: back on the page with a notice, in the history, and counted in the received queue.
            let received = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "receive", "version": String(submitted.version), "receive-comment": "Đủ giấy tờ",
            ], from: page)
            #expect(received.status == .seeOther && received.location == "/dossiers/\(submitted.id)?done=receive")
            let after = try await platform.dossier(submitted.id)
            #expect(after.status == .received)
            #expect(after.history.last?.comment == "Đủ giấy tờ")
            let shown = try await platform.browser.get(received.location!)
            #expect(shown.html.contains("Đã lưu: Tiếp nhận hồ sơ."))
            #expect(shown.html.contains("Đủ giấy tờ"))
            // The receipt and appointment slip prints with the agency, the code and a QR code that zbarimg reads as the
            // public look-up's address.
            #expect(shown.html.contains("/dossiers/\(submitted.id)/print/01"))
            let slip = try await platform.browser.get("/dossiers/\(submitted.id)/print/01")
            #expect(slip.status == .ok)
            #expect(slip.html.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") && slip.html.contains(submitted.code))
            #expect(slip.html.contains("UBND XÃ HÒN TRE") || slip.html.contains("HÒN TRE"))
            #expect(slip.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(try QRReading.decode(slip.html) == "http://127.0.0.1:8080/tra-cuu?code=\(submitted.code)")
            // A form that does not apply yet is refused with what single-window says.
            #expect(try await platform.browser.get("/dossiers/\(submitted.id)/print/03").status == .conflict)
            // The same form again (a second tab): single-window's version check refuses it, and the page says why.
            let stale = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "startProcessing", "version": String(submitted.version),
            ], from: page)
            #expect(stale.status == .conflict && stale.html.contains("reload it and try again"))
            let queue = try await platform.browser.get("/queues/received")
            #expect(queue.capture(#"href="/queues/received" aria-current="page"[^>]*>Đang giải quyết <span class="count">(\d+)</span>"#) == "1")
            // Taking it puts it in "assigned to me".
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/take", ["version": String(after.version)], from: shown)
            #expect(try await platform.dossier(submitted.id).assignedTo != nil)
            let mine = try await platform.browser.get("/queues/mine")
            #expect(mine.html.contains(submitted.code))
        }
    }

    /// A walk-in applicant: the officer finds the procedure typing without diacritics, fills in the applicant and ticks
    /// the papers; a wrong citizen ID is refused beside its field with everything typed kept, and nothing is stored;
    /// put right, the dossier is received at once, with its appointment slip.
    @Test func aWalkInDossierIsReceivedAtTheCounter() async throws {
        try await ConsolePlatform.run { platform in
            try await platform.signIn()
            let found = try await platform.browser.get("/intake?q=dang+ky+thuong+tru")
            #expect(found.status == .ok && found.html.contains(#"href="/intake/\#(ConsolePlatform.residence)""#))
            let form = try await platform.browser.get("/intake/\(ConsolePlatform.residence)")
            #expect(form.html.contains(#"name="doc-0""#) && form.html.contains("Tiếp nhận và in giấy hẹn"))
            var fields = ["kind": "person", "fullName": "Võ Thị Lan", "citizenId": "09119500045", "phone": "0913 222 333",
                          "address": "Ấp Bãi Nhà, xã Hòn Tre", "delivery": "counter",
                          // The checklist's boxes, ticked: each posts its document's name, as the browser sends it.
                          "doc-0": try #require(form.value("doc-0")), "doc-1": try #require(form.value("doc-1"))]
            let refused = try await platform.browser.post("/intake/\(ConsolePlatform.residence)", fields, from: form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.error("citizenId") != nil)
            #expect(refused.value("fullName") == "Võ Thị Lan" && refused.value("phone") == "0913 222 333")
            let before = try await platform.singleWindow.execute(uri: "/v1/inbox?q=vo+thi+lan", method: .get,
                                                                 headers: try await platform.headers(Identity(subject: "o", roles: [.officer], agency: ConsolePlatform.honTre))) {
                try JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
            }
            #expect(before.total == 0)
            fields["citizenId"] = "091195000457"
            let received = try await platform.browser.post("/intake/\(ConsolePlatform.residence)", fields, from: refused)
            let location = try #require(received.location, "received: \(received.status) \(received.html.prefix(400))")
            #expect(location.hasSuffix("?done=receive"))
            let id = String(location.dropFirst("/dossiers/".count).prefix { $0 != "?" })
            let dossier = try await platform.dossier(id)
            #expect(dossier.status == .received && dossier.channel == .counter && dossier.clock.dueAt != nil)
            #expect(dossier.attachments.count == 2 && dossier.applicant.citizenId == "091195000457")
            let page = try await platform.browser.get(location)
            #expect(page.html.contains("/dossiers/\(id)/print/01"))
        }
    }

    /// A scanned component opens in the browser from the dossier page, read with the officer's token; an id that is
    /// not one of the dossier's files opens nothing.
    @Test func aDossiersFilesAreViewedFromItsPage() async throws {
        try await ConsolePlatform.run { platform in
            let officer = try await platform.headers(Identity(subject: "officer-hontre", roles: [.officer], agency: ConsolePlatform.honTre))
            let upload = { (text: String) in
                try await platform.documents.execute(uri: "/v1/files?name=to-khai.pdf", method: .post, headers: officer,
                                                     body: ByteBuffer(string: "%PDF-1.7\n\(text)\n%%EOF\n")) { try #require(jsonObject($0)?["id"] as? String) }
            }
            let scanned = try await upload("To khai CT01 da ky")
            let other = try await upload("Tep cua ho so khac")
            let request = SubmitDossierRequest(
                procedureCode: ConsolePlatform.residence, agencyCode: ConsolePlatform.honTre, channel: .counter,
                applicant: Applicant(fullName: "Hồ Văn Sáu", citizenId: "091195000789", phone: "0913 444 555", address: "Xã Hòn Tre"),
                attachments: [Attachment(documentName: "Tờ khai thay đổi thông tin cư trú (mẫu CT01)", fileId: scanned),
                              Attachment(documentName: "Giấy tờ chứng minh chỗ ở hợp pháp", fileId: nil)],
                delivery: .init(method: .counter))
            let dossier = try await platform.singleWindow.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                  body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(request))) { response in
                guard response.status == .created else { throw Problem(.init(code: Int(response.status.code)), detail: String(buffer: response.body)) }
                return try JSONDecoder.motcua.decode(DossierView.self, from: Data(response.body.readableBytesView))
            }
            try await platform.signIn()
            let page = try await platform.browser.get("/dossiers/\(dossier.id)")
            #expect(page.html.contains(#"href="/dossiers/\#(dossier.id)/files/\#(scanned)">Xem tệp</a>"#))
            #expect(page.html.contains("Bản giấy tại quầy"))
            let file = try await platform.browser.get("/dossiers/\(dossier.id)/files/\(scanned)")
            #expect(file.status == .ok && file.headers[.contentDisposition] == "inline" && file.html.contains("To khai CT01 da ky"))
            #expect(file.headers[.contentType]?.hasPrefix("application/pdf") == true)
            let foreign = try await platform.browser.get("/dossiers/\(dossier.id)/files/\(other)")
            #expect(foreign.status == .notFound && !foreign.html.contains("Tep cua ho so khac"))
            // The frame names the officer's agency, not its code.
            #expect(page.html.contains("Ủy ban nhân dân xã Hòn Tre"))
        }
    }

    @Test func anOfficerOfAnotherAgencyCannotOpenTheDossierByItsAddress() async throws {
        try await ConsolePlatform.run { platform in
            let dossier = try await platform.onlineDossier()
            // An officer of another commune, made by the admin through the portal's API.
            let staff = #"{"phone":"0911000077","fullName":"Cán bộ xã khác","password":"mật khẩu dài","roles":["officer"],"agency":"000.55.02.H33"}"#
            try await platform.portal.execute(uri: "/api/v1/staff", method: .post,
                                              headers: try await platform.headers(Identity(subject: "admin", roles: [.admin])),
                                              body: ByteBuffer(string: staff)) { #expect($0.status == .created) }
            try await platform.signIn(phone: "0911000077", password: "mật khẩu dài")
            let page = try await platform.browser.get("/dossiers/\(dossier.id)")
            #expect(page.status == .forbidden)
            #expect(!page.html.contains(dossier.code) && !page.html.contains("Trần Thị Bích"))
            // Nor act on it by posting the form.
            let posted = try await platform.browser.post("/dossiers/\(dossier.id)/actions", ["action": "receive", "version": String(dossier.version)],
                                                         from: page)
            #expect(posted.status == .forbidden)
            #expect(try await platform.dossier(dossier.id).status == .submitted)
            // Their own queue does not list it either.
            #expect(!(try await platform.browser.get("/queues/online").html.contains(dossier.code)))
        }
    }
}
