import Contracts
import DomainKit
import ServiceKit

/// Checks every row of an import and writes the good ones in one transaction; a bad row is reported and skipped
/// whole, never half-written.
struct CatalogImporter: Sendable {
    let database: Database
    let procedures: ProcedureRepository
    let agencies: AgencyRepository

    /// `publishedBy`: the administrator, kept with each new version.
    func run(_ rows: [CatalogCodec.Row], dryRun: Bool, publishedBy: String? = nil) async throws -> ImportReport {
        var accepted: [Procedure] = []
        var rejected: [ImportReport.RejectedRow] = []
        var seen: Set<String> = []
        // Read once: a catalog of thousands of rows names the same few agencies over and over.
        let known = Set(try await self.agencies.list(level: nil, parent: nil, query: nil).map(\.code))
        for row in rows {
            switch row.result {
            case .unreadable(let issues):
                rejected.append(.init(row: row.row, code: row.code, errors: issues))
            case .procedure(let procedure):
                var issues = procedure.problems()
                if seen.contains(procedure.code) {
                    issues.append(FieldIssue(field: "code", code: "duplicate", vi: "Mã thủ tục này đã có ở dòng trước trong tệp.",
                                             en: "An earlier row of this file has the same code."))
                }
                for code in procedure.agencyCodes where !known.contains(code) {
                    issues.append(FieldIssue(field: "agencyCodes", code: "agency.unknown", vi: "Không có cơ quan mã \(code).",
                                             en: "There is no agency with the code \(code)."))
                }
                if issues.isEmpty {
                    accepted.append(procedure)
                    seen.insert(procedure.code)
                } else {
                    rejected.append(.init(row: row.row, code: procedure.code, errors: issues))
                }
            }
        }
        if !dryRun && !accepted.isEmpty {
            let toSave = accepted
            try await self.database.transaction { db in
                for procedure in toSave { try await self.procedures.save(procedure, publishedBy: publishedBy, in: db) }
            }
        }
        return ImportReport(imported: dryRun ? 0 : accepted.count, rejected: rejected, dryRun: dryRun)
    }
}
