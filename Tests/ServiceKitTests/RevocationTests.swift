import Foundation
import Logging
@testable import ServiceKit
import SQLKit
import Testing

/// A replica that did not receive `account.disabled` learns of it from the table the replica that did wrote:
/// `RevocationWatcher` reads `revoked_subjects` into its verifier, a later revocation of the same account moves its
/// time on, and `Revocations.record` keeps the latest of two.
@Suite("Revoked accounts across replicas")
struct RevocationTests {
    @Test func aReplicaRefusesTheTokensOfAnAccountAnotherReplicaRevoked() async throws {
        let logger = Logger(label: "test")
        let database = try await Database.open(ServiceSettings.testing(name: "x").database, logger: logger)
        try await Migrator.run([EventTables.migrations], on: database, logger: logger)
        let issuer = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let jwks = issuer.jwks
        let here = await TokenVerifier(serviceSecret: "s") { jwks }, there = await TokenVerifier(serviceSecret: "s") { jwks }
        let officer = Identity(subject: "officer-42", roles: [.officer], agency: "H33")
        let token = try await issuer.token(for: officer, now: Date().addingTimeInterval(-60))
        #expect(try await there.verify(token) == officer, "verified (and remembered) before the revocation")

        // The replica that got the event records it; the other only reads the table.
        try await database.transaction { db in
            try await Revocations.record(.init(accountId: "officer-42", since: Date().addingTimeInterval(-30)), verifier: here, in: db)
            // An older revocation arriving late keeps the newer time.
            try await Revocations.record(.init(accountId: "officer-42", since: Date().addingTimeInterval(-3600)), verifier: here, in: db)
        }
        struct Row: Decodable { let since: Int64 }
        let kept = try await database.read { try await $0.select().column("since").from("revoked_subjects").all(decoding: Row.self) }
        #expect(kept.count == 1 && kept[0].since > Date().addingTimeInterval(-60).epochMilliseconds)
        await #expect(throws: Problem.self) { try await here.verify(token) }

        let watcher = Task { try await RevocationWatcher(database: database, verifier: there, logger: logger, interval: .milliseconds(50)).run() }
        var refused = false
        for _ in 0..<100 where !refused {
            do { _ = try await there.verify(token) } catch let problem as Problem { refused = problem.type.hasSuffix("account.disabled") }
            if !refused { try await Task.sleep(for: .milliseconds(20)) }
        }
        watcher.cancel()
        #expect(refused, "the other replica refuses the remembered token once it has read the table")
        let fresh = try await issuer.token(for: officer)
        #expect(try await there.verify(fresh) == officer, "a token issued after the revocation works")
        await database.close()
    }
}
