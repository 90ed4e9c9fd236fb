import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let sitesTitle = Phrase("Các cổng thông tin thành phần", "Component portals")
    static let news = Phrase("Tin tức", "News")
    static let latestNews = Phrase("Tin mới từ các cơ quan", "Latest news from the agencies")
    static let noNews = Phrase("Chưa có tin.", "No news yet.")
    static let contacts = Phrase("Liên hệ", "Contacts")
    static let featuredProcedures = Phrase("Thủ tục nổi bật", "Featured procedures")
    static let agencyFigures = Phrase("Kết quả giải quyết năm {0}", "Results in {0}")
    static let allFigures = Phrase("Xem đầy đủ", "See all")
    static let siteMissing = Phrase("Không có cổng thông tin này.", "There is no such portal.")
    static let articleMissing = Phrase("Không có bài viết này.", "There is no such article.")
    static let published = Phrase("Đăng ngày {0}", "Published {0}")
    static let siteKinds: [Site.Kind: Phrase] = [
        .main: Phrase("Cổng chính", "Main portal"), .department: Phrase("Sở, ban, ngành", "Departments"),
        .district: Phrase("Huyện, thị xã, thành phố", "Districts and cities"), .unit: Phrase("Cơ quan, đơn vị khác", "Other units"),
    ]
}

/// The component portals: their directory (`/sites`), each one's home (`/s/{slug}`, or its own domain) with news,
/// contacts, featured procedures and its agency's figures, and their articles.
struct SitePages {
    let visitors: Visitors
    let sites: SiteRepository
    let singleWindow: SingleWindowGateway
    let statistics: StatisticsPages

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/sites") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            return try self.directory(visitor, try await self.sites.sites())
        }
        router.get("/s/:slug") { request, context in
            let visitor = try await self.visitors.visitor(request)
            guard let site = try await self.sites.site(try context.parameters.require("slug")) else {
                return Layout.message(visitor, title: .sitesTitle, text: .siteMissing, status: .notFound)
            }
            return try await self.home(visitor, site, requestID: context.requestID)
        }
        router.get("/s/:slug/news/:id") { request, context in
            let visitor = try await self.visitors.visitor(request)
            guard let site = try await self.sites.site(try context.parameters.require("slug")),
                  let article = try await self.sites.article(try context.parameters.require("id")), article.siteSlug == site.slug,
                  article.status == .published || EditorPages.mayEdit(visitor.account, site) else {
                return Layout.message(visitor, title: .news, text: .articleMissing, status: .notFound)
            }
            return try self.article(visitor, site, article)
        }
        openAPI.add("GET", "/sites", summary: "The component portals", tag: "pages", responses: [200: ("HTML", nil)], contentType: "text/html")
        openAPI.add("GET", "/s/:slug", summary: "A component portal: news, contacts, featured procedures, its agency's figures (also at its own "
                        + "domain)", tag: "pages", responses: [200: ("HTML", nil), 404: ("No such portal", nil)], contentType: "text/html")
        openAPI.add("GET", "/s/:slug/news/:id", summary: "A published article (a draft for its editors)", tag: "pages",
                    responses: [200: ("HTML", nil), 404: ("No such article", nil)], contentType: "text/html")
    }

    /// The directory's model for `sites.mustache`: the portals by kind.
    struct DirectoryView {
        struct Group { var label: String; var count: Int; var sites: [PageFrame.Link] }
        var frame: PageFrame
        var heading: String
        var groups: [Group]
    }

    func directory(_ visitor: Visitor, _ all: [Site]) throws -> Response {
        let l = visitor.language
        let groups = [Site.Kind.department, .district, .unit].compactMap { kind -> DirectoryView.Group? in
            let group = all.filter { $0.kind == kind }
            guard !group.isEmpty else { return nil }
            return DirectoryView.Group(label: Phrase.siteKinds[kind]!(l), count: group.count,
                                       sites: group.map { PageFrame.Link(href: "/s/\($0.slug.pathSegment)", label: $0.name) })
        }
        return try Layout.render(visitor, "sites", DirectoryView(frame: Layout.frame(visitor, title: .sitesTitle), heading: Phrase.sitesTitle(l), groups: groups))
    }

    /// A component portal's home for `site.mustache`.
    struct HomeView {
        struct Featured { var heading: String; var procedures: [PageFrame.Link] }
        struct Figures { var heading: String; var rows: [Fact]; var href: String; var all: String }
        var frame: PageFrame
        var directory: String
        var heading: String
        var banner: String
        var newsHeading: String
        var news: NewsList
        var featured: Featured?
        var figures: Figures?
        var contactsHeading: String
        var contacts: String
    }

    func home(_ visitor: Visitor, _ site: Site, requestID: String?) async throws -> Response {
        let l = visitor.language
        let news = try await self.sites.published(site: site.slug, limit: 10)
        var featured: HomeView.Featured?
        var figures: HomeView.Figures?
        if let agency = site.agencyCode {
            if let procedures = try? await self.singleWindow.reference.value("featured/\(agency)", fetch: {
                var filter = SingleWindowGateway.ProcedureFilter()
                filter.agency = agency
                return try await self.singleWindow.procedures(filter, pageSize: 5, requestID: requestID).items
            }), !procedures.isEmpty {
                featured = HomeView.Featured(heading: Phrase.featuredProcedures(l),
                                             procedures: procedures.map { PageFrame.Link(href: "/procedures/\($0.code.pathSegment)", label: $0.name) })
            }
            let year = LocalDate(Date()).year
            if let report = try? await self.statistics.report(agency: agency, year: year, requestID: requestID) {
                let rows: [(Phrase, String)] = [
                    (.receivedTotal, String(report.year.received)), (.onTimeShare, report.year.timelyShare),
                    (.inProgress, String(report.year.inProgress)), (.overdue, String(report.year.overdueInProgress)),
                ]
                figures = HomeView.Figures(heading: Phrase.agencyFigures.with(String(year))(l), rows: rows.map { .init(label: $0.0(l), value: $0.1) },
                                           href: "/statistics?agency=\(agency.pathSegment)", all: Phrase.allFigures(l))
            }
        }
        return try Layout.render(visitor, "site", HomeView(
            frame: Layout.frame(visitor, title: Phrase(site.name, site.name)), directory: Phrase.sitesTitle(l), heading: site.name, banner: site.banner,
            newsHeading: Phrase.news(l), news: NewsList(news, l), featured: featured, figures: figures, contactsHeading: Phrase.contacts(l),
            contacts: site.contacts))
    }

    /// An article for `article.mustache`: its paragraphs are the body's blank-line-separated parts.
    struct ArticleView {
        var frame: PageFrame
        var siteHref: String
        var siteName: String
        var heading: String
        var published: String
        var summary: String
        var paragraphs: [String]
    }

    func article(_ visitor: Visitor, _ site: Site, _ article: Article) throws -> Response {
        let l = visitor.language
        return try Layout.render(visitor, "article", ArticleView(
            frame: Layout.frame(visitor, title: Phrase(article.title, article.title)), siteHref: "/s/\(site.slug.pathSegment)", siteName: site.name,
            heading: article.title, published: article.publishedAt.map { Phrase.published.with(Display.date($0))(l) } ?? "Bản nháp / Draft",
            summary: article.summary, paragraphs: article.body.components(separatedBy: "\n\n")))
    }
}
