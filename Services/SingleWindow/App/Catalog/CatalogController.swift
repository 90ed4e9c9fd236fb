import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// The public procedure catalog: search, a procedure's page, sectors; import and export for administrators.
struct CatalogController {
    let procedures: ProcedureRepository
    let importer: CatalogImporter
    let index: CatalogIndex

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/procedures", use: self.search)
        router.get("/v1/procedures/export", use: self.export)
        router.post("/v1/procedures/import", use: self.importCatalog)
        router.get("/v1/procedures/:code", use: self.show)
        router.get("/v1/procedures/:code/versions") { _, context -> Response in
            let code = try context.parameters.require("code")
            let versions = try await self.procedures.versions(code)
            guard !versions.isEmpty else { throw Problem.notFound("There is no procedure with the code \(code).") }
            return try Response.json(versions)
        }
        router.get("/v1/procedures/:code/row") { _, context -> Response in
            let code = try context.parameters.require("code")
            guard let published = try await self.procedures.published(code) else { throw Problem.notFound("There is no procedure with the code \(code).") }
            return try Response.json(ProcedureRow(columns: CatalogCodec.csvColumns, cells: CatalogCodec.cells(published.procedure),
                                                  version: published.version))
        }
        router.get("/v1/sectors") { _, _ in try await self.procedures.sectors() }

        openAPI.addSchema("Procedure", Schema.anyObject)
        openAPI.add("GET", "/v1/procedures", summary: "Search the catalog: q (diacritics optional), sector, agency, level 1-4, online (full|partial), page, pageSize",
                    tag: "catalog", responses: [200: ("A page of procedures with counts by level", Schema.anyObject), 400: ("A bad filter", nil)])
        openAPI.add("GET", "/v1/procedures/:code/versions", summary: "Every published version of a procedure, the latest first", tag: "catalog",
                    responses: [200: ("Versions", Schema.array(Schema.anyObject)), 404: ("No such procedure", nil)])
        openAPI.add("GET", "/v1/procedures/:code/row", summary: "A procedure as the cells of the catalog's CSV layout (to edit and import back)",
                    tag: "catalog", responses: [200: ("Columns and cells", Schema.anyObject), 404: ("No such procedure", nil)])
        openAPI.add("GET", "/v1/procedures/:code", summary: "One procedure in full (?version= as that version published it)", tag: "catalog",
                    responses: [200: ("The procedure", Schema.ref("Procedure")), 404: ("No such procedure", nil)])
        openAPI.add("GET", "/v1/sectors", summary: "Sectors with their number of procedures", tag: "catalog",
                    responses: [200: ("Sectors", Schema.array(Schema.object(["sector": Schema.string, "procedures": Schema.integer])))])
        openAPI.add("GET", "/v1/procedures/export", summary: "The whole catalog, ?format=json|csv", tag: "catalog",
                    responses: [200: ("The catalog", Schema.array(Schema.ref("Procedure")))])
        openAPI.add("POST", "/v1/procedures/import", summary: "Import JSON or CSV (?format=, ?dryRun=true); bad rows are reported, never half-written",
                    tag: "catalog", request: Schema.array(Schema.ref("Procedure")),
                    responses: [200: ("Import report", Schema.anyObject), 400: ("Not JSON/CSV", nil), 401: ("No token", nil), 403: ("Not an admin", nil)],
                    token: true)
    }

    @Sendable func search(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var query = ProcedureQuery()
        query.text = request.query("q")
        query.sector = request.query("sector").flatMap { $0.isEmpty ? nil : $0 }
        if let text = request.query("level"), !text.isEmpty {
            guard let level = Int(text).flatMap(ServiceLevel.init(rawValue:)) else {
                throw Problem.badRequest("level must be 1, 2, 3 or 4.")
            }
            query.level = level
        }
        query.scope = try request.query("online", as: OnlineScope.self)
        if let code = request.query("agency"), !code.isEmpty {
            guard let agency = try await self.index.agency(code) else { throw Problem.badRequest("There is no agency with the code \(code).") }
            query.agency = agency
        }
        query.page = try request.integerQuery("page", default: 1, range: 1...100_000)
        query.pageSize = try request.integerQuery("pageSize", default: 20, range: 1...100)
        return try await self.index.snapshot().search(query).json.response()
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        if let text = request.query("version") {
            guard let version = Int(text), version > 0 else { throw Problem.badRequest("version must be a whole number from 1.") }
            guard let procedure = try await self.procedures.find(code, version: version) else {
                throw Problem.notFound("Procedure \(code) has no version \(version).")
            }
            return try Response.json(procedure)
        }
        guard let procedure = try await self.index.procedure(code) else {
            throw Problem.notFound("There is no procedure with the code \(code).")
        }
        return try Response.json(procedure)
    }

    @Sendable func export(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let format = try Self.format(request)
        let data = try CatalogCodec.write(try await self.procedures.all(), format: format)
        let type = format == .csv ? "text/csv; charset=utf-8" : "application/json"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"catalog.\(format.rawValue)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func importCatalog(_ request: Request, context: ServiceRequestContext) async throws -> ImportReport {
        try context.requireRole(.admin)
        let format = try Self.format(request)
        let body = try await request.body.collect(upTo: 32 * 1024 * 1024)
        let rows = try CatalogCodec.read(Data(body.readableBytesView), format: format)
        let dryRun = request.query("dryRun") == "true"
        let report = try await self.importer.run(rows, dryRun: dryRun, publishedBy: context.identity?.subject)
        await self.index.invalidate()
        context.logger.info("catalog import", metadata: ["imported": "\(report.imported)", "rejected": "\(report.rejected.count)", "dryRun": "\(dryRun)"])
        return report
    }

    static func format(_ request: Request) throws -> CatalogCodec.Format {
        let text = request.query("format") ?? (request.headers[.contentType]?.contains("csv") == true ? "csv" : "json")
        guard let format = CatalogCodec.Format(rawValue: text) else { throw Problem.badRequest("format must be json or csv.") }
        return format
    }
}

extension ImportReport: ResponseEncodable {}
extension SectorCount: ResponseEncodable {}
