import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// Reconciliation against the bank's settlement file, and the daily remittance report for the State Treasury.
struct ReportsController {
    let workflow: PaymentWorkflow

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/reconciliation/:day", use: self.reconcile)
        router.get("/v1/reconciliation/:day", use: self.reconciliation)
        router.get("/v1/reports/remittance", use: self.remittance)
        openAPI.add("POST", "/v1/reconciliation/:day", summary: "Import the bank's settlement file (CSV, the gateway's header) for a day and "
                    + "match it: matched, missing on our side, missing at the bank, amount mismatches, unreadable rows (admins)", tag: "reports",
                    responses: [200: ("The report, also kept for GET", Schema.anyObject), 400: ("Not a day, or an empty file", nil)], token: true)
        openAPI.add("GET", "/v1/reconciliation/:day", summary: "The last reconciliation of a day", tag: "reports",
                    responses: [200: ("The report", Schema.anyObject), 404: ("Not reconciled yet", nil)], token: true)
        openAPI.add("GET", "/v1/reports/remittance", summary: "What each agency collected (online, at the counter) and refunded on ?day=, "
                    + "to remit to the State Treasury; ?format=csv for the CSV file (staff see their agency)", tag: "reports",
                    responses: [200: ("The report", Schema.anyObject), 400: ("No or bad day", nil)], token: true)
    }

    @Sendable func reconcile(_ request: Request, context: ServiceRequestContext) async throws -> ReconciliationReport {
        let identity = try context.requireRole(.admin)
        let day = try Self.day(try context.parameters.require("day"))
        let body = try await request.body.collect(upTo: 50 * 1024 * 1024)
        guard let file = String(validating: body.readableBytesView, as: UTF8.self), !file.isEmpty else {
            throw Problem.badRequest("Send the bank's settlement file for \(day) as the body (text/csv, UTF-8).")
        }
        let workflow = self.workflow
        return try await workflow.runtime.database.transaction { db in
            let report = try await Reconciliation.report(day: day, file: file, tmnCode: workflow.merchant.account.tmnCode, importedBy: identity.subject,
                                                         at: workflow.now(), in: db)
            try await db.delete(from: "reconciliations").where("day", .equal, day.description).run()
            try await db.insert(into: "reconciliations").columns("day", "imported_at", "imported_by", "report")
                .values(SQLBind(day.description), SQLBind(report.importedAt.epochMilliseconds), SQLBind(identity.subject),
                        SQLBind(try PaymentRepository.json(report)))
                .run()
            workflow.logger.info("reconciled", metadata: ["day": .string(day.description), "balanced": .string("\(report.balanced)")])
            return report
        }
    }

    @Sendable func reconciliation(_ request: Request, context: ServiceRequestContext) async throws -> ReconciliationReport {
        try context.requireRole(.admin)
        let day = try Self.day(try context.parameters.require("day"))
        struct Row: Decodable { let report: String }
        guard let row = try await self.workflow.runtime.database.read({ db in
            try await db.select().column("report").from("reconciliations").where("day", .equal, day.description).first(decoding: Row.self)
        }) else { throw Problem.notFound("The bank's file for \(day) has not been imported.") }
        return try JSONDecoder.motcua.decode(ReconciliationReport.self, from: Data(row.report.utf8))
    }

    @Sendable func remittance(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin)
        guard let text = request.query("day") else { throw Problem.badRequest("Give ?day= the day to report, such as 2026-03-02.") }
        let day = try Self.day(text)
        var agency = request.query("agency")
        if !identity.has(.admin) { agency = identity.agency }
        let scope = agency
        let report = try await self.workflow.runtime.database.read { try await Reconciliation.remittance(day: day, agency: scope, in: $0) }
        if request.query("format") == "csv" {
            var response = Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                                    body: .init(byteBuffer: ByteBuffer(string: report.csv)))
            response.headers[.contentDisposition] = "attachment; filename=\"nop-ngan-sach-\(day).csv\""
            return response
        }
        return try Response.json(report, status: .ok)
    }

    static func day(_ text: String) throws -> LocalDate {
        guard let day = LocalDate(iso: text) else { throw Problem.badRequest("'\(text)' is not a day such as 2026-03-02.") }
        return day
    }
}

extension ReconciliationReport: ResponseEncodable {}
