import Crypto
import Foundation
import ServiceKit

/// Cross-site request forgery protection by a signed double submit: the browser holds a random nonce in an
/// HttpOnly cookie, every form carries the HMAC of that nonce under the site's secret, and a POST is taken only
/// when the two agree. Another site can make a browser send the cookie, but cannot read it to compute the field.
public struct CSRFGuard: Sendable {
    public static let cookieName = "motcua_csrf"
    public static let fieldName = "csrf"
    let key: SymmetricKey

    public init(secret: Data) {
        self.key = SymmetricKey(data: secret)
    }

    public func token(for nonce: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: self.key))
    }

    public func accepts(field: String?, nonce: String?) -> Bool {
        guard let field, let nonce, !nonce.isEmpty else { return false }
        return MessageAuthentication.same(self.token(for: nonce), field)
    }
}
