import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let homeLead = Phrase("Tìm thủ tục, nộp hồ sơ trực tuyến, thanh toán phí và theo dõi kết quả giải quyết.",
                                 "Find procedures, submit dossiers online, pay fees and follow your dossier.")
    static let onlineServices = Phrase("Dịch vụ công theo mức độ", "Online services by level")
    static let quickLinks = Phrase("Truy cập nhanh", "Quick links")
    static let kioskLink = Phrase("Giao diện ki-ốt tra cứu", "Kiosk look-up screen")
}

/// The main portal's home: search the catalog, counts of services by level, and the ways in.
struct HomePage {
    let visitors: Visitors
    let singleWindow: SingleWindowGateway
    let sites: SiteRepository
    let sitePages: SitePages
    /// The portals' own domains, by host name (`SiteAPI` forgets them when one changes).
    let hosts: ReferenceCache

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/") { request, context in
            let visitor = try await self.visitors.visitor(request)
            // A component portal on its own domain answers at its root (behind a proxy, the domain asked for is in
            // X-Forwarded-Host; it only chooses which public portal to show).
            let asked = request.headers[HTTPField.Name("X-Forwarded-Host")!]?.split(separator: ",").first.map(String.init) ?? request.head.authority
            if let authority = asked, let host = authority.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map({ String($0).lowercased() }),
               let slug = try? await self.hosts.value("hosts", fetch: {
                   Dictionary(try await self.sites.sites().compactMap { site in site.host.map { ($0, site.slug) } }, uniquingKeysWith: { first, _ in first })
               })[host], let site = try await self.sites.site(slug) {
                return try await self.sitePages.home(visitor, site, requestID: context.requestID)
            }
            // Read with every home page otherwise: kept a few seconds (an editor's own replica forgets it on publishing).
            let news = (try? await self.hosts.value("news", fetch: { try await self.sites.published(site: nil, limit: 6) })) ?? []
            // The counts change with the catalog, rarely: kept with the other reference data.
            let counts = try? await self.singleWindow.reference.value("levelCounts") {
                try await self.singleWindow.procedures(.init(), pageSize: 1, requestID: context.requestID).countsByLevel
            }
            return try self.render(visitor, counts: counts, news: news)
        }
        openAPI.add("GET", "/", summary: "Home page: catalog search, services by level, ways in", tag: "pages", responses: [200: ("HTML", nil)],
                    contentType: "text/html")
    }

    /// The home page's model for `home.mustache`.
    struct HomeView {
        struct Levels { var heading: String; var items: [Level] }
        struct Level { var href: String; var label: String; var count: String }

        var frame: PageFrame
        var heading: String
        var lead: String
        var search: FormField
        var searchButton: String
        var levels: Levels?
        var newsHeading: String
        var news: NewsList
        var sitesLabel: String
        var quickHeading: String
        var quickLinks: [PageFrame.Link]
    }

    func render(_ visitor: Visitor, counts: [String: Int]?, news: [Article]) throws -> Response {
        let l = visitor.language
        let levels = counts.map { counts in
            HomeView.Levels(heading: Phrase.onlineServices(l), items: ServiceLevel.allCases.reversed().map { level in
                HomeView.Level(href: "/procedures?level=\(level.rawValue)", label: Display.serviceLevel(level)(l), count: String(counts[String(level.rawValue)] ?? 0))
            })
        }
        let quick: [(String, Phrase)] = [("/lookup", .navLookup), ("/kiosk", .kioskLink), ("/register", .registerTitle)]
        return try Layout.render(visitor, "home", HomeView(
            frame: Layout.frame(visitor, title: .navHome), heading: Phrase.siteName(l), lead: Phrase.homeLead(l), search: CatalogPages.searchField("", l),
            searchButton: Phrase.searchButton(l), levels: levels, newsHeading: Phrase.latestNews(l), news: NewsList(news, l), sitesLabel: Phrase.sitesTitle(l),
            quickHeading: Phrase.quickLinks(l), quickLinks: quick.map { PageFrame.Link(href: $0.0, label: $0.1(l)) }))
    }
}
