import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// The reports a province is judged by, for an agency and everything under it: the periodic settlement report and
/// the indicators of Decision 766/QĐ-TTg with the dossiers behind each figure. Staff read their own agency's
/// subtree; admins any agency's.
struct ReportsController {
    let queries: ReportQueries
    let catalog: CatalogIndex
    let now: @Sendable () -> Date
    /// The longest period a report covers, in days (six years: the months of a chart stay under 75).
    static let longestPeriod = 6 * 366

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/reports/settlement", use: self.settlement)
        router.get("/v1/reports/indicators", use: self.indicators)
        router.get("/v1/reports/dossiers", use: self.dossiers)
        let scope = "?agency= (default the caller's; staff their own agency and those under it, admins any), ?from=&to= (yyyy-MM-dd, "
            + "default this year)"
        openAPI.add("GET", "/v1/reports/settlement", summary: "The settlement report: carried over, new by channel, settled early/on time/late, "
                    + "in progress within time/overdue, refused, withdrawn, stopped; a row per agency directly under the one asked for or, with "
                    + "?by=procedure, per procedure. " + scope, tag: "reports",
                    responses: [200: ("The report", Schema.anyObject), 400: ("A bad period or grouping", nil), 403: ("Another agency's", nil),
                                404: ("No such agency", nil)], token: true)
        openAPI.add("GET", "/v1/reports/indicators", summary: "Decision 766/QĐ-TTg's indicators the system's data decides (on time, online, "
                    + "paid online, digitised, electronic results, satisfaction), for the whole, month by month and per agency under it. " + scope,
                    tag: "reports", responses: [200: ("The figures", Schema.anyObject), 400: ("A bad period", nil), 403: ("Another agency's", nil),
                                                404: ("No such agency", nil)], token: true)
        openAPI.add("GET", "/v1/reports/dossiers", summary: "The dossiers behind a figure: ?indicator=, ?part=counted|rest, " + scope
                    + ", ?pageSize= (at most 100), ?after= (the previous page's nextCursor)", tag: "reports",
                    responses: [200: ("A page of dossiers", Schema.anyObject), 400: ("A bad indicator, part, period or cursor", nil),
                                403: ("Another agency's", nil), 404: ("No such agency", nil)], token: true)
    }

    /// The agency asked for (checked against the caller), its subtree and the period.
    struct Scope {
        let agency: Agency
        let agencies: [String]
        let snapshot: CatalogIndex.Snapshot
        let period: ReportPeriod
    }

    func scope(_ request: Request, context: ServiceRequestContext) async throws -> Scope {
        let identity = try context.requireRole(.officer, .leader, .clerk, .admin)
        let snapshot = try await self.catalog.snapshot()
        let root = snapshot.tree.root?.code
        guard let code = request.query("agency") ?? identity.agency ?? root else { throw Problem.badRequest("Name the agency: ?agency=.") }
        guard let agency = snapshot.agencies[code] else { throw Problem.notFound("There is no agency with the code \(code).") }
        if !identity.has(.admin) {
            guard let own = identity.agency, snapshot.tree.contains(code, under: own) else {
                throw Problem.forbidden("The reports of \(code) are for its own staff and those above it; your account is for "
                                        + "\(identity.agency ?? "no agency").")
            }
        }
        let period = try ReportPeriod(request, today: LocalDate(self.now())) { LocalDate(year: $0.year, month: 1, day: 1)! }
        guard period.from.adding(days: Self.longestPeriod) >= period.to else {
            throw Problem.badRequest("A report covers at most six years; ask for a shorter period.")
        }
        return Scope(agency: agency, agencies: snapshot.tree.subtree(of: code), snapshot: snapshot, period: period)
    }

    /// The same without a request, for the agency `code` (the caller already checked).
    func scope(_ code: String, period: ReportPeriod) async throws -> Scope {
        let snapshot = try await self.catalog.snapshot()
        guard let agency = snapshot.agencies[code] else { throw Problem.notFound("There is no agency with the code \(code).") }
        return Scope(agency: agency, agencies: snapshot.tree.subtree(of: code), snapshot: snapshot, period: period)
    }

    /// The first day of each month of the period, and the instants between them (the month buckets' bounds).
    static func months(of period: ReportPeriod) -> (labels: [String], ends: [Int64]) {
        var labels: [String] = []
        var ends: [Int64] = []
        var month = LocalDate(year: period.from.year, month: period.from.month, day: 1)!
        while month <= period.to {
            labels.append(String(month.description.prefix(7)))
            month = month.month == 12 ? LocalDate(year: month.year + 1, month: 1, day: 1)! : LocalDate(year: month.year, month: month.month + 1, day: 1)!
            if month <= period.to { ends.append(month.instant().epochMilliseconds) }
        }
        return (labels, ends)
    }

    /// Which agency directly under `root` (or `root` itself) each agency of the subtree is counted for.
    static func rollup(_ root: String, _ snapshot: CatalogIndex.Snapshot) -> [String: String] {
        var top: [String: String] = [root: root]
        for child in snapshot.tree.children(of: root) {
            for code in snapshot.tree.subtree(of: child.code) { top[code] = child.code }
        }
        return top
    }

    @Sendable func settlement(_ request: Request, context: ServiceRequestContext) async throws -> SettlementReport {
        let scope = try await self.scope(request, context: context)
        return try await self.settlement(scope, by: try request.query("by", as: SettlementReport.Grouping.self) ?? .agency)
    }

    func settlement(_ scope: Scope, by grouping: SettlementReport.Grouping) async throws -> SettlementReport {
        let key: ReportQueries.Key = grouping == .agency ? .agency : .procedure
        let (start, end) = (scope.period.startMilliseconds, scope.period.endMilliseconds)
        async let submitted = self.queries.submitted(agencies: scope.agencies, start: start, end: end, key: key, monthEnds: [])
        async let closed = self.queries.closed(agencies: scope.agencies, start: start, end: end, key: key, monthEnds: [])
        async let open = self.queries.open(agencies: scope.agencies, start: start, end: end, now: self.now().epochMilliseconds, key: key)
        let rollup = grouping == .agency ? Self.rollup(scope.agency.code, scope.snapshot) : [:]
        let procedures = grouping == .procedure ? Dictionary(scope.snapshot.entries.map { ($0.summary.code, $0.summary.name) }) { first, _ in first } : [:]
        var rows: [String: SettlementReport.Row] = [:]
        func row(_ key: String, _ change: (inout SettlementReport.Row) -> Void) {
            let target = rollup[key] ?? key
            var row = rows[target] ?? SettlementReport.Row(key: target, name: grouping == .agency ? scope.snapshot.agencies[target]?.name ?? target
                                                                                                  : procedures[target] ?? target)
            change(&row)
            rows[target] = row
        }
        for counts in try await submitted {
            row(counts.key) {
                $0.newOnline += counts.online + counts.national
                $0.newCounter += counts.counter
                $0.newPost += counts.post
            }
        }
        for counts in try await closed {
            row(counts.key) {
                $0.carriedOver += counts.carried
                $0.settledEarly += counts.early
                $0.settledOnTime += counts.on_time
                $0.settledLate += counts.late
                $0.refused += counts.refused
                $0.withdrawn += counts.withdrawn
                $0.stopped += counts.stopped
            }
        }
        for counts in try await open {
            row(counts.key) {
                $0.carriedOver += counts.carried
                $0.inProgressOverdue += counts.overdue
                $0.inProgressWithinTime += counts.n - counts.overdue
            }
        }
        var total = SettlementReport.Row(key: "", name: scope.agency.name)
        for row in rows.values { total.add(row) }
        let ordered = rows.values.sorted { ($0.key == scope.agency.code ? 0 : 1, $0.name, $0.key) < ($1.key == scope.agency.code ? 0 : 1, $1.name, $1.key) }
        return SettlementReport(agencyCode: scope.agency.code, agencyName: scope.agency.name, from: scope.period.from, to: scope.period.to,
                                grouping: grouping, rows: ordered, total: total)
    }

    /// Counted and denominator of every indicator, gathered from the two passes' rows.
    struct Tally {
        var counted: [Indicator766: Int] = [:]
        var of: [Indicator766: Int] = [:]

        mutating func add(_ counts: ReportQueries.Submitted) {
            self.add(.online, counts.online + counts.national, of: counts.n)
            self.add(.digitised, counts.digitised, of: counts.n)
            self.add(.paidOnline, counts.paid_online, of: counts.paid)
        }

        mutating func add(_ counts: ReportQueries.Closed) {
            let settled = counts.early + counts.on_time + counts.late
            self.add(.onTime, counts.on_time_766, of: settled)
            self.add(.electronicResult, counts.electronic, of: settled)
            self.add(.satisfaction, counts.satisfied, of: settled)
        }

        private mutating func add(_ indicator: Indicator766, _ counted: Int, of: Int) {
            self.counted[indicator, default: 0] += counted
            self.of[indicator, default: 0] += of
        }

        var figures: [IndicatorReport.Figure] {
            Indicator766.allCases.map { IndicatorReport.Figure(indicator: $0, counted: self.counted[$0] ?? 0, of: self.of[$0] ?? 0) }
        }
    }

    @Sendable func indicators(_ request: Request, context: ServiceRequestContext) async throws -> IndicatorReport {
        try await self.indicators(try await self.scope(request, context: context))
    }

    func indicators(_ scope: Scope) async throws -> IndicatorReport {
        let (start, end) = (scope.period.startMilliseconds, scope.period.endMilliseconds)
        let months = Self.months(of: scope.period)
        async let submitted = self.queries.submitted(agencies: scope.agencies, start: start, end: end, key: .agency, monthEnds: months.ends)
        async let closed = self.queries.closed(agencies: scope.agencies, start: start, end: end, key: .agency, monthEnds: months.ends)
        let rollup = Self.rollup(scope.agency.code, scope.snapshot)
        var whole = Tally()
        var byMonth = Array(repeating: Tally(), count: months.labels.count)
        var byAgency: [String: Tally] = [:]
        var channels: [String: Int] = [:]
        for counts in try await submitted {
            whole.add(counts)
            byMonth[min(counts.bucket, byMonth.count - 1)].add(counts)
            byAgency[rollup[counts.key] ?? counts.key, default: Tally()].add(counts)
            for (channel, n) in [(IntakeChannel.online, counts.online), (.nationalPortal, counts.national), (.counter, counts.counter), (.post, counts.post)]
            where n > 0 {
                channels[channel.rawValue, default: 0] += n
            }
        }
        for counts in try await closed {
            whole.add(counts)
            byMonth[min(counts.bucket, byMonth.count - 1)].add(counts)
            byAgency[rollup[counts.key] ?? counts.key, default: Tally()].add(counts)
        }
        let agencies = byAgency.map { code, tally in
            IndicatorReport.Slice(key: code, name: scope.snapshot.agencies[code]?.name ?? code, figures: tally.figures)
        }.sorted { ($0.key == scope.agency.code ? 0 : 1, $0.name) < ($1.key == scope.agency.code ? 0 : 1, $1.name) }
        return IndicatorReport(agencyCode: scope.agency.code, agencyName: scope.agency.name, from: scope.period.from, to: scope.period.to,
                               figures: whole.figures, channels: channels,
                               months: zip(months.labels, byMonth).map { IndicatorReport.Slice(key: $0, name: $0, figures: $1.figures) },
                               agencies: agencies)
    }

    @Sendable func dossiers(_ request: Request, context: ServiceRequestContext) async throws -> ReportDossierPage {
        let scope = try await self.scope(request, context: context)
        guard let indicator = try request.query("indicator", as: Indicator766.self) else {
            throw Problem.badRequest("Name the figure: ?indicator=" + Indicator766.allCases.map(\.rawValue).joined(separator: "|") + ".")
        }
        let part = try request.query("part", as: Indicator766.Part.self) ?? .counted
        let pageSize = try request.integerQuery("pageSize", default: 50, range: 1...100)
        var after: (at: Int64, id: String)?
        if let cursor = request.query("after"), !cursor.isEmpty {
            let pieces = cursor.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let at = Int64(pieces[0]), !pieces[1].isEmpty else {
                throw Problem.badRequest("after must be the nextCursor of the previous page.")
            }
            after = (at, pieces[1])
        }
        return try await self.dossiers(scope, indicator, part: part, after: after, pageSize: pageSize)
    }

    func dossiers(_ scope: Scope, _ indicator: Indicator766, part: Indicator766.Part, after: (at: Int64, id: String)?, pageSize: Int) async throws
        -> ReportDossierPage {
        let rows = try await self.queries.dossiers(indicator, part: part, agencies: scope.agencies, start: scope.period.startMilliseconds,
                                                   end: scope.period.endMilliseconds, after: after, limit: pageSize + 1)
        let page = rows.prefix(pageSize)
        let next = rows.count > pageSize ? page.last.map { "\($0.at):\($0.id)" } : nil
        return ReportDossierPage(indicator: indicator, part: part, from: scope.period.from, to: scope.period.to, items: page.map(\.item),
                                 nextCursor: next)
    }
}

extension SettlementReport: ResponseEncodable {}
extension IndicatorReport: ResponseEncodable {}
extension ReportDossierPage: ResponseEncodable {}
