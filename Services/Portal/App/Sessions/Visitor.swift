import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// Who is looking at a page: their language, their account when signed in, the CSRF token for the page's forms,
/// and the cookies the answer must set.
struct Visitor: Sendable {
    var language: Language
    var account: AccountRecord?
    var csrfToken: String
    /// The path and query of this page, for the language toggle's way back and the sign-in's `next`.
    var path: String
    var cookies: [Cookie] = []
    /// Where staff work: the console's address, offered in the menu to officers, leaders and admins.
    var consoleURL: String? = nil

    /// A 303 to `location` carrying the visitor's cookies (after a form, so that a reload does not post again).
    func redirect(to location: String) -> Response { .seeOther(location, cookies: self.cookies) }
}

/// Reads a visitor from a request: the language cookie, the session cookie, the CSRF nonce (made when missing).
struct Visitors: Sendable {
    static let sessionCookie = "motcua_session"
    let sessions: SessionRepository
    let csrf: CSRFGuard
    /// Secure cookies when the portal is served over https (always, in production).
    let secureCookies: Bool
    /// The staff console's address (`CONSOLE_PUBLIC_URL`).
    var consoleURL: String? = nil
    let now: @Sendable () -> Date

    func visitor(_ request: Request) async throws -> Visitor {
        let (nonce, nonceCookie) = self.csrf.nonce(of: request, cookies: self.siteCookies)
        let cookies = nonceCookie.map { [$0] } ?? []
        var account: AccountRecord?
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty {
            account = try await self.sessions.account(for: token, now: self.now())
        }
        var path = request.uri.path
        if let query = request.uri.query, !query.isEmpty { path += "?" + query }
        return Visitor(language: Language.of(request), account: account, csrfToken: self.csrf.token(for: nonce), path: path, cookies: cookies,
                       consoleURL: self.consoleURL)
    }

    /// The posted form's fields, or nil when its CSRF field does not match the browser's nonce (a forged post, or a
    /// page kept open past a cookie's end).
    func form(_ request: Request, context: some RequestContext, limit: Int = 64 * 1024) async throws -> [String: String]? {
        try await self.csrf.fields(of: request, limit: limit)
    }

    /// Whether a posted form's CSRF field matches the browser's nonce (url-encoded and multipart forms alike).
    func carriesToken(_ fields: [String: String], _ request: Request) -> Bool {
        self.csrf.accepts(fields, of: request)
    }

    var siteCookies: SiteCookies { SiteCookies(secure: self.secureCookies) }

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        self.siteCookies.cookie(name, value, maxAge: maxAge)
    }

    func sessionCookie(_ token: String) -> Cookie {
        self.cookie(Self.sessionCookie, token, maxAge: Int(SessionRepository.lifetime))
    }

    var endedSessionCookie: Cookie { self.siteCookies.ended(Self.sessionCookie) }
}
