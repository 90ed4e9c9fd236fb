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
            return self.console(visitor, lists, saved: request.query("saved") != nil)
        }
        router.get("/editor/new") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            guard let site = try await self.sites.site(request.query("site") ?? ""), Self.mayEdit(visitor.account, site) else {
                return Layout.message(visitor, title: .editorTitle, text: .notEditor, status: .forbidden)
            }
            return self.form(visitor, site, article: nil, FormState(values: ["status": Article.Status.draft.rawValue]))
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
            return self.form(visitor, site, article: article, FormState(values: ["title": article.title, "summary": article.summary,
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
        guard state.issues.isEmpty else { return self.form(visitor, site, article: existing, state, status: .unprocessableContent) }
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

    func console(_ visitor: Visitor, _ lists: [(Site, [Article])], saved: Bool) -> Response {
        let l = visitor.language
        var body = "<h1>\(HTML.escape(Phrase.editorTitle(l)))</h1>" + (saved ? FormHTML.notice(.saved, l) : "")
        for (site, articles) in lists {
            body += "<section class=\"card\"><h2><a href=\"/s/\(site.slug)\">\(HTML.escape(site.name))</a></h2>"
                + "<p><a class=\"button\" href=\"/editor/new?site=\(site.slug)\">\(HTML.escape(Phrase.newArticle(l)))</a></p>"
            if !articles.isEmpty {
                body += "<table><tbody>" + articles.map { article in
                    let state = article.status == .published ? "<span class=\"ok\">\(HTML.escape(Phrase.publish(l)))</span>"
                        : HTML.escape(Phrase.draft(l))
                    return "<tr><td><a href=\"/editor/articles/\(article.id)\">\(HTML.escape(article.title))</a></td><td>\(state)</td>"
                        + "<td class=\"wide\">\(Display.dateTime(article.updatedAt))</td></tr>"
                }.joined() + "</tbody></table>"
            }
            body += "</section>"
        }
        return Layout.page(visitor, title: .editorTitle, body: HTML(raw: body))
    }

    func form(_ visitor: Visitor, _ site: Site, article: Article?, _ state: FormState, status: HTTPResponse.Status = .ok) -> Response {
        let l = visitor.language
        let action = article.map { "/editor/articles/\($0.id)" } ?? "/editor/articles"
        let bodyIssue = state.issue("body")
        let chosen = state["status"]
        let options = [(Article.Status.draft, Phrase.draft), (.published, Phrase.publish)].map { value, label in
            "<option value=\"\(value.rawValue)\"\(value.rawValue == chosen ? " selected" : "")>\(HTML.escape(label(l)))</option>"
        }.joined()
        return Layout.page(visitor, title: article == nil ? .newArticle : .editArticle, body: HTML(raw: """
            <p class="muted"><a href="/editor">\(HTML.escape(Phrase.editorTitle(l)))</a> · \(HTML.escape(site.name))</p>
            <h1>\(HTML.escape((article == nil ? Phrase.newArticle : Phrase.editArticle)(l)))</h1>
            \(FormHTML.summary(state, l))
            <form class="stack" method="post" action="\(action)" novalidate data-once>
            \(FormHTML.csrf(visitor))<input type="hidden" name="site" value="\(HTML.escape(site.slug))">
            \(FormHTML.field("title", .articleTitle, state, l))
            \(FormHTML.field("summary", .articleSummary, state, l))
            <div class="field\(bodyIssue == nil ? "" : " invalid")"><label for="f-body">\(HTML.escape(Phrase.articleBody(l)))</label>\
            <span class="hint" id="f-body-hint">\(HTML.escape(Phrase.articleBodyHint(l)))</span>\
            \(bodyIssue.map { "<span class=\"error\" id=\"f-body-error\">\(HTML.escape($0.text(l)))</span>" } ?? "")\
            <textarea id="f-body" name="body" rows="12" aria-describedby="f-body-hint\(bodyIssue == nil ? "" : " f-body-error")">\(HTML.escape(state["body"]))</textarea></div>
            <div class="field"><label for="f-status">\(HTML.escape(Phrase.articleStatus(l)))</label><select id="f-status" name="status">\(options)</select></div>
            <button type="submit">\(HTML.escape(Phrase.save(l)))</button>
            </form>
            """), status: status)
    }
}
