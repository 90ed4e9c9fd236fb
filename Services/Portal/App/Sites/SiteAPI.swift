import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// `GET /api/v1/sites` and the admin's `PATCH /api/v1/sites/{slug}`: a portal's name, banner, contacts and own domain.
struct SiteAPI {
    let sites: SiteRepository
    let hosts: ReferenceCache

    struct SiteView: Codable, Sendable {
        var slug: String
        var name: String
        var agencyCode: String?
        var kind: String
        var host: String?
        var banner: String
        var contacts: String
    }

    struct Change: Decodable {
        var name: String?
        /// A domain name such as `stp.kiengiang.gov.vn`; an empty string removes it.
        var host: String?
        var banner: String?
        var contacts: String?
    }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/api/v1/sites") { _, _ -> Response in
            try Response.json(try await self.sites.sites().map(Self.view))
        }
        router.patch("/api/v1/sites/:slug") { request, context -> Response in
            guard try context.requireIdentity().has(.admin) else { throw Problem.forbidden("Only an admin changes a portal's settings.") }
            let slug = try context.parameters.require("slug")
            guard var site = try await self.sites.site(slug) else { throw Problem.notFound("There is no portal \(slug).") }
            let change = try await request.decodeJSON(as: Change.self)
            if let host = change.host?.trimmingCharacters(in: .whitespaces).lowercased() {
                guard host.isEmpty || (host.contains(".") && host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })) else {
                    throw Problem.validation([.init(field: "host", code: "host.invalid", vi: "Tên miền không hợp lệ.", en: "That is not a domain name.")])
                }
                if !host.isEmpty, let other = try await self.sites.site(host: host), other.slug != slug {
                    throw Problem.conflict("The domain \(host) already belongs to the portal \(other.slug).")
                }
                site.host = host.isEmpty ? nil : host
            }
            if let name = change.name, !name.trimmingCharacters(in: .whitespaces).isEmpty { site.name = name }
            if let banner = change.banner { site.banner = banner }
            if let contacts = change.contacts { site.contacts = contacts }
            try await self.sites.update(site)
            await self.hosts.forget("hosts")
            return try Response.json(Self.view(site))
        }
        openAPI.add("GET", "/api/v1/sites", summary: "The portals: main and component", tag: "sites", responses: [200: ("Sites", Schema.array(Schema.anyObject))])
        openAPI.add("PATCH", "/api/v1/sites/:slug", summary: "Change a portal's name, banner, contacts or own domain (admin)", tag: "sites",
                    request: Schema.object(["name": Schema.string, "host": Schema.string, "banner": Schema.string, "contacts": Schema.string]),
                    responses: [200: ("The portal", Schema.anyObject), 403: ("Not an admin", nil), 404: ("No such portal", nil),
                                409: ("The domain belongs to another portal", nil)], token: true)
    }

    static func view(_ site: Site) -> SiteView {
        SiteView(slug: site.slug, name: site.name, agencyCode: site.agencyCode, kind: site.kind.rawValue, host: site.host, banner: site.banner,
                 contacts: site.contacts)
    }
}
