import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// `GET /v1/my/dossiers`: a signed-in citizen's own dossiers, newest first — the portal's "My dossiers".
struct ApplicantDossiersController {
    let database: Database

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/my/dossiers", use: self.list)
        openAPI.add("GET", "/v1/my/dossiers", summary: "The caller's own dossiers (citizens), newest first: page, pageSize", tag: "dossiers",
                    responses: [200: ("A page of dossiers", Schema.anyObject), 403: ("Not a citizen", nil)], token: true)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<InboxItem> {
        let identity = try context.requireRole(.citizen)
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 20, range: 1...100)
        struct Row: Decodable { let body: String }
        let (rows, total) = try await self.database.read { db in
            let rows = try await db.select().column("body").from("dossiers").where("submitted_by", .equal, identity.subject)
                .orderBy("submitted_at", .descending).limit(pageSize).offset((page - 1) * pageSize).all(decoding: Row.self)
            let total = try await db.select().from("dossiers").where("submitted_by", .equal, identity.subject).countRows()
            return (rows, total)
        }
        let items = try rows.map { try JSONDecoder.motcua.decode(StoredDossier.self, from: Data($0.body.utf8)).inboxItem }
        return Page(items: items, total: total, page: page, pageSize: pageSize)
    }
}
