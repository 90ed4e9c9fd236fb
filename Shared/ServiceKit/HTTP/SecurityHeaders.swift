import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The headers every answer carries so that a browser cannot be turned against its user: no content sniffing, no
/// referrer leaking a dossier's address to another site, no camera or microphone, no framing (a signing or approval
/// page framed by another site could be clicked through), and for HTML a Content-Security-Policy that runs only the
/// service's own script files. Behind a trusted proxy that says the browser came over https (`X-Forwarded-Proto`),
/// HSTS is sent and every cookie is made `Secure`.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    /// `frame-ancestors` sources: `'none'`, or the kiosk shell's origin (`FRAME_ANCESTORS`).
    let frameAncestors: String
    let trustedProxies: TrustedProxies

    public init(settings: ServiceSettings) throws(ConfigurationError) {
        let value = try settings.value("FRAME_ANCESTORS", default: "'none'")
        let sources = value.split(separator: " ").map(String.init)
        guard !sources.isEmpty, sources.allSatisfy({ $0 == "'none'" || $0 == "'self'" || $0.hasPrefix("https://") || $0.hasPrefix("http://") }),
              !(sources.contains("'none'") && sources.count > 1) else {
            throw ConfigurationError.invalid("FRAME_ANCESTORS", value, "'none', 'self' or origins such as https://kiosk.example.gov.vn, separated by spaces")
        }
        self.frameAncestors = value
        self.trustedProxies = settings.trustedProxies
    }

    /// The policy of the platform's own HTML pages: scripts, styles, fonts and images from the service itself only.
    public static func contentSecurityPolicy(frameAncestors: String = "'none'") -> String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; frame-ancestors \(frameAncestors)"
    }

    /// A page that carries its own small style and script (a printable receipt, the sandbox's bank page): those are
    /// allowed by their hashes, nothing else inline.
    public static func contentSecurityPolicy(inlineStyle: String?, inlineScript: String?) -> String {
        func hash(_ text: String) -> String { "'sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString() + "'" }
        return "default-src 'none'; style-src \(inlineStyle.map(hash) ?? "'none'"); script-src \(inlineScript.map(hash) ?? "'none'"); "
            + "img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'"
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        var headers = response.headers
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "strict-origin-when-cross-origin"
        headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        if self.frameAncestors == "'none'" { headers[HTTPField.Name("X-Frame-Options")!] = "DENY" }
        if headers[.contentSecurityPolicy] == nil, headers[.contentType]?.hasPrefix("text/html") == true {
            headers[.contentSecurityPolicy] = Self.contentSecurityPolicy(frameAncestors: self.frameAncestors)
        }
        if self.viaHTTPS(request, context) {
            headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
            let cookies = headers[values: .setCookie]
            if cookies.contains(where: { !$0.lowercased().contains("; secure") }) {
                headers[values: .setCookie] = cookies.map { $0.lowercased().contains("; secure") ? $0 : $0 + "; Secure" }
            }
        }
        response.headers = headers
        return response
    }

    /// The browser reached a trusted reverse proxy over https (its word is believed from it only).
    func viaHTTPS(_ request: Request, _ context: Context) -> Bool {
        guard self.trustedProxies.contains(context.remoteAddress),
              let proto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.split(separator: ",").first else { return false }
        return proto.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }
}
