import Foundation
import ServiceKit
import SQLKit

/// What each person chose for their own screens (the queue's columns), kept by account in the console's database so
/// it follows them to any browser and any console instance.
struct StaffPreferences: Sendable {
    let database: Database

    func value(_ name: String, of account: String) async throws -> String? {
        struct Row: Decodable { let value: String }
        return try await self.database.read { db in
            try await db.select().column("value").from("staff_preferences").where("account_id", .equal, account).where("name", .equal, name)
                .first(decoding: Row.self)?.value
        }
    }

    func set(_ name: String, to value: String, of account: String, at now: Date) async throws {
        try await self.database.transaction { db in
            try await db.insert(into: "staff_preferences").columns("account_id", "name", "value", "updated_at")
                .values(SQLBind(account), SQLBind(name), SQLBind(value), SQLBind(now.epochMilliseconds))
                .onConflict(with: ["account_id", "name"]) { $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at") }
                .run()
        }
    }
}
