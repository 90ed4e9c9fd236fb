import Crypto
import Foundation
import ServiceKit

/// Cross-site request forgery protection by a signed double submit: the browser holds a random nonce in an
/// HttpOnly cookie, every form carries the HMAC of that nonce under the portal's secret, and a POST is taken only
/// when the two agree. Another site can make a browser send the cookie, but cannot read it to compute the field.
struct CSRFGuard: Sendable {
    static let cookieName = "motcua_csrf"
    static let fieldName = "csrf"
    let key: SymmetricKey

    init(secret: Data) {
        self.key = SymmetricKey(data: secret)
    }

    func token(for nonce: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: self.key))
    }

    func accepts(field: String?, nonce: String?) -> Bool {
        guard let field, let nonce, !nonce.isEmpty else { return false }
        return MessageAuthentication.same(self.token(for: nonce), field)
    }
}
