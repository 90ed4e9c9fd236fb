import Contracts
import DomainKit
import Hummingbird
import ServiceKit

/// The agency hierarchy: province → departments and districts → communes.
struct AgencyController {
    let agencies: AgencyRepository

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/agencies") { request, _ -> [Agency] in
                        var level: AgencyLevel?
            if let text = request.query("level"), !text.isEmpty {
                guard let parsed = AgencyLevel(rawValue: text) else {
                    throw Problem.badRequest("level must be province, department, district or commune.")
                }
                level = parsed
            }
            return try await self.agencies.list(level: level, parent: request.query("parent"), query: request.query("q"))
        }
        router.get("/v1/agencies/:code") { _, context -> Agency in
            let code = try context.parameters.require("code")
            guard let agency = try await self.agencies.find(code) else { throw Problem.notFound("There is no agency with the code \(code).") }
            return agency
        }
        let agency = Schema.object(["code": Schema.string, "name": Schema.string, "level": Schema.enumeration(AgencyLevel.allCases.map(\.rawValue)),
                                    "parentCode": Schema.string, "email": Schema.string, "address": Schema.string, "phone": Schema.string])
        openAPI.addSchema("Agency", agency)
        openAPI.add("GET", "/v1/agencies", summary: "Agencies, filtered by level, parent and name (q, diacritics optional)", tag: "agencies",
                    responses: [200: ("Agencies", Schema.array(Schema.ref("Agency"))), 400: ("A bad filter", nil)])
        openAPI.add("GET", "/v1/agencies/:code", summary: "One agency", tag: "agencies",
                    responses: [200: ("The agency", Schema.ref("Agency")), 404: ("No such agency", nil)])
    }
}

extension Agency: ResponseEncodable {}
