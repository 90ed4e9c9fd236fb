@testable import ConsoleApp
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

/// A leader hands many dossiers to an officer at once: the work runs in the background, its progress on a page of its
/// own, each refusal named, nothing lost when single-window does not answer or the console restarts.
@Suite("Staff console: bulk assignment")
struct BulkAssignmentTests {
    static let leaderPhone = "0911000002"

    /// The progress page once the job is over (it reloads itself until then, as a browser would).
    static func finished(_ browser: FormBrowser, _ location: String) async throws -> BrowserPage {
        for _ in 0..<100 {
            let page = try await browser.get(location)
            if page.status != .ok || !page.html.contains("http-equiv=\"refresh\"") { return page }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the bulk assignment at \(location) did not finish within ten seconds")
        return try await browser.get(location)
    }

    /// A leader ticks one online dossier and assigns it to Hòn Tre's intake officer: the dossier, the officer, and
    /// the answer (to the job's progress page).
    static func assignOne(applicant: String, platform: ConsolePlatform) async throws -> (DossierView, (id: String, token: String), BrowserPage) {
        let dossier = try await platform.onlineDossier(applicant: applicant)
        let officer = try await platform.account(phone: ConsolePlatform.officerPhone)
        try await platform.signIn(phone: Self.leaderPhone)
        let queue = try await platform.browser.get("/queues/online")
        let started = try await platform.browser.post("/queues/online/assign", [
            "pick-\(dossier.id)": try #require(queue.value("pick-\(dossier.id)")), "officer": officer.id,
        ], from: queue)
        return (dossier, officer, started)
    }

    static func receive(_ dossier: DossierView, platform: ConsolePlatform) async throws {
        let staff = try await platform.headers(Identity(subject: "officer-hontre", roles: [.officer], agency: ConsolePlatform.honTre))
        _ = try await platform.singleWindow.execute(
            uri: "/v1/dossiers/\(dossier.id)/actions", method: .post, headers: staff,
            body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(DossierActionRequest(action: .receive, expectedVersion: dossier.version)))) { _ in }
    }

    @Test func tickedDossiersAreAssignedInTheBackgroundAndOneChangedMeanwhileIsNamedWithTheReason() async throws {
        try await ConsolePlatform.run { platform in
            let first = try await platform.onlineDossier(applicant: "Phan Văn Một")
            let second = try await platform.onlineDossier(applicant: "Phan Văn Hai")
            let officer = try await platform.account(phone: ConsolePlatform.officerPhone)
            try await platform.signIn(phone: Self.leaderPhone)
            let queue = try await platform.browser.get("/queues/online")
            #expect(queue.html.contains("Giao các hồ sơ đã chọn") && queue.html.contains("Giao cả 2 hồ sơ của danh sách"))
            // Someone receives the first one after the leader opened the queue.
            try await Self.receive(first, platform: platform)
            let started = try await platform.browser.post("/queues/online/assign", [
                "pick-\(first.id)": try #require(queue.value("pick-\(first.id)")), "pick-\(second.id)": try #require(queue.value("pick-\(second.id)")),
                "officer": officer.id, "scope": "ticked",
            ], from: queue)
            let location = try #require(started.location)
            #expect(started.status == .seeOther && location.hasPrefix("/bulk/"))
            let page = try await Self.finished(platform.browser, location)
            #expect(page.html.contains("Xong: đã giao 1 trên 2 hồ sơ."))
            // The refused one by its code, linking to it, with single-window's reason.
            #expect(page.html.contains("<a href=\"/dossiers/\(first.id)\">\(first.code)</a>"))
            #expect(page.html.contains("Không giao được"))
            #expect(try await platform.dossier(first.id).assignedTo != officer.id)
            #expect(try await platform.dossier(second.id).assignedTo == officer.id)
            // Another person cannot read the job's page by its address.
            _ = try await platform.browser.post("/logout", [:], from: queue)
            try await platform.signIn(phone: ConsolePlatform.officerPhone)
            #expect(try await platform.browser.get(location).status == .notFound)
        }
    }

    @Test func everyDossierOfTheFilteredListIsAssignedAndNoOther() async throws {
        try await ConsolePlatform.run { platform in
            let phans = [try await platform.onlineDossier(applicant: "Phan Văn Ba"), try await platform.onlineDossier(applicant: "Phan Thị Bốn")]
            let other = try await platform.onlineDossier(applicant: "Lê Thị Năm")
            let officer = try await platform.account(phone: ConsolePlatform.officerPhone)
            try await platform.signIn(phone: Self.leaderPhone)
            // Searched without diacritics: the two Phans.
            let queue = try await platform.browser.get("/queues/online?q=phan")
            #expect(queue.html.contains("Giao cả 2 hồ sơ của danh sách"))
            let started = try await platform.browser.post("/queues/online/assign?q=phan", ["officer": officer.id, "scope": "all"], from: queue)
            let page = try await Self.finished(platform.browser, try #require(started.location))
            #expect(page.html.contains("Xong: đã giao 2 trên 2 hồ sơ."))
            for dossier in phans { #expect(try await platform.dossier(dossier.id).assignedTo == officer.id) }
            #expect(try await platform.dossier(other.id).assignedTo == nil)
            // A list with nothing in it starts nothing.
            let empty = try await platform.browser.post("/queues/online/assign?q=khongaico", ["officer": officer.id, "scope": "all"], from: queue)
            #expect(empty.status == .ok && empty.html.contains("Danh sách không có hồ sơ nào để giao."))
        }
    }

    /// Ticked, the job waits to assign; for the whole list, it waits to list the dossiers.
    @Test(arguments: ["ticked", "all"])
    func aJobWaitsWhileSingleWindowDoesNotAnswerAndAnotherInstanceFinishesIt(scope: String) async throws {
        // This instance only serves pages; the jobs run on the replicas.
        try await ConsolePlatform.run(consoleEnvironment: ["CONSOLE_BULK_JOBS": "off"]) { platform in
            let (dossier, officer, ticked) = try await Self.assignOne(applicant: "Phan Văn Sáu", platform: platform)
            _ = try await platform.onlineDossier(applicant: "Lê Thị Khác")
            let started = scope == "ticked" ? ticked : try await platform.browser.post(
                "/queues/online/assign?q=sau", ["officer": officer.id, "scope": "all"], from: try await platform.browser.get("/queues/online?q=sau"))
            let location = try #require(started.location)
            // An instance that cannot reach single-window takes the job: it waits, says so, and records nothing.
            try await platform.replica(reaching: [Topology.singleWindow: ConsoleFailureTests.dead], environment: ["CONSOLE_BULK_JOBS": "on"]) { browser in
                var page = try await browser.get(location)
                for _ in 0..<100 where !page.html.contains("tạm thời không trả lời") {
                    try await Task.sleep(for: .milliseconds(100))
                    page = try await browser.get(location)
                }
                #expect(page.html.contains("Dịch vụ một cửa tạm thời không trả lời"))
                #expect(page.html.contains(scope == "ticked" ? "đã xử lý 0 trên 1 hồ sơ" : "Đang lập danh sách hồ sơ cần giao"))
                #expect(page.html.contains("<th>Còn lại</th><td>1</td>"))
            }
            if scope == "ticked" { #expect(try await platform.dossier(dossier.id).assignedTo == nil) }
            // That instance stops (it lets the job go); one that reaches single-window finishes it.
            try await platform.replica(reaching: [:], environment: ["CONSOLE_BULK_JOBS": "on"]) { browser in
                let page = try await Self.finished(browser, location)
                #expect(page.html.contains("Xong: đã giao 1 trên 1 hồ sơ.") && !page.html.contains("không trả lời"))
            }
            #expect(try await platform.dossier(dossier.id).assignedTo == officer.id)
        }
    }

    /// No job takes more than CONSOLE_BULK_LIMIT dossiers: a longer list is refused at once, and a list that grew past
    /// it before the job listed it stops the job, saying so and assigning nothing.
    @Test func aListLongerThanOneJobTakesIsRefusedOrStopsTheJob() async throws {
        try await ConsolePlatform.run(consoleEnvironment: ["CONSOLE_BULK_JOBS": "off", "CONSOLE_BULK_LIMIT": "2"]) { platform in
            let first = try await platform.onlineDossier(applicant: "Phan Văn Một")
            _ = try await platform.onlineDossier(applicant: "Phan Văn Hai")
            let officer = try await platform.account(phone: ConsolePlatform.officerPhone)
            try await platform.signIn(phone: Self.leaderPhone)
            let queue = try await platform.browser.get("/queues/online")
            let started = try await platform.browser.post("/queues/online/assign", ["officer": officer.id, "scope": "all"], from: queue)
            let location = try #require(started.location)
            // Before any instance lists it, a third dossier arrives.
            let third = try await platform.onlineDossier(applicant: "Phan Văn Ba")
            let refused = try await platform.browser.post("/queues/online/assign", ["officer": officer.id, "scope": "all"], from: queue)
            #expect(refused.status == .ok && refused.html.contains("Danh sách có 3 hồ sơ, quá 2 hồ sơ một lần giao"))
            try await platform.replica(reaching: [:], environment: ["CONSOLE_BULK_JOBS": "on"]) { browser in
                let page = try await Self.finished(browser, location)
                #expect(page.html.contains("danh sách có hơn 2 hồ sơ") && page.html.contains("Đã dừng: đã giao 0 trên 2 hồ sơ."))
            }
            for dossier in [first, third] { #expect(try await platform.dossier(dossier.id).assignedTo == nil) }
        }
    }

    @Test func aDossierAssignedJustBeforeACrashIsCountedAssignedNotRefused() async throws {
        try await ConsolePlatform.run(consoleEnvironment: ["CONSOLE_BULK_JOBS": "off"]) { platform in
            let (dossier, officer, started) = try await Self.assignOne(applicant: "Phan Văn Tám", platform: platform)
            // As if an instance assigned it and died before writing that down: the dossier is the officer's already, at
            // a newer version than the job holds.
            let leader = try await platform.account(phone: Self.leaderPhone)
            _ = try await platform.singleWindow.execute(
                uri: "/v1/dossiers/\(dossier.id)/assign", method: .post, headers: [.authorization: "Bearer \(leader.token)", .contentType: "application/json"],
                body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(AssignRequest(officer: officer.id, expectedVersion: dossier.version)))) {
                #expect($0.status == .ok)
            }
            try await platform.replica(reaching: [:], environment: ["CONSOLE_BULK_JOBS": "on"]) { browser in
                let page = try await Self.finished(browser, try #require(started.location))
                #expect(page.html.contains("Xong: đã giao 1 trên 1 hồ sơ.") && !page.html.contains("<h2>Không giao được</h2>"))
            }
        }
    }

    @Test func aJobWhoseLeaderSignedOutStopsAndSaysSo() async throws {
        try await ConsolePlatform.run(consoleEnvironment: ["CONSOLE_BULK_JOBS": "off"]) { platform in
            let (dossier, officer, started) = try await Self.assignOne(applicant: "Phan Văn Bảy", platform: platform)
            let location = try #require(started.location)
            // The queue points to the job while it waits to run.
            let waiting = try await platform.browser.get("/queues/online")
            #expect(waiting.html.contains("href=\"\(location)\"") && waiting.html.contains("Đang giao hồ sơ hàng loạt"))
            _ = try await platform.browser.post("/logout", [:], from: waiting)
            // An instance that runs jobs finds the session over: the job stops there, assigning nothing more, and says
            // why to the leader when they sign in again.
            try await platform.replica(reaching: [:], environment: ["CONSOLE_BULK_JOBS": "on"]) { _ in
                try await platform.signIn(phone: Self.leaderPhone)
                let page = try await Self.finished(platform.browser, location)
                #expect(page.html.contains("phiên đăng nhập của bạn đã kết thúc") && page.html.contains("Đã dừng: đã giao 0 trên 1 hồ sơ."))
            }
            #expect(try await platform.dossier(dossier.id).assignedTo == nil)
        }
    }
}
