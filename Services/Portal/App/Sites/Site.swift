import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// A portal site: the province's main portal or a component portal of a department, a district or another unit.
struct Site: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable { case main, department, district, unit }

    var slug: String
    var name: String
    var agencyCode: String?
    var kind: Kind
    /// Its own domain, when it has one (`stp.kiengiang.gov.vn`): requests for it are answered with this site.
    var host: String?
    var banner: String
    var contacts: String
}

/// A news article of a site: a draft while its editors work on it, public once published.
struct Article: Sendable, Equatable {
    enum Status: String, Sendable { case draft, published }

    var id: String
    var siteSlug: String
    var title: String
    var summary: String
    var body: String
    var status: Status
    var author: String
    var createdAt: Date
    var updatedAt: Date
    var publishedAt: Date?
}

/// The `sites` and `articles` tables.
struct SiteRepository: Sendable {
    let database: Database

    private struct SiteRow: Decodable {
        let slug: String, name: String, agency_code: String?, kind: String, host: String?, banner: String, contacts: String
        var site: Site {
            Site(slug: self.slug, name: self.name, agencyCode: self.agency_code, kind: Site.Kind(rawValue: self.kind) ?? .unit, host: self.host,
                 banner: self.banner, contacts: self.contacts)
        }
    }

    private struct ArticleRow: Decodable {
        let id: String, site_slug: String, title: String, summary: String, body: String, status: String, author: String
        let created_at: Int64, updated_at: Int64, published_at: Int64?
        var article: Article {
            Article(id: self.id, siteSlug: self.site_slug, title: self.title, summary: self.summary, body: self.body,
                    status: Article.Status(rawValue: self.status) ?? .draft, author: self.author, createdAt: Date(epochMilliseconds: self.created_at),
                    updatedAt: Date(epochMilliseconds: self.updated_at), publishedAt: self.published_at.map(Date.init(epochMilliseconds:)))
        }
    }

    static let siteColumns = ["slug", "name", "agency_code", "kind", "host", "banner", "contacts"]
    static let articleColumns = ["id", "site_slug", "title", "summary", "body", "status", "author", "created_at", "updated_at", "published_at"]

    /// A site's address part from its name: "Sở Tư pháp" → "so-tu-phap".
    static func slug(_ name: String) -> String {
        let folded = VietnameseText.withoutDiacritics(name).lowercased()
        var slug = ""
        for character in folded {
            if character.isASCII, character.isLetter || character.isNumber { slug.append(character) } else if !slug.hasSuffix("-") { slug.append("-") }
        }
        return slug.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// Adds a site unless its slug exists; whether it was added.
    @discardableResult
    func add(_ site: Site, now: Date, in db: any SQLDatabase) async throws -> Bool {
        guard try await db.select().column("slug").from("sites").where("slug", .equal, site.slug).first() == nil else { return false }
        try await db.insert(into: "sites").columns(Self.siteColumns + ["created_at"])
            .values(SQLBind(site.slug), SQLBind(site.name), SQLBind(site.agencyCode), SQLBind(site.kind.rawValue), SQLBind(site.host),
                    SQLBind(site.banner), SQLBind(site.contacts), SQLBind(now.epochMilliseconds))
            .run()
        return true
    }

    func sites() async throws -> [Site] {
        try await self.database.read { db in
            try await db.select().columns(Self.siteColumns).from("sites").orderBy("kind").orderBy("name").all(decoding: SiteRow.self).map(\.site)
        }
    }

    func site(_ slug: String) async throws -> Site? {
        try await self.database.read { db in
            try await db.select().columns(Self.siteColumns).from("sites").where("slug", .equal, slug).first(decoding: SiteRow.self)?.site
        }
    }

    func site(host: String) async throws -> Site? {
        try await self.database.read { db in
            try await db.select().columns(Self.siteColumns).from("sites").where("host", .equal, host).first(decoding: SiteRow.self)?.site
        }
    }

    func update(_ site: Site) async throws {
        try await self.database.transaction { db in
            try await db.update("sites").set("name", to: SQLBind(site.name)).set("host", to: SQLBind(site.host)).set("banner", to: SQLBind(site.banner))
                .set("contacts", to: SQLBind(site.contacts)).where("slug", .equal, site.slug).run()
        }
    }

    /// Published articles, newest first: of one site, or of every site when `site` is nil (the main portal's news).
    func published(site: String?, limit: Int) async throws -> [Article] {
        try await self.database.read { db in
            var query = db.select().columns(Self.articleColumns).from("articles").where("status", .equal, Article.Status.published.rawValue)
            if let site { query = query.where("site_slug", .equal, site) }
            return try await query.orderBy("published_at", .descending).limit(limit).all(decoding: ArticleRow.self).map(\.article)
        }
    }

    /// Every article of a site, drafts included, newest first (its editors' list).
    func articles(site: String) async throws -> [Article] {
        try await self.database.read { db in
            try await db.select().columns(Self.articleColumns).from("articles").where("site_slug", .equal, site)
                .orderBy("updated_at", .descending).limit(200).all(decoding: ArticleRow.self).map(\.article)
        }
    }

    func article(_ id: String) async throws -> Article? {
        try await self.database.read { db in
            try await db.select().columns(Self.articleColumns).from("articles").where("id", .equal, id).first(decoding: ArticleRow.self)?.article
        }
    }

    func save(_ article: Article) async throws {
        try await self.database.transaction { db in
            try await db.delete(from: "articles").where("id", .equal, article.id).run()
            try await db.insert(into: "articles").columns(Self.articleColumns)
                .values(SQLBind(article.id), SQLBind(article.siteSlug), SQLBind(article.title), SQLBind(article.summary), SQLBind(article.body),
                        SQLBind(article.status.rawValue), SQLBind(article.author), SQLBind(article.createdAt.epochMilliseconds),
                        SQLBind(article.updatedAt.epochMilliseconds), SQLBind(article.publishedAt?.epochMilliseconds))
                .run()
        }
    }
}
