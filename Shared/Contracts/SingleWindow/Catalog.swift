import Foundation
import DomainKit

/// A procedure as search results list it.
public struct ProcedureSummary: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var sector: String
    public var levels: [AgencyLevel]
    public var serviceLevel: ServiceLevel
    public var onlineScope: OnlineScope
    public var processingDays: Int
    public var totalFee: VND

    public init(code: String, name: String, sector: String, levels: [AgencyLevel], serviceLevel: ServiceLevel, onlineScope: OnlineScope,
                processingDays: Int, totalFee: VND) {
        self.code = code
        self.name = name
        self.sector = sector
        self.levels = levels
        self.serviceLevel = serviceLevel
        self.onlineScope = onlineScope
        self.processingDays = processingDays
        self.totalFee = totalFee
    }

}

/// One page of catalog search results, with the total and the counts by service level for the filters shown.
public struct ProcedurePage: Codable, Sendable, Equatable {
    public var items: [ProcedureSummary]
    public var total: Int
    public var page: Int
    public var pageSize: Int
    /// Matches per service level ("1" … "4"), ignoring the level filter, so a page can show every level's count.
    public var countsByLevel: [String: Int]

    public init(items: [ProcedureSummary], total: Int, page: Int, pageSize: Int, countsByLevel: [String: Int]) {
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
        self.countsByLevel = countsByLevel
    }
}

public struct SectorCount: Codable, Sendable, Equatable {
    public var sector: String
    public var procedures: Int

    public init(sector: String, procedures: Int) {
        self.sector = sector
        self.procedures = procedures
    }
}

/// The outcome of a catalog import: what went in, and each refused row with its reasons.
public struct ImportReport: Codable, Sendable, Equatable {
    public struct RejectedRow: Codable, Sendable, Equatable {
        /// 1-based: the element of a JSON array, or the line of a CSV file after its header.
        public var row: Int
        public var code: String?
        public var errors: [FieldIssue]

        public init(row: Int, code: String?, errors: [FieldIssue]) {
            self.row = row
            self.code = code
            self.errors = errors
        }
    }

    public var imported: Int
    public var rejected: [RejectedRow]
    /// True when nothing was written because the caller asked only to check.
    public var dryRun: Bool

    public init(imported: Int, rejected: [RejectedRow], dryRun: Bool) {
        self.imported = imported
        self.rejected = rejected
        self.dryRun = dryRun
    }
}

/// `GET /v1/procedures/{code}/versions`: one published wording of a procedure (the full text at `?version=`).
public struct ProcedureVersion: Codable, Sendable, Equatable {
    public var code: String
    public var version: Int
    public var publishedAt: Date
    /// The administrator's account that published it (nil for the first, loaded with the catalog).
    public var publishedBy: String?
    public var name: String
    public var processingDays: Int
    public var totalFee: VND

    public init(code: String, version: Int, publishedAt: Date, publishedBy: String?, name: String, processingDays: Int, totalFee: VND) {
        self.code = code
        self.version = version
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
        self.name = name
        self.processingDays = processingDays
        self.totalFee = totalFee
    }
}

/// `GET /v1/procedures/{code}/row`: a procedure as the cells of the catalog's CSV layout, for an editor to change and
/// send back as a one-row import.
public struct ProcedureRow: Codable, Sendable, Equatable {
    public var columns: [String]
    public var cells: [String: String]
    public var version: Int

    public init(columns: [String], cells: [String: String], version: Int) {
        self.columns = columns
        self.cells = cells
        self.version = version
    }
}
