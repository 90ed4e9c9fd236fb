import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// The SQL behind the reports: counts over the columns `ReportColumns` keeps, read through the two indexes of an
/// agency's dossiers by time (`dossiers_agency_submitted`, `dossiers_agency_closed`), which hold every column the
/// counts read, so a report over a year of a province's dossiers reads two index ranges and no row of the table.
///
/// A dossier belongs to a period's report when it came in before the period ended and had not closed before it began;
/// then it either closed during the period (settled, refused, withdrawn, stopped) or was still open at its end, so
/// carried over + new = closed in the period + in progress at its end.
struct ReportQueries: Sendable {
    let database: Database

    /// What the rows are counted by: the agency a dossier is at, or its procedure.
    enum Key { case agency, procedure }

    /// Counts of the dossiers that came in during the period, per key and month.
    struct Submitted: Decodable {
        let key: String, bucket: Int
        let n: Int, online: Int, national: Int, counter: Int, post: Int, digitised: Int, paid: Int, paid_online: Int
    }

    /// Counts of the dossiers that closed during the period, per key and month.
    struct Closed: Decodable {
        let key: String, bucket: Int
        let early: Int, on_time: Int, late: Int, refused: Int, withdrawn: Int, stopped: Int
        let on_time_766: Int, electronic: Int, satisfied: Int, carried: Int
    }

    /// Counts of the dossiers still open at the period's end, per key.
    struct Open: Decodable {
        let key: String
        let n: Int, overdue: Int, carried: Int
    }

    // MARK: The rules, in SQL (one definition serves the counts and the drill-down)

    /// `+status`: the unary plus keeps the planner off the (agency, status) index, which would read every settled
    /// dossier of all years; a period's are read from the closing index's range, whose entries carry the status.
    static let settled: SQLQueryString = "+status IN (\(literal: DossierStatus.resultReady.rawValue), \(literal: DossierStatus.delivered.rawValue))"
    /// On time as Decision 766 counts it: early or on time (no due date cannot be late), at most one supplement round.
    static let onTime766: SQLQueryString = settled
        + " AND COALESCE(timeliness, 'onTime') IN ('early', 'onTime') AND supplement_rounds <= \(literal: Indicator766.supplementRoundsAllowed)"

    /// The dossiers of the indicator's denominator, among its population.
    static func included(_ indicator: Indicator766) -> SQLQueryString {
        switch indicator {
        case .onTime, .electronicResult, .satisfaction: settled
        case .paidOnline: "paid_online IS NOT NULL"
        case .online, .digitised: "1 = 1"
        }
    }

    /// Those of the denominator the indicator counts (the rule `Indicator766` prints).
    static func counted(_ indicator: Indicator766) -> SQLQueryString {
        switch indicator {
        case .onTime: onTime766
        case .online: "channel IN ('\(unsafeRaw: IntakeChannel.online.rawValue)', '\(unsafeRaw: IntakeChannel.nationalPortal.rawValue)')"
        case .paidOnline: "paid_online = 1"
        case .digitised: "digitised = 1"
        case .electronicResult: settled + " AND electronic_result = 1"
        case .satisfaction: onTime766 + " AND (rating IS NULL OR rating > \(literal: Indicator766.complaintRating))"
        }
    }

    /// The column a population is read by.
    static func timeColumn(_ population: Indicator766.Population) -> String {
        switch population {
        case .submitted: "submitted_at"
        case .settled: "closed_at"
        }
    }

    /// Grouped by position (`GROUP BY 1, 2`): PostgreSQL takes a bucket's CASE with its binds for another expression than the select's.
    private static func sum(_ condition: SQLQueryString, as name: String) -> SQLQueryString {
        "SUM(CASE WHEN " + condition + " THEN 1 ELSE 0 END) AS \(ident: name)"
    }

    private static func channel(_ channel: IntakeChannel) -> SQLQueryString { "channel = \(bind: channel.rawValue)" }

    /// `CASE WHEN column < b1 THEN 0 WHEN column < b2 THEN 1 … END`: the month (bucket) a time falls in.
    static func bucket(_ column: String, bounds: [Int64]) -> SQLQueryString {
        guard !bounds.isEmpty else { return "0" }
        var expression: SQLQueryString = "CASE"
        for (index, bound) in bounds.enumerated() { expression += " WHEN \(ident: column) < \(bind: bound) THEN \(literal: index)" }
        return expression + " ELSE \(literal: bounds.count) END"
    }

    private static func keyColumn(_ key: Key) -> SQLQueryString {
        switch key {
        case .agency: "agency_code AS key"
        case .procedure: "procedure_code AS key"
        }
    }

    // MARK: The three passes

    /// `monthEnds`: the first instant after each month of the period but the last, in epoch milliseconds.
    func submitted(agencies: [String], start: Int64, end: Int64, key: Key, monthEnds: [Int64]) async throws -> [Submitted] {
        let bucket = Self.bucket("submitted_at", bounds: monthEnds)
        let query: SQLQueryString = "SELECT " + Self.keyColumn(key) + ", " + bucket + " AS bucket, COUNT(*) AS n, "
            + Self.sum("channel = 'online'", as: "online") + ", " + Self.sum(Self.channel(.nationalPortal), as: "national") + ", "
            + Self.sum(Self.channel(.counter), as: "counter") + ", " + Self.sum(Self.channel(.post), as: "post") + ", "
            + "CAST(SUM(digitised) AS BIGINT) AS digitised, " + Self.sum(Self.included(.paidOnline), as: "paid") + ", "
            + Self.sum(Self.counted(.paidOnline), as: "paid_online")
            + " FROM dossiers WHERE agency_code IN \(SQLBind.group(agencies)) AND submitted_at >= \(bind: start) AND submitted_at < \(bind: end)"
            + " GROUP BY 1, 2"
        return try await self.database.read { db in try await db.raw(query).all(decoding: Submitted.self) }
    }

    func closed(agencies: [String], start: Int64, end: Int64, key: Key, monthEnds: [Int64]) async throws -> [Closed] {
        let bucket = Self.bucket("closed_at", bounds: monthEnds)
        func settledAs(_ timeliness: Timeliness) -> SQLQueryString { Self.settled + " AND timeliness = \(bind: timeliness.rawValue)" }
        let onTime: SQLQueryString = Self.settled + " AND (timeliness IS NULL OR timeliness = \(bind: Timeliness.onTime.rawValue))"
        func status(_ status: DossierStatus) -> SQLQueryString { "status = \(literal: status.rawValue)" }
        let query: SQLQueryString = "SELECT " + Self.keyColumn(key) + ", " + bucket + " AS bucket, "
            + Self.sum(settledAs(.early), as: "early") + ", " + Self.sum(onTime, as: "on_time") + ", " + Self.sum(settledAs(.late), as: "late") + ", "
            + Self.sum(status(.refused), as: "refused") + ", " + Self.sum(status(.withdrawn), as: "withdrawn") + ", "
            + Self.sum(status(.stopped), as: "stopped") + ", " + Self.sum(Self.counted(.onTime), as: "on_time_766") + ", "
            + Self.sum(Self.counted(.electronicResult), as: "electronic") + ", " + Self.sum(Self.counted(.satisfaction), as: "satisfied") + ", "
            + Self.sum("submitted_at < \(bind: start)", as: "carried")
            + " FROM dossiers WHERE agency_code IN \(SQLBind.group(agencies)) AND closed_at >= \(bind: start) AND closed_at < \(bind: end)"
            + " GROUP BY 1, 2"
        return try await self.database.read { db in try await db.raw(query).all(decoding: Closed.self) }
    }

    /// Open at the period's end: never closed, or closed after it (two ranges of the closing index, read apart). Whether
    /// a dossier came in before the end is counted, not filtered: as a filter the planner took the submission index
    /// and read every dossier of every year.
    func open(agencies: [String], start: Int64, end: Int64, now: Int64, key: Key) async throws -> [Open] {
        let before: SQLQueryString = "submitted_at < \(bind: end)"
        let overdue: SQLQueryString = before + " AND received_at IS NOT NULL AND due_at < \(bind: min(end, now)) AND paused_at IS NULL"
        func pass(_ closed: SQLQueryString) -> SQLQueryString {
            "SELECT " + Self.keyColumn(key) + ", " + Self.sum(before, as: "n") + ", " + Self.sum(overdue, as: "overdue") + ", "
                + Self.sum("submitted_at < \(bind: start)", as: "carried")
                + " FROM dossiers WHERE agency_code IN \(SQLBind.group(agencies)) AND " + closed
                + " GROUP BY 1"
        }
        let (never, later) = (pass("closed_at IS NULL"), pass("closed_at >= \(bind: end)"))
        return try await self.database.read { db in
            try await db.raw(never).all(decoding: Open.self) + db.raw(later).all(decoding: Open.self)
        }
    }

    // MARK: The dossiers behind a figure

    struct ItemRow: Decodable {
        let id: String, code: String, procedure_name: String?, agency_code: String, channel: String, status: Int, submitted_at: Int64
        let due_at: Int64?, finished_at: Int64?, timeliness: String?, supplement_rounds: Int, at: Int64

        var item: ReportDossierPage.Item {
            ReportDossierPage.Item(id: self.id, code: self.code, procedureName: self.procedure_name ?? "", agencyCode: self.agency_code,
                                   channel: self.channel, status: DossierStatus(rawValue: self.status) ?? .submitted,
                                   submittedAt: Date(epochMilliseconds: self.submitted_at), dueAt: self.due_at.map(Date.init(epochMilliseconds:)),
                                   finishedAt: self.finished_at.map(Date.init(epochMilliseconds:)),
                                   timeliness: self.timeliness.flatMap(Timeliness.init(rawValue:)), supplementRounds: self.supplement_rounds)
        }
    }

    /// A page of the dossiers behind one figure, latest first, after the cursor (`at`, `id` of the last row).
    func dossiers(_ indicator: Indicator766, part: Indicator766.Part, agencies: [String], start: Int64, end: Int64,
                  after: (at: Int64, id: String)?, limit: Int) async throws -> [ItemRow] {
        let time = Self.timeColumn(indicator.population)
        let counted = Self.counted(indicator)
        var query: SQLQueryString = "SELECT id, code, procedure_name, agency_code, channel, status, submitted_at, due_at, finished_at, timeliness, "
            + "supplement_rounds, \(ident: time) AS at FROM dossiers WHERE agency_code IN \(SQLBind.group(agencies)) AND \(ident: time) >= \(bind: start) "
            + "AND \(ident: time) < \(bind: end) AND " + Self.included(indicator) + " AND "
            + (part == .counted ? "(" + counted + ")" : "NOT (" + counted + ")")
        if let after {
            query += " AND (\(ident: time) < \(bind: after.at) OR (\(ident: time) = \(bind: after.at) AND id < \(bind: after.id)))"
        }
        query += " ORDER BY \(ident: time) DESC, id DESC LIMIT \(literal: limit)"
        let finished = query
        return try await self.database.read { db in try await db.raw(finished).all(decoding: ItemRow.self) }
    }
}
