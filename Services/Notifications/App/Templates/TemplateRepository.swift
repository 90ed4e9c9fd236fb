import DomainKit
import Foundation
import ServiceKit
import SQLKit
import Synchronization

/// Message templates; a change adds a version, and every version stays readable, since messages name the one they used.
/// The latest versions are kept in memory, read again at most a second after they were last read (so a change made
/// through another replica is used within a second) and at once after a change made here.
struct TemplateRepository: Sendable {
    let database: Database
    private let cache = LatestTemplates()

    init(database: Database) {
        self.database = database
    }

    final class LatestTemplates: Sendable {
        struct State {
            var byID: [String: MessageTemplate] = [:]
            var readAt: ContinuousClock.Instant?
            /// A reader is fetching them again; the others use what is here meanwhile.
            var refreshing = false
            /// Moves on each change made here, so that a fetch begun before the change does not store what it read.
            var generation = 0
        }

        let state = Mutex(State())
    }

    private struct Row: Decodable {
        let id: String, version: Int, channel: String, language: String, subject: String?, body: String, html: String?

        var template: MessageTemplate? {
            MessageTemplate.Channel(rawValue: self.channel).map {
                MessageTemplate(id: self.id, version: self.version, channel: $0, language: self.language, subject: self.subject, body: self.body,
                                html: self.html)
            }
        }
    }

    private static let columns = ["id", "version", "channel", "language", "subject", "body", "html"]

    /// Writes the template as the version after the latest; the template as stored.
    static func add(_ template: MessageTemplate, in db: any SQLDatabase) async throws -> MessageTemplate {
        struct Latest: Decodable { let version: Int? }
        let latest = try await db.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "version").from("templates")
            .where("id", .equal, template.id).first(decoding: Latest.self)?.version ?? 0
        var stored = template
        stored.version = latest + 1
        try await db.insert(into: "templates").columns("id", "version", "channel", "language", "subject", "body", "html", "created_at")
            .values(SQLBind(stored.id), SQLBind(stored.version), SQLBind(stored.channel.rawValue), SQLBind(stored.language), SQLBind(stored.subject),
                    SQLBind(stored.body), SQLBind(stored.html), SQLBind(Date().epochMilliseconds))
            .run()
        return stored
    }

    /// The latest version (from memory when read within the second), or the one asked for.
    func find(_ id: String, version: Int? = nil) async throws -> MessageTemplate? {
        if version == nil {
            let now = ContinuousClock.now
            let (current, found, generation) = self.cache.state.withLock { state -> (Bool, MessageTemplate?, Int) in
                let fresh = state.readAt.map { now - $0 < .seconds(1) } ?? false
                // Stale: the first reader fetches them again; the others answer from memory until it has.
                if fresh || (state.refreshing && state.readAt != nil) { return (true, state.byID[id], state.generation) }
                state.refreshing = true
                return (false, nil, state.generation)
            }
            if current { return found }
            do {
                let latest = try await self.latest()
                let byID = Dictionary(latest.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                self.cache.state.withLock { state in
                    if state.generation == generation { state = LatestTemplates.State(byID: byID, readAt: now, generation: generation) }
                }
                return byID[id]
            } catch {
                self.cache.state.withLock { if $0.generation == generation { $0.refreshing = false } }
                throw error
            }
        }
        return try await self.database.read { db in
            var select = db.select().columns(Self.columns).from("templates").where("id", .equal, id)
            if let version { select = select.where("version", .equal, version) }
            return try await select.orderBy("version", .descending).limit(1).first(decoding: Row.self)
        }?.template
    }

    /// A template was changed here: the next read goes to the database.
    func forget() {
        self.cache.state.withLock { $0 = LatestTemplates.State(generation: $0.generation + 1) }
    }

    /// The latest version of every template, by id.
    func latest() async throws -> [MessageTemplate] {
        let rows = try await self.database.read { db in
            try await db.select().columns(Self.columns).from("templates").orderBy("id").orderBy("version", .descending).all(decoding: Row.self)
        }
        var seen: Set<String> = []
        return rows.filter { seen.insert($0.id).inserted }.compactMap(\.template)
    }
}
