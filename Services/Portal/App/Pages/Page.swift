import DomainKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import PageKit
import ServiceKit

/// Server-rendered HTML: escaped by default, one layout, readable on a cheap phone.
struct HTML: Sendable {
    let text: String

    init(raw text: String) {
        self.text = text
    }

    /// Escapes a value for element content or a quoted attribute.
    static func escape(_ value: String) -> String { HTMLText.escape(value) }
}

extension Phrase {
    static let siteName = Phrase("Cổng dịch vụ công tỉnh Kiên Giang", "Kien Giang public service portal")
    static let navHome = Phrase("Trang chủ", "Home")
    static let navProcedures = Phrase("Thủ tục", "Procedures")
    static let navLookup = Phrase("Tra cứu hồ sơ", "Track a dossier")
    static let navSignIn = Phrase("Đăng nhập", "Sign in")
    static let navRegister = Phrase("Đăng ký", "Register")
    static let navAccount = Phrase("Tài khoản", "Account")
    static let navSignOut = Phrase("Đăng xuất", "Sign out")
    static let navConsole = Phrase("Bàn làm việc cán bộ", "Staff console")
    static let skipToContent = Phrase("Bỏ qua, đến nội dung chính", "Skip to main content")
    static let mainNavigation = Phrase("Điều hướng chính", "Main navigation")
    static let footer = Phrase("Hệ thống thông tin giải quyết thủ tục hành chính tỉnh Kiên Giang · Phần mềm nguồn mở MotCua",
                               "Kien Giang administrative procedure system · MotCua open-source software")
    static let platformStatus = Phrase("Tình trạng hệ thống", "Platform status")
    static let formExpiredTitle = Phrase("Biểu mẫu đã hết hạn", "The form has expired")
}

/// The page frame shared by every page: skip link, header with navigation and the language toggle, main, footer.
enum Layout {
    static func page(_ visitor: Visitor, title: Phrase, body: HTML, status: HTTPResponse.Status = .ok) -> Response {
        let language = visitor.language
        var nav: [(String, Phrase)] = [("/", .navHome), ("/procedures", .navProcedures), ("/lookup", .navLookup)]
        if visitor.account == nil {
            nav += [("/login", .navSignIn), ("/register", .navRegister)]
        } else {
            nav += [("/my/dossiers", .myDossiers), ("/my/inbox", .inboxTitle)]
            if visitor.account?.roles.contains(where: { $0 == .editor || $0 == .admin }) == true { nav += [("/editor", .editorTitle)] }
            if let console = visitor.consoleURL, visitor.account?.roles.contains(where: { [.officer, .leader, .admin].contains($0) }) == true {
                nav += [(console, .navConsole)]
            }
            nav += [("/account", .navAccount)]
        }
        let links = nav.map { path, label in
            let current = visitor.path == path ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(path)\"\(current)>\(HTML.escape(label(language)))</a></li>"
        }.joined()
        let signOut = visitor.account == nil ? "" : """
            <li><form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="\(visitor.csrfToken)">\
            <button class="link" type="submit">\(HTML.escape(Phrase.navSignOut(language)))</button></form></li>
            """
        return self.document(visitor, title: title, status: status, content: """
            <a class="skip" href="#main">\(HTML.escape(Phrase.skipToContent(language)))</a>
            <header class="site"><div class="bar">
            <a class="brand" href="/">\(HTML.escape(Phrase.siteName(language)))</a>
            <nav class="main" aria-label="\(HTML.escape(Phrase.mainNavigation(language)))"><ul>\(links)\(signOut)
            <li>\(self.languageToggle(visitor))</li></ul></nav>
            </div></header>
            <main id="main">
            \(body.text)
            </main>
            <footer class="site"><p>\(HTML.escape(Phrase.footer(language)))</p>
            <p><a href="/statistics">\(HTML.escape(Phrase.statisticsTitle(language)))</a> · <a href="/check">\(HTML.escape(Phrase.verifyTitlePublic(language)))</a> · \
            <a href="/status">\(HTML.escape(Phrase.platformStatus(language)))</a></p></footer>
            """)
    }

    /// The link to the page in the other language.
    static func languageToggle(_ visitor: Visitor) -> String {
        let other = visitor.language.other
        let href = "/lang/\(other.rawValue)?back=\(FormEncoding.encode(visitor.path))"
        return "<a href=\"\(HTML.escape(href))\" lang=\"\(other.rawValue)\" hreflang=\"\(other.rawValue)\">\(other.ownName)</a>"
    }

    /// The HTML document around a page's content: language, title, the portal's stylesheet and script, cookies.
    static func document(_ visitor: Visitor, title: Phrase, status: HTTPResponse.Status, head: String = "", bodyAttributes: String = "",
                         content: String) -> Response {
        let language = visitor.language
        let html = """
        <!doctype html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title(language))) · \(HTML.escape(Phrase.siteName(language)))</title>\(head)
        <link rel="stylesheet" href="\(Assets.stylesheet.path)">
        <script src="\(Assets.script.path)" defer></script>
        </head>
        <body\(bodyAttributes)>
        \(content)
        </body>
        </html>
        """
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: html)))
        for cookie in visitor.cookies { response.setCookie(cookie) }
        return response
    }

    /// A posted form whose CSRF field does not fit the browser (forged, or kept open past its cookie): 403, and a way back.
    static func formExpired(_ visitor: Visitor) -> Response {
        self.page(visitor, title: .formExpiredTitle, body: HTML(raw: """
            <div class="alert" role="alert"><p>\(HTML.escape(Phrase.formExpired(visitor.language)))</p>
            <p><a href="\(HTML.escape(visitor.path))">\(HTML.escape(Phrase.reload(visitor.language)))</a></p></div>
            """), status: .forbidden)
    }

    /// A page with one message (a thing not found, a refused request).
    static func message(_ visitor: Visitor, title: Phrase, text: Phrase, status: HTTPResponse.Status) -> Response {
        Layout.page(visitor, title: title, body: HTML(raw: """
            <h1>\(HTML.escape(title(visitor.language)))</h1>
            <div class="alert" role="alert"><p>\(HTML.escape(text(visitor.language)))</p></div>
            """), status: status)
    }

    /// A service the page needs is down: 503 with a message a person can act on.
    /// What a page says when a call to a service failed, truthfully: a refusal (this account may not see it) is said as
    /// one, with what to do instead; only an outage is called an outage.
    /// An outage is logged with its cause (the request id ties it to the page the person saw).
    static func failed(_ visitor: Visitor, title: Phrase, _ error: any Error, logger: Logger) -> Response {
        guard let problem = error as? Problem, [401, 403].contains(problem.statusCode) else {
            logger.warning("a page could not be served: a service it needs failed", metadata: ["page": "\(title.en)", "error": "\(error)"])
            return self.unavailable(visitor, title: title)
        }
        let staff = visitor.account.map { !$0.identity.has(.citizen) } ?? false
        return self.message(visitor, title: title, text: staff ? .citizenPagesOnly : .notAllowedHere, status: .forbidden)
    }

    static func unavailable(_ visitor: Visitor, title: Phrase) -> Response {
        var response = self.message(visitor, title: title, text: .serviceDown, status: .serviceUnavailable)
        response.headers[.retryAfter] = "30"
        return response
    }

    /// The kiosk's frame: no site navigation, large type, the language toggle, and a return to the start when idle
    /// (by script after `returnAfter` seconds without a touch; by a refresh when script is off).
    static func kiosk(_ visitor: Visitor, title: Phrase, body: HTML, status: HTTPResponse.Status, returnAfter seconds: Int) -> Response {
        self.document(visitor, title: title, status: status,
                      head: "\n<noscript><meta http-equiv=\"refresh\" content=\"\(seconds * 2);url=/kiosk\"></noscript>",
                      bodyAttributes: " class=\"kiosk\" data-idle=\"\(seconds)\" data-home=\"/kiosk\"", content: """
            <header class="site"><div class="bar"><a class="brand" href="/kiosk">\(HTML.escape(Phrase.siteName(visitor.language)))</a>
            \(self.languageToggle(visitor))</div></header>
            <main id="main">
            \(body.text)
            </main>
            """)
    }
}
