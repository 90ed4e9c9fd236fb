import Foundation
import ServiceKit
import SQLKit

/// A bulk assignment a leader started: the dossiers (ticked on a page, or every one of a filtered queue, listed by the
/// runner), the officer they go to, and how far it has got. It is kept in the console's database, so a restart or
/// another instance carries on where it stopped.
struct BulkJob: Sendable, Equatable {
    enum State: String, Sendable {
        /// Every dossier of `listQuery` is being listed (then `running`).
        case listing
        case running
        case done
        /// It cannot go on (the leader signed out, the session ended); `note` says why. What was done stays done.
        case stopped
    }

    var id: String
    var accountID: String
    var sessionHash: String
    var clientAddress: String
    var officer: String
    var officerName: String
    var queue: String
    /// The inbox filter whose every dossier is assigned; nil when the leader ticked them.
    var listQuery: String?
    var state: State
    /// Why it waits or stopped, for the progress page (the service that does not answer, the session that ended).
    var note: String?
    var total: Int
    var assigned: Int
    var refused: Int
    var createdAt: Date
    var finishedAt: Date?

    var isFinished: Bool { self.state == .done || self.state == .stopped }
}

/// One dossier of a job, and what became of it (nil: not yet).
struct BulkItem: Sendable, Equatable {
    enum Outcome: String, Sendable { case assigned, refused }
    var position: Int
    var dossierID: String
    var code: String
    var expectedVersion: Int
    var outcome: Outcome?
    var detail: String?
}

/// The `bulk_jobs` and `bulk_items` tables. A job belongs to whoever runs it for `lease` (claimed with a conditional
/// UPDATE), so two instances never work one job at once and a job whose instance died is taken up again.
struct BulkJobs: Sendable {
    let database: Database
    /// The most dossiers one job assigns (`CONSOLE_BULK_LIMIT`); a longer list is refused, asking for a narrower filter.
    var limit = 5_000
    static let lease: TimeInterval = 30

    struct JobRow: Decodable {
        let id: String, account_id: String, session_hash: String, client_address: String, officer: String, officer_name: String, queue: String
        let list_query: String?, state: String, note: String?, total: Int, assigned: Int, refused: Int, created_at: Int64, finished_at: Int64?

        var job: BulkJob {
            BulkJob(id: self.id, accountID: self.account_id, sessionHash: self.session_hash, clientAddress: self.client_address, officer: self.officer,
                    officerName: self.officer_name, queue: self.queue, listQuery: self.list_query, state: BulkJob.State(rawValue: self.state) ?? .stopped,
                    note: self.note, total: self.total, assigned: self.assigned, refused: self.refused,
                    createdAt: Date(epochMilliseconds: self.created_at), finishedAt: self.finished_at.map(Date.init(epochMilliseconds:)))
        }
    }

    static let jobColumns = ["id", "account_id", "session_hash", "client_address", "officer", "officer_name", "queue", "list_query", "state", "note",
                             "total", "assigned", "refused", "created_at", "finished_at"]

    /// Keeps a new job with its ticked dossiers (none when the runner lists them: its total is then the list's length
    /// when it was asked for, until the runner lists it), in one transaction.
    func create(_ job: BulkJob, items: [BulkItem]) async throws {
        try await self.database.transaction { db in
            try await db.insert(into: "bulk_jobs").columns(Self.jobColumns + ["lease_until"])
                .values(SQLBind(job.id), SQLBind(job.accountID), SQLBind(job.sessionHash), SQLBind(job.clientAddress), SQLBind(job.officer),
                        SQLBind(job.officerName), SQLBind(job.queue), SQLBind(job.listQuery), SQLBind(job.state.rawValue), SQLBind(job.note),
                        SQLBind(job.total), SQLBind(0), SQLBind(0), SQLBind(job.createdAt.epochMilliseconds), SQLBind(job.finishedAt?.epochMilliseconds),
                        SQLBind(Int64(0)))
                .run()
            try await self.insert(items, of: job.id, in: db)
        }
    }

    private func insert(_ items: [BulkItem], of job: String, in db: any SQLDatabase) async throws {
        // A few hundred rows a statement keeps under every database's limit of bound values.
        for start in stride(from: 0, to: items.count, by: 400) {
            var insert = db.insert(into: "bulk_items").columns("job_id", "position", "dossier_id", "code", "expected_version")
            for item in items[start..<min(start + 400, items.count)] {
                insert = insert.values(SQLBind(job), SQLBind(item.position), SQLBind(item.dossierID), SQLBind(item.code), SQLBind(item.expectedVersion))
            }
            try await insert.run()
        }
    }

    /// The job, for the account that started it only (anyone else: nil, as for a job that does not exist).
    func find(_ id: String, of account: String) async throws -> BulkJob? {
        try await self.database.read { db in
            try await db.select().columns(Self.jobColumns.map { SQLColumn($0) }).from("bulk_jobs").where("id", .equal, SQLBind(id))
                .where("account_id", .equal, SQLBind(account)).first(decoding: JobRow.self)?.job
        }
    }

    /// The account's jobs still going, newest first (the queue page points to them).
    func unfinished(of account: String) async throws -> [BulkJob] {
        try await self.database.read { db in
            try await db.select().columns(Self.jobColumns.map { SQLColumn($0) }).from("bulk_jobs").where("account_id", .equal, SQLBind(account))
                .where("state", .in, [BulkJob.State.listing.rawValue, BulkJob.State.running.rawValue]).orderBy("created_at", .descending).limit(5)
                .all(decoding: JobRow.self).map(\.job)
        }
    }

    static let itemColumns = ["position", "dossier_id", "code", "expected_version", "outcome", "detail"]

    struct ItemRow: Decodable {
        let position: Int, dossier_id: String, code: String, expected_version: Int, outcome: String?, detail: String?
        var item: BulkItem {
            BulkItem(position: self.position, dossierID: self.dossier_id, code: self.code, expectedVersion: self.expected_version,
                     outcome: self.outcome.flatMap(BulkItem.Outcome.init(rawValue:)), detail: self.detail)
        }
    }

    /// The dossiers that were refused, in the job's order (the progress page lists them with the reason).
    func refusals(of job: String, limit: Int = 200) async throws -> [BulkItem] {
        try await self.database.read { db in
            try await db.select().columns(Self.itemColumns.map { SQLColumn($0) }).from("bulk_items")
                .where("job_id", .equal, SQLBind(job)).where("outcome", .equal, SQLBind(BulkItem.Outcome.refused.rawValue)).orderBy("position")
                .limit(limit).all(decoding: ItemRow.self).map(\.item)
        }
    }

    /// The next dossiers still to do.
    func pending(of job: String, limit: Int) async throws -> [BulkItem] {
        try await self.database.read { db in
            try await db.select().columns(Self.itemColumns.map { SQLColumn($0) }).from("bulk_items")
                .where("job_id", .equal, SQLBind(job)).where("outcome", .is, SQLLiteral.null).orderBy("position").limit(limit)
                .all(decoding: ItemRow.self).map(\.item)
        }
    }

    /// Takes an unfinished job no one holds (or whose holder's lease ran out) for `lease`.
    func claim(now: Date) async throws -> BulkJob? {
        try await self.database.transaction { db in
            try await db.raw("""
                UPDATE bulk_jobs SET lease_until = \(bind: now.addingTimeInterval(Self.lease).epochMilliseconds)
                WHERE id = (SELECT id FROM bulk_jobs WHERE state IN ('listing', 'running') AND lease_until < \(bind: now.epochMilliseconds)
                            ORDER BY created_at LIMIT 1)
                  AND lease_until < \(bind: now.epochMilliseconds)
                RETURNING \(idents: Self.jobColumns, joinedBy: ", ")
                """).first(decoding: JobRow.self)?.job
        }
    }

    /// Holds the job a while longer; with `waiting`, says why it waits (until the next dossier's outcome is recorded).
    func renew(_ job: String, waiting: BulkRunner.Note? = nil, now: Date) async throws {
        try await self.database.transaction { db in
            var update = db.update("bulk_jobs").set("lease_until", to: SQLBind(now.addingTimeInterval(Self.lease).epochMilliseconds))
            if let waiting { update = update.set("note", to: SQLBind(waiting.rawValue)) }
            try await update.where("id", .equal, SQLBind(job)).run()
        }
    }

    /// Lets another runner take the job at once (this one is shutting down).
    func release(_ job: String) async throws {
        try await self.database.transaction { db in
            try await db.update("bulk_jobs").set("lease_until", to: SQLBind(Int64(0))).where("id", .equal, SQLBind(job)).run()
        }
    }

    /// The listed dossiers of a whole-queue job; it runs from now on.
    func listed(_ job: String, items: [BulkItem]) async throws {
        try await self.database.transaction { db in
            try await db.delete(from: "bulk_items").where("job_id", .equal, SQLBind(job)).run()
            try await self.insert(items, of: job, in: db)
            try await db.update("bulk_jobs").set("state", to: SQLBind(BulkJob.State.running.rawValue)).set("total", to: SQLBind(items.count))
                .set("note", to: SQLLiteral.null).where("id", .equal, SQLBind(job)).run()
        }
    }

    /// What became of one dossier, and the job's counts with it, together.
    func record(_ outcome: BulkItem.Outcome, detail: String?, position: Int, of job: String) async throws {
        try await self.database.transaction { db in
            try await db.update("bulk_items").set("outcome", to: SQLBind(outcome.rawValue)).set("detail", to: SQLBind(detail))
                .where("job_id", .equal, SQLBind(job)).where("position", .equal, SQLBind(position)).where("outcome", .is, SQLLiteral.null).run()
            let column = outcome == .assigned ? "assigned" : "refused"
            try await db.raw("UPDATE bulk_jobs SET \(ident: column) = \(ident: column) + 1, note = NULL WHERE id = \(bind: job)").run()
        }
    }

    /// The job is over: done, or stopped for `note`.
    func finish(_ job: String, _ state: BulkJob.State, note: String?, now: Date) async throws {
        try await self.database.transaction { db in
            try await db.update("bulk_jobs").set("state", to: SQLBind(state.rawValue)).set("note", to: SQLBind(note))
                .set("finished_at", to: SQLBind(now.epochMilliseconds)).set("lease_until", to: SQLBind(Int64(0))).where("id", .equal, SQLBind(job)).run()
        }
    }
}
