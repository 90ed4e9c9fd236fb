import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import SQLKit
@testable import SingleWindowApp
import Testing

/// The single-window pieces that HTTP tests reach only by luck of timing: a batch of intakes with a bad one in it,
/// and a catalog changed through another replica.
@Suite("Intake batches and catalog freshness")
struct WritePathTests {
    static func database() async throws -> Database {
        let database = try await Database.open(ServiceSettings.testing(name: "single-window").database, logger: Logger(label: "test"))
        try await Migrator.run([EventTables.migrations, SingleWindowMigrations.all], on: database, logger: Logger(label: "test"))
        try await database.transaction { db in
            try await AgencyRepository(database: database).save(KienGiangAgencies.all, in: db)
            for procedure in DemoProcedures.all { try await ProcedureRepository(database: database).save(procedure, in: db) }
        }
        return database
    }

    static func intake(_ agency: Agency, procedure: Procedure) -> PreparedIntake {
        let request = SubmitDossierRequest(procedureCode: procedure.code, agencyCode: agency.code, channel: .counter,
                                           applicant: DossierFixture.applicant, attachments: [], delivery: .init(method: .counter))
        return PreparedIntake(request: request, applicant: DossierFixture.applicant, procedure: procedure, agency: agency,
                              identity: Identity(subject: "officer", roles: [.officer], agency: agency.code), role: .officer, claim: nil,
                              requestID: "r", at: Date())
    }

    @Test func anIntakeThatCannotBeWrittenFailsAloneAndTheOthersOfItsBatchAreWritten() async throws {
        let database = try await Self.database()
        let agencies = Dictionary(KienGiangAgencies.all.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let full = try #require(agencies[KienGiangCodes.anSon])
        let open = try #require(agencies[KienGiangCodes.honTre])
        let marriage = try #require(DemoProcedures.all.first { $0.code == "1.000894" })
        // An Sơn has given out its last number of the day: its next intake cannot get a code.
        try await database.transaction { db in
            try await db.insert(into: "dossier_sequences").columns("agency_code", "day", "last")
                .values(SQLBind(full.code), SQLBind(LocalDate(Date()).description), SQLBind(9_999)).run()
        }
        let batcher = IntakeBatcher(database: database, dossiers: DossierRepository(database: database),
                                    outbox: Outbox(subscriptions: Subscriptions.table), calendar: .vietnam)
        let outcomes = await withTaskGroup(of: (String, Result<IntakeOutcome, any Error>).self) { group in
            for index in 0..<12 {
                let agency = index == 5 ? full : open
                group.addTask {
                    do {
                        return (agency.code, .success(try await batcher.write(Self.intake(agency, procedure: marriage))))
                    } catch {
                        return (agency.code, .failure(error))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let refused = outcomes.filter { if case .failure = $0.1 { true } else { false } }
        #expect(refused.count == 1)
        #expect(refused.first?.0 == full.code)
        if case .failure(let error) = refused.first?.1 { #expect((error as? Problem)?.status == .serviceUnavailable) }
        let codes = outcomes.compactMap { if case .success(.created(let dossier, _)) = $0.1 { dossier.code } else { nil } }
        #expect(codes.compactMap { try? DossierCode(parsing: $0).sequence }.sorted() == Array(1...11))
        // Nothing of the refused intake was written; every written one has its history entry and its events.
        #expect(try await database.read { try await $0.select().from("dossiers").countRows() } == 11)
        #expect(try await database.read { try await $0.select().from("dossier_events").countRows() } == 11)
        #expect(try await database.read { try await $0.select().from("outbox").where("event_type", .equal, EventType.dossierReceived).countRows() }
                == 11 * (Subscriptions.table[EventType.dossierReceived]?.count ?? 0))
        await database.close()
    }

    /// A database from before the inbox kept its rows' columns (migration 10): upgrading fills them from each
    /// dossier's body, so its queues show the names and steps as a new dossier's do.
    @Test func upgradingFillsTheInboxColumnsOfDossiersWrittenBefore() async throws {
        let current = try await Self.database()
        let batcher = IntakeBatcher(database: current, dossiers: DossierRepository(database: current),
                                    outbox: Outbox(subscriptions: Subscriptions.table), calendar: .vietnam)
        let agency = try #require(KienGiangAgencies.all.first { $0.code == KienGiangCodes.honTre })
        let marriage = try #require(DemoProcedures.all.first { $0.code == "1.000894" })
        guard case .created(let written, _) = try await batcher.write(Self.intake(agency, procedure: marriage)) else {
            Issue.record("the intake was not written")
            return
        }
        let old = ["id", "code", "procedure_code", "agency_code", "channel", "status", "applicant_phone", "submitted_by", "submitted_at", "received_at",
                   "due_at", "paused_at", "finished_at", "timeliness", "body", "version", "assigned_to", "public_view", "search_key"]
        struct Row: Codable {
            let id: String, code: String, procedure_code: String, agency_code: String, channel: String, status: Int, applicant_phone: String
            let submitted_by: String, submitted_at: Int64, received_at: Int64?, due_at: Int64?, paused_at: Int64?, finished_at: Int64?
            let timeliness: String?, body: String, version: Int, assigned_to: String?, public_view: String?, search_key: String?
        }
        let row = try #require(try await current.read { try await $0.select().columns(old.map { SQLColumn($0) }).from("dossiers").first(decoding: Row.self) })
        struct Columns: Decodable, Equatable { let procedure_name: String?; let applicant_name: String?; let step_title: String?; let step_due_at: Int64? }
        let expected = try #require(try await current.read {
            try await $0.select().columns("procedure_name", "applicant_name", "step_title", "step_due_at").from("dossiers").first(decoding: Columns.self)
        })
        #expect(expected.step_title != nil && expected.applicant_name == written.applicant.fullName)
        await current.close()

        let upgraded = try await Database.open(ServiceSettings.testing(name: "single-window").database, logger: Logger(label: "test"))
        let before = MigrationSet(scope: SingleWindowMigrations.all.scope, Array(SingleWindowMigrations.all.migrations.prefix { $0.version < 10 }))
        try await Migrator.run([EventTables.migrations, before], on: upgraded, logger: Logger(label: "test"))
        try await upgraded.transaction { try await $0.insert(into: "dossiers").model(row).run() }
        try await Migrator.run([EventTables.migrations, SingleWindowMigrations.all], on: upgraded, logger: Logger(label: "test"))
        let filled = try await upgraded.read {
            try await $0.select().columns("procedure_name", "applicant_name", "step_title", "step_due_at").from("dossiers").first(decoding: Columns.self)
        }
        #expect(filled == expected)
        await upgraded.close()
    }

    @Test func anotherReplicasCatalogChangeIsSeenWithinTheRecheckTime() async throws {
        let database = try await Self.database()
        let here = CatalogIndex(database: database, recheck: .milliseconds(200))
        let marriage = try #require(try await here.procedure("1.000894"))
        #expect(try await here.snapshot().search(ProcedureQuery(text: "ket hon")).items.map(\.code).contains("1.000894"))
        // Another replica renames the procedure: this one still answers from memory, then sees it.
        var changed = marriage
        changed.name = "Đăng ký kết hôn liên thông"
        let renamed = changed
        try await database.transaction { try await ProcedureRepository(database: database).save(renamed, in: $0) }
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await here.procedure("1.000894")?.name == "Đăng ký kết hôn liên thông")
        #expect(try await here.snapshot().search(ProcedureQuery(text: "lien thong")).items.map(\.code) == ["1.000894"])
        await database.close()
    }
}
