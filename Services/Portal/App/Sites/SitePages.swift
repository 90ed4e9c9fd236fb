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
            return self.directory(visitor, try await self.sites.sites())
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
            return self.article(visitor, site, article)
        }
        openAPI.add("GET", "/sites", summary: "The component portals", tag: "pages", responses: [200: ("HTML", nil)], contentType: "text/html")
        openAPI.add("GET", "/s/:slug", summary: "A component portal: news, contacts, featured procedures, its agency's figures (also at its own "
                        + "domain)", tag: "pages", responses: [200: ("HTML", nil), 404: ("No such portal", nil)], contentType: "text/html")
        openAPI.add("GET", "/s/:slug/news/:id", summary: "A published article (a draft for its editors)", tag: "pages",
                    responses: [200: ("HTML", nil), 404: ("No such article", nil)], contentType: "text/html")
    }

    func directory(_ visitor: Visitor, _ all: [Site]) -> Response {
        let l = visitor.language
        var body = "<h1>\(HTML.escape(Phrase.sitesTitle(l)))</h1>"
        for kind in [Site.Kind.department, .district, .unit] {
            let group = all.filter { $0.kind == kind }
            guard !group.isEmpty else { continue }
            body += "<h2>\(HTML.escape(Phrase.siteKinds[kind]!(l))) (\(group.count))</h2><ul class=\"sites\">"
                + group.map { "<li><a href=\"/s/\($0.slug)\">\(HTML.escape($0.name))</a></li>" }.joined() + "</ul>"
        }
        return Layout.page(visitor, title: .sitesTitle, body: HTML(raw: body))
    }

    func home(_ visitor: Visitor, _ site: Site, requestID: String?) async throws -> Response {
        let l = visitor.language
        let news = try await self.sites.published(site: site.slug, limit: 10)
        var featured = ""
        var figures = ""
        if let agency = site.agencyCode {
            if let procedures = try? await self.singleWindow.reference.value("featured/\(agency)", fetch: {
                var filter = SingleWindowGateway.ProcedureFilter()
                filter.agency = agency
                return try await self.singleWindow.procedures(filter, pageSize: 5, requestID: requestID).items
            }), !procedures.isEmpty {
                featured = "<h2>\(HTML.escape(Phrase.featuredProcedures(l)))</h2><ul>" + procedures.map {
                    "<li><a href=\"/procedures/\(HTML.escape($0.code.pathSegment))\">\(HTML.escape($0.name))</a></li>"
                }.joined() + "</ul>"
            }
            let year = LocalDate(Date()).year
            if let report = try? await self.statistics.report(agency: agency, year: year, requestID: requestID) {
                let rows: [(Phrase, String)] = [
                    (.receivedTotal, String(report.year.received)), (.onTimeShare, report.year.timelyShare),
                    (.inProgress, String(report.year.inProgress)), (.overdue, String(report.year.overdueInProgress)),
                ]
                figures = "<h2>\(HTML.escape(Phrase.agencyFigures.with(String(year))(l)))</h2><table class=\"figures\"><tbody>"
                    + rows.map { "<tr><th>\(HTML.escape($0.0(l)))</th><td>\(HTML.escape($0.1))</td></tr>" }.joined()
                    + "</tbody></table><p><a href=\"/statistics?agency=\(HTML.escape(agency.pathSegment))\">\(HTML.escape(Phrase.allFigures(l)))</a></p>"
            }
        }
        return Layout.page(visitor, title: Phrase(site.name, site.name), body: HTML(raw: """
            <p class="muted"><a href="/sites">\(HTML.escape(Phrase.sitesTitle(l)))</a></p>
            <h1>\(HTML.escape(site.name))</h1>
            <p class="banner">\(HTML.escape(site.banner))</p>
            <h2>\(HTML.escape(Phrase.news(l)))</h2>
            \(try NewsList.html(news, l))
            \(featured)
            \(figures)
            <h2>\(HTML.escape(Phrase.contacts(l)))</h2><p>\(HTML.escape(site.contacts))</p>
            """))
    }

    func article(_ visitor: Visitor, _ site: Site, _ article: Article) -> Response {
        let l = visitor.language
        let paragraphs = article.body.components(separatedBy: "\n\n").map { "<p>\(HTML.escape($0))</p>" }.joined()
        return Layout.page(visitor, title: Phrase(article.title, article.title), body: HTML(raw: """
            <p class="muted"><a href="/s/\(site.slug)">\(HTML.escape(site.name))</a></p>
            <article><h1>\(HTML.escape(article.title))</h1>
            <p class="muted">\(article.publishedAt.map { HTML.escape(Phrase.published.with(Display.date($0))(l)) } ?? "Bản nháp / Draft")</p>
            <p><strong>\(HTML.escape(article.summary))</strong></p>\(paragraphs)</article>
            """))
    }
}
