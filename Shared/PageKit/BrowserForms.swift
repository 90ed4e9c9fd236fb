import Foundation
import Hummingbird
import ServiceKit

/// The cookies a site sets for its pages: HttpOnly, SameSite=Lax, on the whole site, Secure when served over https.
public struct SiteCookies: Sendable {
    public let secure: Bool

    public init(secure: Bool) {
        self.secure = secure
    }

    public func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: self.secure, httpOnly: true, sameSite: .lax)
    }

    /// The cookie that ends `name` in the browser.
    public func ended(_ name: String) -> Cookie { self.cookie(name, "", maxAge: 0) }
}

extension CSRFGuard {
    /// The browser's nonce, or a new one and the cookie that gives it to the browser (its first page here).
    public func nonce(of request: Request, cookies: SiteCookies) -> (nonce: String, cookie: Cookie?) {
        if let existing = request.cookies[Self.cookieName]?.value, !existing.isEmpty { return (existing, nil) }
        let made = SessionToken.new()
        return (made, cookies.cookie(Self.cookieName, made, maxAge: nil))
    }

    /// Whether a posted form's CSRF field matches the browser's nonce (url-encoded and multipart forms alike).
    public func accepts(_ fields: [String: String], of request: Request) -> Bool {
        self.accepts(field: fields[Self.fieldName], nonce: request.cookies[Self.cookieName]?.value)
    }

    /// The posted url-encoded form's fields, or nil when its CSRF field does not match the browser's nonce (a forged
    /// post, or a page kept open past a cookie's end).
    public func fields(of request: Request, limit: Int = 64 * 1024) async throws -> [String: String]? {
        let body = try await request.body.collect(upTo: limit)
        guard let fields = FormEncoding.parameters(of: String(buffer: body)), self.accepts(fields, of: request) else { return nil }
        return fields
    }
}

extension Response {
    /// A 303 to `location` carrying `cookies` (after a form, so that a reload does not post again).
    public static func seeOther(_ location: String, cookies: [Cookie]) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }
}

/// Where a `next` or `back` parameter may lead: a path on this site only, never another host (`//evil.example`,
/// `/\evil.example`, `https://…`) or a header split (CR, LF), so a sign-in link cannot be a springboard.
public enum LocalPath {
    public static func safe(_ next: String?, fallback: String = "/") -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.contains("\r"), !next.contains("\n") else {
            return fallback
        }
        return next
    }
}
