import Contracts
import DomainKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import ServiceKit
import SQLKit
@testable import SingleWindowApp
import Testing

/// The settlement report and the Decision 766 figures on a demo year, each checked against counts made here from the
/// dossiers' bodies (not from the columns the reports read), and the refusals a report answers with.
@Suite("Reports")
struct ReportsTests {
    /// One dossier as this test reads it: from its body, plus the fee column payments fills.
    struct Facts {
        let agency: String, procedure: String, channel: IntakeChannel, status: DossierStatus, submitted: Date, closed: Date?
        let timeliness: Timeliness?, rounds: Int, digitised: Bool, electronic: Bool, paidOnline: Bool?, rating: Int?, overdueAt: (Date) -> Bool
    }

    static func facts(_ database: Database) async throws -> [Facts] {
        struct Row: Decodable { let body: String; let paid_online: Int? }
        let rows = try await database.read { db in try await db.select().columns("body", "paid_online").from("dossiers").all(decoding: Row.self) }
        let closing: Set<DossierStatus> = [.resultReady, .delivered, .refused, .withdrawn, .stopped]
        return try rows.map { row in
            let dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
            let closed = closing.contains(dossier.status)
                ? dossier.clock.finishedAt ?? dossier.steps?.first { closing.contains($0.status) }?.at ?? dossier.submittedAt : nil
            let clock = dossier.clock
            return Facts(agency: dossier.agencyCode, procedure: dossier.procedureCode, channel: dossier.channel, status: dossier.status,
                         submitted: dossier.submittedAt, closed: closed, timeliness: clock.timeliness, rounds: dossier.supplementRounds ?? 0,
                         digitised: dossier.attachments.contains { $0.fileId != nil }, electronic: dossier.result != nil,
                         paidOnline: row.paid_online.map { $0 == 1 }, rating: dossier.rating,
                         overdueAt: { end in clock.receivedAt != nil && clock.pausedAt == nil && (clock.dueAt.map { $0 < end } ?? false) })
        }
    }

    @Test func theSettlementReportAndThe766FiguresOfTheDemoYearMatchCountsMadeFromTheDossiers() async throws {
        let database = try await WritePathTests.database()
        let now = Date()
        let made = try await DemoYear(dossiers: DossierRepository(database: database), calendar: WorkingCalendar.vietnam)
            .load(procedures: DemoProcedures.all, agencies: KienGiangAgencies.all, now: now, total: 1_500, logger: Logger(label: "test"), in: database)
        #expect(made == 1_500)
        let controller = ReportsController(queries: ReportQueries(database: database), catalog: CatalogIndex(database: database), now: { now })
        let today = LocalDate(now)
        // The last six months: dossiers carried in from before, settled, and still open.
        let from = today.adding(days: -182), to = today.adding(days: -1)
        let (start, end) = (from.instant(), to.adding(days: 1).instant())
        let scope = try await controller.scope("H33", period: ReportPeriod(from: from, to: to))
        let all = try await Self.facts(database)
        let inPeriod = all.filter { $0.submitted < end && ($0.closed.map { $0 >= start } ?? true) }
        let closed = inPeriod.filter { $0.closed.map { $0 < end } ?? false }
        let settled = closed.filter { $0.status == .resultReady || $0.status == .delivered }
        let open = inPeriod.filter { $0.closed.map { $0 >= end } ?? true }
        let new = inPeriod.filter { $0.submitted >= start }

        let report = try await controller.settlement(scope, by: .agency)
        let total = report.total
        #expect(total.carriedOver == inPeriod.count - new.count && total.carriedOver > 0)
        #expect(total.newOnline == new.filter { $0.channel == .online || $0.channel == .nationalPortal }.count && total.newOnline > 0)
        #expect(total.newCounter == new.filter { $0.channel == .counter }.count)
        #expect(total.newPost == new.filter { $0.channel == .post }.count)
        #expect(total.settledLate == settled.filter { $0.timeliness == .late }.count && total.settledLate > 0)
        #expect(total.settledEarly == settled.filter { $0.timeliness == .early }.count)
        #expect(total.settled == settled.count)
        #expect(total.refused == closed.filter { $0.status == .refused }.count && total.refused > 0)
        #expect(total.withdrawn == closed.filter { $0.status == .withdrawn }.count)
        #expect(total.inProgress == open.count && total.inProgress > 0)
        #expect(total.inProgressOverdue == open.filter { $0.overdueAt(min(end, now)) }.count)
        // Nothing is lost between the columns: what came in either closed or is still open.
        #expect(total.received == total.settled + total.refused + total.withdrawn + total.stopped + total.inProgress)
        // A row per agency under the province, adding up to the whole; by procedure, the same whole.
        #expect(report.rows.count > 10 && report.rows.allSatisfy { $0.key != "" })
        var sum = SettlementReport.Row(key: "", name: report.agencyName)
        for row in report.rows { sum.add(row) }
        #expect(sum == total)
        let byProcedure = try await controller.settlement(scope, by: .procedure)
        #expect(byProcedure.total == total && byProcedure.rows.count == Set(inPeriod.map(\.procedure)).count)

        let figures = try await controller.indicators(scope)
        let onTime = settled.filter { ($0.timeliness ?? .onTime) != .late && $0.rounds <= 1 }
        let paid = new.filter { $0.paidOnline != nil }
        func figure(_ indicator: Indicator766) -> IndicatorReport.Figure? { figures.figure(indicator) }
        #expect(figure(.onTime) == .init(indicator: .onTime, counted: onTime.count, of: settled.count))
        // A second supplement makes an otherwise timely dossier late for Decision 766.
        #expect(settled.contains { $0.rounds == 2 && $0.timeliness != .late })
        #expect(figure(.online) == .init(indicator: .online, counted: total.newOnline, of: new.count))
        #expect(figure(.paidOnline) == .init(indicator: .paidOnline, counted: paid.filter { $0.paidOnline == true }.count, of: paid.count))
        #expect(paid.contains { $0.paidOnline == true } && paid.contains { $0.paidOnline == false })
        #expect(figure(.digitised) == .init(indicator: .digitised, counted: new.filter(\.digitised).count, of: new.count))
        #expect(figure(.electronicResult) == .init(indicator: .electronicResult, counted: settled.filter(\.electronic).count, of: settled.count))
        let satisfied = onTime.filter { ($0.rating ?? 5) > 2 }
        #expect(figure(.satisfaction) == .init(indicator: .satisfaction, counted: satisfied.count, of: settled.count))
        #expect(figures.channels["online"] == new.filter { $0.channel == .online }.count)
        // Month by month and agency by agency, the same figures add up to the whole.
        #expect(figures.months.count >= 6 && figures.months.count <= 8)
        #expect(figures.months.compactMap { $0.figure(.onTime)?.of }.reduce(0, +) == settled.count)
        #expect(figures.agencies.compactMap { $0.figure(.online)?.counted }.reduce(0, +) == total.newOnline)

        // The dossiers behind the on-time figure's late part, page after page: exactly those.
        var late: [String] = []
        var after: (at: Int64, id: String)?
        repeat {
            let page = try await controller.dossiers(scope, .onTime, part: .rest, after: after, pageSize: 100)
            #expect(page.items.allSatisfy { $0.timeliness == .late || $0.supplementRounds > 1 })
            late += page.items.map(\.id)
            after = page.nextCursor.map { cursor in
                let pieces = cursor.split(separator: ":", maxSplits: 1)
                return (Int64(pieces[0])!, String(pieces[1]))
            }
        } while after != nil
        #expect(late.count == settled.count - onTime.count && Set(late).count == late.count)
        await database.close()
    }

    /// Fees paid online or at the counter reach the 766 figure from payments' events: a payment through the gateway
    /// counts as online, one in cash does not, a later cash payment does not undo an online one, and an event replayed
    /// changes nothing.
    @Test func paymentsEventsDecideTheShareOfFeesPaidOnline() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(fixture.officer)
        let payments = try await fixture.service("payments")
        let admin = try await fixture.token(Identity(subject: "admin", roles: [.admin]))
        try await app.test(.router) { client in
            func receive() async throws -> DossierView {
                try #require(view(try await client.execute(uri: "/v1/dossiers", method: .post, headers: officer,
                                                           body: try body(fixture.request(CatalogVersionTests.code, channel: .counter,
                                                                                          documents: CatalogVersionTests.documents)))))
            }
            func paid(_ dossier: DossierView, id: String, method: PaymentMethod) throws -> EventEnvelope {
                try EventEnvelope(type: EventType.paymentSucceeded, source: "payments", requestId: "r-\(id)",
                                  payload: PaymentEventPayload(paymentId: id, dossierId: dossier.id, amount: VND(15_000), method: method.rawValue))
            }
            func post(_ event: EventEnvelope) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/internal/events", method: .post, headers: payments,
                                         body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(event))) { $0.status }
            }
            func figure() async throws -> IndicatorReport.Figure? {
                try await client.execute(uri: "/v1/reports/indicators?agency=\(KienGiangCodes.honTre)", method: .get, headers: admin) {
                    try JSONDecoder.motcua.decode(IndicatorReport.self, from: Data($0.body.readableBytesView)).figure(.paidOnline)
                }
            }
            let cash = try await receive(), online = try await receive(), unpaid = try await receive()
            _ = unpaid
            #expect(try await figure() == .init(indicator: .paidOnline, counted: 0, of: 0), "nothing paid yet: nothing to count")
            #expect(try await post(try paid(cash, id: "p-cash", method: .counter)) == .ok)
            let gateway = try paid(online, id: "p-online", method: .gateway)
            #expect(try await post(gateway) == .ok)
            #expect(try await post(gateway) == .accepted, "a replayed event is acknowledged and ignored")
            #expect(try await post(try paid(online, id: "p-online-cash", method: .counter)) == .ok)
            #expect(try await figure() == .init(indicator: .paidOnline, counted: 1, of: 2))
        }
    }

    @Test func aReportIsRefusedOutsideTheCallersAgencyAndForABadPeriodOrFigure() async throws {
        let (app, settings) = try await demoSingleWindow()
        let fixture = DossierFixture(settings: settings)
        let officer = try await fixture.token(Identity(subject: "o", roles: [.officer], agency: KienGiangCodes.honTre))
        let leader = try await fixture.token(Identity(subject: "l", roles: [.leader], agency: "H33"))
        try await app.test(.router) { client in
            func status(_ uri: String, _ headers: HTTPFields) async throws -> (Int, String) {
                try await client.execute(uri: uri, method: .get, headers: headers) { (Int($0.status.code), String(buffer: $0.body)) }
            }
            // Their own agency answers; the province (above it) does not.
            #expect(try await status("/v1/reports/settlement", officer).0 == 200)
            let above = try await status("/v1/reports/settlement?agency=H33", officer)
            #expect(above.0 == 403 && above.1.contains(KienGiangCodes.honTre))
            // The province's leader reads any agency under it.
            #expect(try await status("/v1/reports/indicators?agency=\(KienGiangCodes.honTre)", leader).0 == 200)
            #expect(try await status("/v1/reports/settlement?agency=NOPE", leader).0 == 404)
            let backwards = try await status("/v1/reports/settlement?from=2026-05-01&to=2026-04-01", leader)
            #expect(backwards.0 == 400 && backwards.1.contains("from"))
            #expect(try await status("/v1/reports/settlement?from=2010-01-01&to=2026-04-01", leader).0 == 400)
            #expect(try await status("/v1/reports/settlement?by=month", leader).0 == 400)
            let figure = try await status("/v1/reports/dossiers?indicator=speed", leader)
            #expect(figure.0 == 400 && figure.1.contains("onTime"))
            #expect(try await status("/v1/reports/dossiers?indicator=onTime&after=nonsense", leader).0 == 400)
            #expect(try await client.execute(uri: "/v1/reports/settlement", method: .get) { $0.status.code } == 401)
        }
    }
}
