import Contracts
import DomainKit
import Foundation
import HummingbirdTesting
import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

/// `DEMO_DATA=year` (here with `DEMO_DOSSIERS` small): dossiers of the year before today, online and at the
/// counter, settled on time and late, still open in every open status, and queues and statistics that count them.
@Test("the demo year fills queues and statistics with dossiers of the year before today")
func theDemoYearFillsQueuesAndStatistics() async throws {
    let (app, settings) = try await demoSingleWindow(size: "year", environment: ["DEMO_DOSSIERS": "3000"])
    let admin = try await DossierFixture(settings: settings).token(Identity(subject: "admin", roles: [.admin]))
    try await app.test(.router) { client in
        let today = LocalDate(Date())
        let statistics = try await client.execute(uri: "/v1/statistics?agency=H33&from=\(today.adding(days: -370))&to=\(today)", method: .get,
                                                  headers: admin) {
            try JSONDecoder.motcua.decode(DossierStatistics.self, from: Data($0.body.readableBytesView))
        }
        let received = statistics.receivedByChannel.values.reduce(0, +)
        #expect(received >= 2_900 && received <= 3_000, "the year's dossiers are counted (\(received))")
        // 3,972 + 5,991 of 73,502 are online: about 13.5 %.
        let online = statistics.receivedByChannel["online"] ?? 0
        #expect(online >= 350 && online <= 450, "online: \(online)")
        #expect((statistics.resolved["onTime"] ?? 0) + (statistics.resolved["early"] ?? 0) > 5 * (statistics.resolved["late"] ?? 0))
        #expect((statistics.resolved["late"] ?? 0) > 0 && statistics.refused > 0 && statistics.inProgress > 0)
        // Some agency's queue holds open dossiers in several statuses, with a keyset next page.
        var statuses = Set<String>()
        var steps = Set<String>()
        let agencies = try await client.execute(uri: "/v1/agencies", method: .get, headers: admin) {
            try JSONDecoder.motcua.decode([Agency].self, from: Data($0.body.readableBytesView)).map(\.code)
        }
        for agency in agencies {
            let page = try await client.execute(uri: "/v1/inbox?agency=\(agency)&pageSize=5", method: .get, headers: admin) {
                try JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView))
            }
            statuses.formUnion(page.countsByStatus.keys)
            steps.formUnion(page.items.compactMap(\.step))
        }
        #expect(statuses.count >= 4, "open statuses seen: \(statuses.sorted())")
        // Open dossiers stand at the steps of their procedures' processes, not only at the first.
        #expect(steps.contains("Tiếp nhận, kiểm tra hồ sơ") && steps.contains("Công chức chuyên môn thẩm định"), "steps seen: \(steps.sorted())")
    }
}
