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
    func redirect(to location: String) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        for cookie in self.cookies { response.setCookie(cookie) }
        return response
    }
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
        var cookies: [Cookie] = []
        let nonce: String
        if let existing = request.cookies[CSRFGuard.cookieName]?.value, !existing.isEmpty {
            nonce = existing
        } else {
            nonce = SessionRepository.newToken()
            cookies.append(self.cookie(CSRFGuard.cookieName, nonce, maxAge: nil))
        }
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
        let body = try await request.body.collect(upTo: limit)
        guard let fields = FormEncoding.parameters(of: String(buffer: body)), self.carriesToken(fields, request) else { return nil }
        return fields
    }

    /// Whether a posted form's CSRF field matches the browser's nonce (url-encoded and multipart forms alike).
    func carriesToken(_ fields: [String: String], _ request: Request) -> Bool {
        self.csrf.accepts(field: fields[CSRFGuard.fieldName], nonce: request.cookies[CSRFGuard.cookieName]?.value)
    }

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: self.secureCookies, httpOnly: true, sameSite: .lax)
    }

    func sessionCookie(_ token: String) -> Cookie {
        self.cookie(Self.sessionCookie, token, maxAge: Int(SessionRepository.lifetime))
    }

    var endedSessionCookie: Cookie { self.cookie(Self.sessionCookie, "", maxAge: 0) }
}
