import Contracts
import Foundation
import ServiceKit
import SQLKit

/// The latest start of each service instance, as announced through the services' outboxes.
public struct ServiceStartsRepository: Sendable {
    let database: Database

    /// Records a start inside the inbox transaction; a later start of the same instance replaces the earlier.
    func record(_ started: ServiceStarted, in db: any SQLDatabase) async throws {
        try await db.delete(from: "service_starts").where("instance", .equal, started.instance).run()
        try await db.insert(into: "service_starts").columns("instance", "service", "started_at", "received_at")
            .values(SQLBind(started.instance), SQLBind(started.service), SQLBind(started.startedAt.epochMilliseconds), SQLBind(Date().epochMilliseconds))
            .run()
    }

    public func latest() async throws -> [ServiceStarted] {
        struct Row: Decodable { let instance: String; let service: String; let started_at: Int64 }
        let rows = try await self.database.read { db in
            try await db.select().columns("instance", "service", "started_at").from("service_starts")
                .orderBy("started_at", .descending).limit(50).all(decoding: Row.self)
        }
        return rows.map { ServiceStarted(service: $0.service, instance: $0.instance, startedAt: Date(epochMilliseconds: $0.started_at)) }
    }
}
