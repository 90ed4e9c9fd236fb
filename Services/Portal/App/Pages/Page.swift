import DomainKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import PageKit
import ServiceKit

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

/// The frame shared by every page (PageKit's `layout` template): skip link, header with navigation and the language
/// toggle, main, footer with its links. Each screen is a template beside its controller whose model carries `frame`.
enum Layout {
    static func frame(_ visitor: Visitor, title: Phrase) -> PageFrame {
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
        var frame = PageFrame(language: language, title: title, siteName: .siteName, homeHref: "/", stylesheet: Assets.stylesheet.path,
                              script: Assets.script.path, csrf: visitor.csrfToken, path: visitor.path,
                              nav: nav.map { PageFrame.NavItem(href: $0.0, label: $0.1(language), current: visitor.path == $0.0) },
                              user: nil, signOut: visitor.account == nil ? nil : "/logout", footer: .footer)
        frame.languageToggle.href = self.languageHref(visitor)
        frame.footerLinks = PageFrame.FooterLinks([("/statistics", Phrase.statisticsTitle(language)), ("/check", Phrase.verifyTitlePublic(language)),
                                                   ("/status", Phrase.platformStatus(language))])
        return frame
    }

    /// `template` for `model` (whose `frame` is `frame(visitor, title:)`), with the visitor's cookies.
    static func render(_ visitor: Visitor, _ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try PortalTemplates.library.page(template, model, status: status)
        for cookie in visitor.cookies { response.setCookie(cookie) }
        return response
    }

    static func languageHref(_ visitor: Visitor) -> String {
        "/lang/\(visitor.language.other.rawValue)?back=\(FormEncoding.encode(visitor.path))"
    }

    /// A posted form whose CSRF field does not fit the browser (forged, or kept open past its cookie): 403, and a way back.
    static func formExpired(_ visitor: Visitor) -> Response {
        self.message(visitor, title: .formExpiredTitle, text: .formExpired, back: PageFrame.Link(href: visitor.path, label: Phrase.reload(visitor.language)),
                     status: .forbidden)
    }

    /// A page with one message (a thing not found, a refused request), and a way on when there is one.
    static func message(_ visitor: Visitor, title: Phrase, text: Phrase, back: PageFrame.Link? = nil, status: HTTPResponse.Status) -> Response {
        struct Model { var frame: PageFrame; var heading: String; var text: String; var back: PageFrame.Link? }
        do {
            return try self.render(visitor, "message", Model(frame: self.frame(visitor, title: title), heading: title(visitor.language),
                                                             text: text(visitor.language), back: back), status: status)
        } catch {
            preconditionFailure("the portal's message template: \(error)")
        }
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
}
