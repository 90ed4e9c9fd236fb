import Foundation
import Logging
@testable import PortalApp
import ServiceKit
import ServiceTesting
import SQLKit
import Testing

@Suite("Portal housekeeping: what has run out is forgotten")
struct AccountSweeperTests {
    @Test func expiredSessionsTokensCodesAndOldSubmissionKeysGoTheRestStay() async throws {
        let database = try await Database.open(ServiceSettings.testing(name: "portal").database, logger: Logger(label: "test"))
        do {
            try await Migrator.run([PortalMigrations.all], on: database, logger: Logger(label: "test"))
            let clock = TestClock(Date())
            let now = clock.now
            let sessions = SessionRepository(database: database)
            _ = try await database.transaction { try await sessions.create(for: "a-1", now: now.addingTimeInterval(-9 * 3600), in: $0) }
            _ = try await database.transaction { try await sessions.create(for: "a-1", now: now, in: $0) }
            let tokens = RefreshTokens()
            let stale = try await database.transaction { try await tokens.issue(for: "a-1", now: now.addingTimeInterval(-31 * 86_400), in: $0) }
            let fresh = try await database.transaction { try await tokens.issue(for: "a-1", now: now, in: $0) }
            _ = try await database.transaction { try await PhoneCodes().issue(for: "a-1", purpose: .verifyPhone, now: now.addingTimeInterval(-600), in: $0) }
            let submissions = SubmissionRepository(database: database)
            _ = try await submissions.claim("key-from-last-month-0001", account: "a-1", now: now.addingTimeInterval(-30 * 86_400))
            _ = try await submissions.claim("key-from-today-000000001", account: "a-1", now: now)

            try await AccountSweeper(database: database, logger: Logger(label: "test"), now: { clock.now }).sweep()

            func rows(_ table: String) async throws -> Int {
                try await database.read { try await $0.select().from(table).countRows() }
            }
            #expect(try await rows("sessions") == 1)
            #expect(try await rows("refresh_tokens") == 1)
            #expect(try await rows("phone_codes") == 0)
            #expect(try await rows("submissions") == 1)
            #expect(try await database.transaction { try await tokens.use(fresh, now: now, in: $0) } != .refused)
            #expect(try await database.transaction { try await tokens.use(stale, now: now, in: $0) } == .refused)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
