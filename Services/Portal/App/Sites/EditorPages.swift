import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let editorTitle = Phrase("Biên tập tin bài", "Edit news")
    static let newArticle = Phrase("Viết bài mới", "New article")
    static let editArticle = Phrase("Sửa bài", "Edit article")
    static let articleTitle = Phrase("Tiêu đề", "Title")
    static let articleSummary = Phrase("Tóm tắt", "Summary")
    static let articleBody = Phrase("Nội dung", "Body")
    static let articleBodyHint = Phrase("Mỗi đoạn cách nhau một dòng trống.", "Separate paragraphs with an empty line.")
    static let articleStatus = Phrase("Trạng thái", "Status")
    static let draft = Phrase("Bản nháp", "Draft")
    static let publish = Phrase("Đăng công khai", "Published")
    static let save = Phrase("Lưu", "Save")
    static let notEditor = Phrase("Trang này dành cho biên tập viên của cổng thông tin.", "This page is for the portal's editors.")
    static let required = Phrase("Không được để trống.", "This cannot be empty.")
    static let saved = Phrase("Đã lưu bài viết.", "The article is saved.")
}

/// The editors' console: an editor writes, publishes and withdraws the articles of their agency's portal; an admin
/// may edit any portal's.
struct EditorPages {
    let visitors: Visitors
    let sites: SiteRepository
    /// The home page's kept news, forgotten when an article is saved.
    let homeCache: ReferenceCache

    static func mayEdit(_ account: AccountRecord?, _ site: Site) -> Bool {
        guard let account else { return false }
        if account.roles.contains(.admin) { return true }
        return account.roles.contains(.editor) && site.agencyCode != nil && account.agency == site.agencyCode
    }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/editor") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            guard let account = visitor.account else { return visitor.redirect(to: "/login?next=%2Feditor") }
            let mine = try await self.sites.sites().filter { Self.mayEdit(account, $0) }
            guard !mine.isEmpty else { return Layout.message(visitor, title: .editorTitle, text: .notEditor, status: .forbidden) }
            var lists: [(Site, [Article])] = []
            for site in mine.prefix(60) { lists.append((site, try await self.sites.articles(site: site.slug))) }
            return try self.console(visitor, lists, saved: request.query("saved") != nil)
        }
        router.get("/editor/new") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            guard let site = try await self.sites.site(request.query("site") ?? ""), Self.mayEdit(visitor.account, site) else {
                return Layout.message(visitor, title: .editorTitle, text: .notEditor, status: .forbidden)
            }
            return try self.form(visitor, site, article: nil, FormState(values: ["status": Article.Status.draft.rawValue]))
        }
        router.post("/editor/articles") { request, context in
            let visitor = try await self.visitors.visitor(request)
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            guard let site = try await self.sites.site(fields["site"] ?? ""), Self.mayEdit(visitor.account, site) else {
                return Layout.message(visitor, title: .editorTitle, text: .notEditor, status: .forbidden)
            }
            return try await self.save(visitor, site, existing: nil, fields)
        }
        router.get("/editor/articles/:id") { request, context in
            let visitor = try await self.visitors.visitor(request)
            guard let article = try await self.sites.article(try context.parameters.require("id")),
                  let site = try await self.sites.site(article.siteSlug), Self.mayEdit(visitor.account, site) else {
                return Layout.message(visitor, title: .editorTitle, text: .notEditor, status: .forbidden)
            }
            return try self.form(visitor, site, article: article, FormState(values: ["title": article.title, "summary": article.summary,
                                                                                 "body": article.body, "status": article.status.rawValue]))
        }
        router.post("/editor/articles/:id") { request, context in
            let visitor = try await self.visitors.visitor(request)
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            guard let article = try await self.sites.article(try context.parameters.require("id")),
                  let site = try await self.sites.site(article.siteSlug), Self.mayEdit(visitor.account, site) else {
                return Layout.message(visitor, title: .editorTitle, text: .notEditor, status: .forbidden)
            }
            return try await self.save(visitor, site, existing: article, fields)
        }
        let pages: [(String, String, String)] = [
            ("GET", "/editor", "The editor's portals and their articles"), ("GET", "/editor/new", "A new article form (?site=)"),
            ("POST", "/editor/articles", "Create an article (csrf, site, title, summary, body, status draft|published)"),
            ("GET", "/editor/articles/:id", "Edit an article"), ("POST", "/editor/articles/:id", "Save an article (publish, withdraw)"),
        ]
        for (method, path, summary) in pages {
            var responses: [Int: (String, JSONValue?)] = [303: ("Not signed in, or saved: to the next page", nil), 403: ("Not its editor", nil)]
            if method == "GET" { responses[200] = ("HTML", nil) }
            openAPI.add(method, path, summary: summary, tag: "pages", responses: responses, contentType: "text/html")
        }
    }

    private func save(_ visitor: Visitor, _ site: Site, existing: Article?, _ fields: [String: String]) async throws -> Response {
        var state = FormState(values: fields)
        for field in ["title", "summary", "body"] where (fields[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            state.issues.append(FieldIssue(field: field, code: "required", vi: Phrase.required.vi, en: Phrase.required.en))
        }
        guard state.issues.isEmpty else { return try self.form(visitor, site, article: existing, state, status: .unprocessableContent) }
        let now = self.visitors.now()
        let status = Article.Status(rawValue: fields["status"] ?? "") ?? .draft
        let trimmed = { (name: String) in (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var article = existing ?? Article(id: UUID().uuidString.lowercased(), siteSlug: site.slug, title: "", summary: "", body: "", status: .draft,
                                          author: visitor.account?.id ?? "", createdAt: now, updatedAt: now, publishedAt: nil)
        article.title = trimmed("title")
        article.summary = trimmed("summary")
        article.body = trimmed("body").replacingOccurrences(of: "\r\n", with: "\n")
        article.updatedAt = now
        if status == .published, article.status != .published { article.publishedAt = now }
        if status == .draft { article.publishedAt = nil }
        article.status = status
        try await self.sites.save(article)
        await self.homeCache.forget("news")
        return visitor.redirect(to: "/editor?saved=1")
    }

    /// The editor's desk for `editor.mustache`: each site the editor may write for, with its articles.
    struct DeskView {
        struct Row { var href: String; var title: String; var published: Bool; var state: String; var updated: String }
        struct SiteArticles { var href: String; var name: String; var newHref: String; var newLabel: String; var hasArticles: Bool; var articles: [Row] }
        var frame: PageFrame
        var heading: String
        var saved: String?
        var sites: [SiteArticles]
    }

    func console(_ visitor: Visitor, _ lists: [(Site, [Article])], saved: Bool) throws -> Response {
        let l = visitor.language
        let sites = lists.map { site, articles in
            DeskView.SiteArticles(href: "/s/\(site.slug.pathSegment)", name: site.name, newHref: "/editor/new?site=\(FormEncoding.encode(site.slug))",
                                  newLabel: Phrase.newArticle(l), hasArticles: !articles.isEmpty, articles: articles.map { article in
                DeskView.Row(href: "/editor/articles/\(article.id.pathSegment)", title: article.title, published: article.status == .published,
                             state: (article.status == .published ? Phrase.publish : Phrase.draft)(l), updated: Display.dateTime(article.updatedAt))
            })
        }
        return try Layout.render(visitor, "editor", DeskView(frame: Layout.frame(visitor, title: .editorTitle), heading: Phrase.editorTitle(l),
                                                              saved: saved ? Phrase.saved(l) : nil, sites: sites))
    }

    /// A new or changed article for `article-form.mustache`.
    struct ArticleForm {
        var frame: PageFrame
        var editor: String
        var siteName: String
        var heading: String
        var errorSummary: ErrorSummary?
        var action: String
        var csrf: String
        var site: String
        var fields: [FormField]
        var submit: String
    }

    func form(_ visitor: Visitor, _ site: Site, article: Article?, _ state: FormState, status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        let title: Phrase = article == nil ? .newArticle : .editArticle
        let statuses = [(Article.Status.draft, Phrase.draft), (.published, Phrase.publish)].map { FormField.Option(value: $0.0.rawValue, label: $0.1(l)) }
        return try Layout.render(visitor, "article-form", ArticleForm(
            frame: Layout.frame(visitor, title: title), editor: Phrase.editorTitle(l), siteName: site.name, heading: title(l), errorSummary: state.summary(l),
            action: article.map { "/editor/articles/\($0.id.pathSegment)" } ?? "/editor/articles", csrf: visitor.csrfToken, site: site.slug,
            fields: [state.field("title", .articleTitle, l), state.field("summary", .articleSummary, l),
                     state.field("body", .articleBody, l, .init(hint: .articleBodyHint, required: false, lines: 12)),
                     state.field("status", .articleStatus, l, .init(required: false, options: statuses))],
            submit: Phrase.save(l)), status: status)
    }
}
