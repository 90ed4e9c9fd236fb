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

@Suite("Officer inbox, statistics, rating, payments")
struct InboxAndStatisticsTests {
    func act(_ client: some TestClientProtocol, _ dossier: DossierView, _ action: DossierAction, as headers: HTTPFields, comment: String? = nil)
        async throws -> DossierView? {
        view(try await client.act(dossier, .complete(action, version: dossier.version, comment: comment), as: headers))
    }

    /// Pages follow each other by where the last ended (keyset), not by counting rows to skip: walking them gives every
    /// dossier once, in the inbox's order, and a made-up cursor is refused.
    @Test func theInboxIsPagedByWhereTheLastPageEnded() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            // Three received at the counter (with due dates) and four online (none yet): due ones first, then the rest.
            var expected: [String] = []
            for channel in [IntakeChannel.counter, .online, .counter, .online, .online, .counter, .online] {
                let made = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: channel == .counter ? officer : citizen,
                                                                      body: try body(fixture.request(channel: channel)))))
                expected.append(made.code)
            }
            func page(_ query: String) async throws -> InboxPage? {
                try await client.execute(uri: "/v1/inbox?pageSize=3" + query, method: .get, headers: officer) {
                    try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
                }
            }
            var seen: [InboxItem] = []
            var cursor: String?
            var pages = 0
            repeat {
                let answer = try #require(try await page(cursor.map { "&after=\(FormEncoding.encode($0))" } ?? ""))
                #expect(answer.total == 7 && answer.items.count <= 3)
                seen += answer.items
                cursor = answer.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(Set(seen.map(\.code)) == Set(expected) && seen.count == 7)
            #expect(seen.prefix(3).allSatisfy { $0.dueAt != nil } && seen.dropFirst(3).allSatisfy { $0.dueAt == nil })
            let dues = seen.prefix(3).compactMap(\.dueAt)
            #expect(dues == dues.sorted())
            #expect(seen.map(\.channel) == [.counter, .counter, .counter, .online, .online, .online, .online])
            for bad in ["nonsense", "1~2~", "x~2~abc", "1~2~a;drop"] {
                try await client.execute(uri: "/v1/inbox?after=\(FormEncoding.encode(bad))", method: .get, headers: officer) {
                    #expect($0.status == .badRequest, "cursor \(bad)")
                }
            }
        }
    }

    /// Officers find a dossier by what the person at the counter tells them: the code, the name typed without
    /// diacritics, the ID number, the phone as it is written; filters narrow by channel, procedure and date; the
    /// CSV export holds exactly the filtered list, opens in Excel with Vietnamese intact, and runs no formula.
    @Test func theInboxIsSearchedWithoutDiacriticsFilteredAndExported() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            var huong = fixture.request(channel: .online)
            huong.applicant.fullName = "Nguyễn Thị Hương"
            huong.applicant.citizenId = "091190000111"
            huong.applicant.phone = "0912 111 222"
            var formula = fixture.request(channel: .counter)
            formula.applicant.fullName = "=HYPERLINK(\"http://evil.example\",\"Lê Văn Tâm\")"
            let first = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen, body: try body(huong))))
            let second = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(formula))))
            func codes(_ query: String) async throws -> [String]? {
                try await client.execute(uri: "/v1/inbox?" + query, method: .get, headers: officer) {
                    try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
                }?.items.map(\.code)
            }
            #expect(try await codes("q=nguyen+thi+huong") == [first.code])
            #expect(try await codes("q=HUONG") == [first.code])
            #expect(try await codes("q=huo") == [first.code], "the last word may be a beginning")
            #expect(try await codes("q=091190000111") == [first.code])
            #expect(try await codes("q=0912+111+222") == [first.code])
            #expect(try await codes("q=\(FormEncoding.encode(second.code))") == [second.code])
            #expect(try await codes("q=tam") == [second.code])
            #expect(try await codes("q=huong+tam") == [])
            #expect(try await codes("channel=counter") == [second.code])
            #expect(try await codes("channel=online&q=huong") == [first.code])
            #expect(try await codes("procedure=1.000894")?.count == 2)
            #expect(try await codes("procedure=9.999999") == [])
            let today = LocalDate(Date())
            #expect(try await codes("from=\(today)&to=\(today)") == [second.code], "only the counter one is received yet")
            #expect(try await codes("to=\(today.adding(days: -1))") == [])
            #expect(try await codes("status=1,2")?.count == 2)
            #expect(try await codes("status=2") == [second.code])
            for bad in ["channel=fax", "from=yesterday", "to=2026-13-01", "status=2,x", "status=11"] {
                try await client.execute(uri: "/v1/inbox?" + bad, method: .get, headers: officer) { #expect($0.status == .badRequest, "\(bad)") }
            }
            try await client.execute(uri: "/v1/inbox/export?channel=online", method: .get, headers: officer) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("\u{FEFF}Mã hồ sơ,Thủ tục,Người nộp"))
                #expect(text.contains("Nguyễn Thị Hương") && !text.contains(second.code))
                #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2)
            }
            try await client.execute(uri: "/v1/inbox/export?channel=counter", method: .get, headers: officer) { response in
                // The name that looks like a formula is written as text.
                #expect(String(buffer: response.body).contains(#""'=HYPERLINK(""http://evil.example"",""Lê Văn Tâm"")""#))
            }
            try await client.execute(uri: "/v1/inbox/export", method: .get, headers: citizen) { #expect($0.status == .forbidden) }
        }
    }

    /// The list sorts by when dossiers were handed in, either way, as well as by due date; pages follow in the order
    /// asked, each dossier once; a cursor of another order, or an order that does not exist, is refused.
    @Test func theInboxSortsByWhenDossiersCameInAndPagesInThatOrder() async throws {
        let clock = TestClock(LocalDate(year: 2026, month: 3, day: 2)!.instant(minutes: 8 * 60))
        let (app, settings) = try await demoSingleWindow(clock: { clock.now })
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            var codes: [String] = []
            for index in 0..<5 {
                clock.advance(600)
                let made = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: index % 2 == 0 ? officer : citizen,
                                                                      body: try body(fixture.request(channel: index % 2 == 0 ? .counter : .online)))))
                codes.append(made.code)
            }
            func walk(_ sort: String) async throws -> [String] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await client.execute(uri: "/v1/inbox?pageSize=2&sort=\(sort)" + (cursor.map { "&after=\(FormEncoding.encode($0))" } ?? ""),
                                                        method: .get, headers: officer) {
                        try JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
                    }
                    seen += page.items.map(\.code)
                    cursor = page.nextCursor
                } while cursor != nil && seen.count < 10
                return seen
            }
            #expect(try await walk("submitted") == codes)
            #expect(try await walk("-submitted") == codes.reversed())
            // By due date: the three received at the counter (due in turn), then the two online ones without a date.
            let byDue = try await walk("due")
            #expect(byDue.prefix(3) == [codes[0], codes[2], codes[4]][...] && Set(byDue.suffix(2)) == [codes[1], codes[3]])
            #expect(try await walk("-due").suffix(3) == [codes[4], codes[2], codes[0]][...])
            let dueCursor = try await client.execute(uri: "/v1/inbox?pageSize=1", method: .get, headers: officer) {
                try JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView)).nextCursor
            }
            for bad in ["sort=newest", "sort=submitted&after=\(FormEncoding.encode(try #require(dueCursor)))"] {
                try await client.execute(uri: "/v1/inbox?" + bad, method: .get, headers: officer) { #expect($0.status == .badRequest, "\(bad)") }
            }
        }
    }

    /// The console's other filters: the sector of the procedure, the step of the internal process a dossier is at
    /// (offered with how many are there), and who has it (no one, or someone); each row's procedure, applicant and step
    /// come from the dossier as it is now, also after a change.
    @Test func theInboxIsFilteredBySectorStepAndAssignee() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        try await app.test(.router) { client in
            var made: [DossierView] = []
            for name in ["Trần Văn Một", "Trần Văn Hai", "Trần Văn Ba"] {
                var request = fixture.request(channel: .counter)
                request.applicant.fullName = name
                made.append(try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(request)))))
            }
            // One online, waiting for intake: no one has it yet (those received at the counter are the officer's).
            let online = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: try await fixture.token(fixture.citizen),
                                                                    body: try body(fixture.request(channel: .online)))))
            let process = try #require(made[0].process)
            let moved = try #require(view(try await client.act(made[2], DossierActionRequest(action: .startProcessing, expectedVersion: made[2].version,
                                                                                              assignTo: "specialist-1"), as: officer)))
            let (first, next) = (process.steps[0].title, process.steps[1].title)
            func page(_ query: String) async throws -> InboxPage? {
                try await client.execute(uri: "/v1/inbox?" + query, method: .get, headers: officer) {
                    try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
                }
            }
            let all = try #require(try await page(""))
            #expect(all.countsByStep == [first: 2, next: 1])
            let row = try #require(all.items.first { $0.id == moved.id })
            #expect(row.step == next && row.applicantName == "Trần Văn Ba" && row.procedureName == made[2].procedureName && row.assignedTo == "specialist-1")
            #expect(row.stepDueAt == moved.process?.dueAt && row.version == moved.version)
            #expect(Set(try await page("step=\(FormEncoding.encode(first))")?.items.map(\.id) ?? []) == [made[0].id, made[1].id])
            #expect(try await page("step=\(FormEncoding.encode(next))")?.items.map(\.id) == [moved.id])
            #expect(try await page("assignedTo=none")?.items.map(\.id) == [online.id])
            #expect(all.items.first { $0.id == online.id }?.step == nil)
            #expect(try await page("assignedTo=specialist-1")?.items.map(\.id) == [moved.id])
            #expect(try await page("sector=\(FormEncoding.encode("Hộ tịch"))")?.total == 4)
            #expect(try await page("sector=\(FormEncoding.encode("Đất đai"))")?.total == 0)
            try await client.execute(uri: "/v1/inbox?sector=" + String(repeating: "a", count: 201), method: .get, headers: officer) {
                #expect($0.status == .badRequest)
            }
        }
    }

    /// The queue counts the console's navigation shows, as the clock runs: the caller's, due within a working day, late.
    @Test func theQueueCountsFollowTheClock() async throws {
        let clock = TestClock()
        let (app, settings) = try await demoSingleWindow(clock: { clock.now })
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let colleague = try await fixture.token(Identity(subject: "officer-2", roles: [.officer], agency: fixture.hongTre))
        try await app.test(.router) { client in
            let received = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                      body: try body(fixture.request(channel: .counter)))))
            let due = try #require(received.clock.dueAt)
            func counts(as headers: HTTPFields) async throws -> [String: Int]? {
                try await client.execute(uri: "/v1/inbox?pageSize=1", method: .get, headers: headers) {
                    try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
                }?.queueCounts
            }
            #expect(try await counts(as: officer) == ["mine": 1, "dueSoon": 0, "overdue": 0])
            #expect(try await counts(as: colleague) == ["mine": 0, "dueSoon": 0, "overdue": 0])
            // An hour before the appointment: due soon (in the list too); an hour after: late, and no longer due soon.
            clock.set(due.addingTimeInterval(-3600))
            #expect(try await counts(as: colleague) == ["mine": 0, "dueSoon": 1, "overdue": 0])
            try await client.execute(uri: "/v1/inbox?due=soon", method: .get, headers: officer) {
                #expect((try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView)))?.total == 1)
            }
            clock.set(due.addingTimeInterval(3600))
            #expect(try await counts(as: officer) == ["mine": 1, "dueSoon": 0, "overdue": 1])
            try await client.execute(uri: "/v1/inbox?due=soon", method: .get, headers: officer) {
                #expect((try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView)))?.total == 0)
            }
        }
    }

    @Test func theInboxListsOpenDossiersOfTheAgencyByDeadline() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            let counter = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                     body: try body(fixture.request(channel: .counter)))))
            _ = try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen, body: try body(fixture.request(channel: .online)))
            let page = try #require(try await client.execute(uri: "/v1/inbox", method: .get, headers: officer) {
                try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
            })
            #expect(page.total == 2)
            #expect(page.countsByStatus == ["1": 1, "2": 1])
            // The received dossier has a deadline and comes first; the counter officer is its assignee.
            #expect(page.items.first?.code == counter.code)
            #expect(page.items.first?.assignedTo == "officer-hontre")
            let mine = try await client.execute(uri: "/v1/inbox?assignedTo=me", method: .get, headers: officer) {
                try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
            }
            #expect(mine?.items.map(\.code) == [counter.code])
            let submitted = try await client.execute(uri: "/v1/inbox?status=1", method: .get, headers: officer) {
                try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
            }
            #expect(submitted?.total == 1)
            let overdue = try await client.execute(uri: "/v1/inbox?due=overdue", method: .get, headers: officer) {
                try? JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
            }
            #expect(overdue?.total == 0)
            let elsewhere = try await fixture.token(Identity(subject: "o2", roles: [.officer], agency: KienGiangCodes.anSon))
            try await client.execute(uri: "/v1/inbox", method: .get, headers: elsewhere) { response in
                #expect((try? JSONDecoder.motcua.decode(InboxPage.self, from: Data(response.body.readableBytesView)))?.total == 0)
            }
            try await client.execute(uri: "/v1/inbox", method: .get, headers: citizen) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/inbox?due=later", method: .get, headers: officer) { #expect($0.status == .badRequest) }
            // Assigning hands the dossier over, in the history.
            let assigned = try await client.execute(uri: "/v1/dossiers/\(counter.id)/assign", method: .post, headers: officer,
                                                    body: try body(AssignRequest(officer: "officer-2", expectedVersion: counter.version)))
            #expect(view(assigned)?.assignedTo == "officer-2")
            #expect(view(assigned)?.history.last?.action == "assign")
        }
    }

    @Test func aCitizenListsOnlyTheirOwnDossiersNewestFirst() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let citizen = try await fixture.token(fixture.citizen)
        let other = try await fixture.token(Identity(subject: "citizen-2", roles: [.citizen]))
        try await app.test(.router) { client in
            let first = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                   body: try body(fixture.request(channel: .online)))))
            let second = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                    body: try body(fixture.request(channel: .online)))))
            _ = try await client.execute(uri: "/v1/dossiers", method: .post, headers: other, body: try body(fixture.request(channel: .online)))
            _ = try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(fixture.request(channel: .counter)))
            let mine = try await client.execute(uri: "/v1/my/dossiers", method: .get, headers: citizen) {
                try JSONDecoder.motcua.decode(Page<InboxItem>.self, from: Data($0.body.readableBytesView))
            }
            #expect(mine.total == 2)
            #expect(Set(mine.items.map(\.code)) == [first.code, second.code])
            let onePerPage = try await client.execute(uri: "/v1/my/dossiers?pageSize=1&page=2", method: .get, headers: citizen) {
                try JSONDecoder.motcua.decode(Page<InboxItem>.self, from: Data($0.body.readableBytesView))
            }
            #expect(onePerPage.items.count == 1 && onePerPage.total == 2)
            try await client.execute(uri: "/v1/my/dossiers", method: .get, headers: officer) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/my/dossiers", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func statisticsRollUpTheHierarchyAndRatingsComeAfterDelivery() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let leader = try await fixture.token(Identity(subject: "chairman", roles: [.leader], agency: fixture.hongTre))
        let citizen = try await fixture.token(fixture.citizen)
        try await app.test(.router) { client in
            var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: citizen,
                                                                     body: try body(fixture.request(channel: .online)))))
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)/rating", method: .post, headers: citizen, body: try body(RatingRequest(score: 5))) {
                #expect($0.status == .conflict)
            }
            dossier = try #require(try await self.act(client, dossier, .receive, as: officer))
            dossier = try #require(try await self.act(client, dossier, .startProcessing, as: officer))
            dossier = try #require(try await self.act(client, dossier, .requestSupplement, as: officer, comment: "Bổ sung"))
            dossier = try #require(try await self.act(client, dossier, .supplement, as: citizen))
            dossier = try #require(try await self.act(client, dossier, .markResultReady, as: leader))
            dossier = try #require(try await self.act(client, dossier, .deliver, as: officer))
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)/rating", method: .post, headers: citizen, body: try body(RatingRequest(score: 9))) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)/rating", method: .post, headers: citizen, body: try body(RatingRequest(score: 4))) {
                #expect(view($0)?.rating == 4)
            }
            try await client.execute(uri: "/v1/dossiers/\(dossier.id)/rating", method: .post, headers: citizen, body: try body(RatingRequest(score: 1))) {
                #expect($0.status == .conflict)
            }
            _ = try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(fixture.request(channel: .counter)))

            // The district of Kiên Hải and the province both count the commune's dossiers; another district does not.
            for agency in ["000.00.55.H33", "H33", fixture.hongTre] {
                let stats = try #require(try await client.getJSON("/v1/statistics?agency=\(agency)", as: DossierStatistics.self))
                #expect(stats.receivedByChannel == ["online": 1, "counter": 1], "\(agency)")
                #expect(stats.inProgress == 1)
                #expect(stats.resolved.values.reduce(0, +) == 1)
                #expect(stats.supplementRequests == 1)
                #expect(stats.ratings == 1)
                #expect(stats.averageRating == 4)
                // Month by month: every month of the year so far, both dossiers in this one.
                let month = String(LocalDate(Date()).description.prefix(7))
                #expect(stats.receivedByMonth?.count == LocalDate(Date()).month && stats.receivedByMonth?[month] == 2, "\(stats.receivedByMonth ?? [:])")
            }
            let other = try #require(try await client.getJSON("/v1/statistics?agency=000.00.41.H33", as: DossierStatistics.self))
            #expect(other.receivedByChannel.isEmpty)
            #expect(other.averageRating == nil)
            try await client.execute(uri: "/v1/statistics?from=2026-13-01", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/statistics?from=2026-05-01&to=2026-01-01", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/statistics?agency=NOPE", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func aPaymentEventFromPaymentsForTheFeesOwedEndsTheFeeWaitOnce() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let payments = try await fixture.service("payments")
        let portal = try await fixture.service("portal")
        // Đăng ký nhận cha, mẹ, con: a 15 000 VND fee.
        let request = fixture.request("1.001022", channel: .counter, documents: ["Tờ khai đăng ký nhận cha, mẹ, con", "Chứng cứ chứng minh quan hệ cha, mẹ, con"])
        try await app.test(.router) { client in
            var dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer, body: try body(request))))
            dossier = try #require(try await self.act(client, dossier, .startProcessing, as: officer))
            dossier = try #require(try await self.act(client, dossier, .requestFee, as: officer))
            func post(_ event: EventEnvelope, as headers: HTTPFields) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/internal/events", method: .post, headers: headers,
                                         body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(event))) { $0.status }
            }
            func paid(_ amount: VND, id: String, source: String = "payments") throws -> EventEnvelope {
                try EventEnvelope(type: EventType.paymentSucceeded, source: source, requestId: "r-\(id)",
                                  payload: PaymentEventPayload(paymentId: id, dossierId: dossier.id, amount: amount))
            }
            func current() async throws -> DossierView? {
                try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: officer) { view($0) }
            }
            // The portal's token cannot end a fee wait, whichever source the event names.
            #expect(try await post(try paid(1, id: "forged-1", source: "portal"), as: portal) == .forbidden)
            #expect(try await post(try paid(15_000, id: "forged-2"), as: portal) == .forbidden)
            // Payments' own event for less than the fees: written down, and the dossier still waits for its fee.
            #expect(try await post(try paid(1, id: "short-1"), as: payments) == .ok)
            let waiting = try #require(try await current())
            #expect(waiting.status == .awaitingFee)
            #expect(waiting.history.contains { $0.action == "payment-short" && $0.comment?.contains("15.000") == true })
            #expect(!waiting.history.contains { $0.action == "confirmFee" })
            // The full fee ends the wait, once however often it arrives.
            let full = try paid(15_000, id: "pay-1")
            for expected in [HTTPResponse.Status.ok, .accepted] { #expect(try await post(full, as: payments) == expected) }
            let after = try #require(try await current())
            #expect(after.status == .processing)
            #expect(after.history.filter { $0.action == "confirmFee" }.count == 1)
            #expect(after.clock.pausedAt == nil)
        }
    }
}

/// A clock the test moves.

@Suite("Deadline watch")
struct DeadlineWatchTests {
    @Test func dueSoonOnceThenOverdueOnceInTheHistory() async throws {
        let clock = TestClock()
        let (app, settings) = try await demoSingleWindow(environment: ["DEADLINE_SWEEP_SECONDS": "0.05"], clock: { clock.now })
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let service = try await fixture.service("tests")
        try await app.test(.router) { client in
            let dossier = try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                                     body: try body(fixture.request(channel: .counter)))))
            let due = try #require(dossier.clock.dueAt)
            func dueSoonEvents() async throws -> Int {
                try await client.execute(uri: "/internal/outbox?status=pending", method: .get, headers: service) { response in
                    ((try? JSONDecoder().decode([OutboxAdmin.Entry].self, from: Data(response.body.readableBytesView))) ?? [])
                        .filter { $0.eventType == EventType.dossierDueSoon }.count
                }
            }
            func overdueMarks() async throws -> Int {
                try await client.execute(uri: "/v1/dossiers/\(dossier.id)", method: .get, headers: officer) { response in
                    view(response)?.history.filter { $0.action == "overdue" }.count ?? -1
                }
            }
            clock.set(due.addingTimeInterval(-3600))
            #expect(try await eventually { try await dueSoonEvents() == 1 })
            #expect(try await overdueMarks() == 0)
            clock.set(due.addingTimeInterval(3600))
            #expect(try await eventually { try await overdueMarks() == 1 })
            // Several more sweeps pass: each notice and mark stays single.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await dueSoonEvents() == 1)
            #expect(try await overdueMarks() == 1)
        }
    }
}
