import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

/// Every page the portal serves, found by following its own links from the home page (signed out, then signed in as
/// a citizen), carries the headers that keep it from being framed, sniffed or made to run another site's script.
@Suite("Portal pages: security headers")
struct SecurityHeaderTests {
    static let inlineScript = try! NSRegularExpression(pattern: #"<script(?![^>]*\ssrc=)[^>]*>"#, options: [.caseInsensitive])
    static let inlineHandler = try! NSRegularExpression(pattern: #"<[a-z][^>]*\son[a-z]+\s*="#, options: [.caseInsensitive])
    static let link = try! NSRegularExpression(pattern: ##"href="(/[^"#]*)""##)

    /// What is wrong with one answer, if anything.
    static func problems(_ page: Page, uri: String) -> [String] {
        var found: [String] = []
        let headers = page.headers
        func expect(_ name: String, _ check: (String) -> Bool) {
            guard let value = headers[HTTPField.Name(name)!], check(value) else {
                found.append("\(uri): \(name) is \(headers[HTTPField.Name(name)!] ?? "missing")")
                return
            }
        }
        expect("X-Content-Type-Options") { $0 == "nosniff" }
        expect("Referrer-Policy") { $0 == "strict-origin-when-cross-origin" }
        expect("Permissions-Policy") { $0.contains("camera=()") }
        expect("X-Frame-Options") { $0 == "DENY" }
        guard headers[.contentType]?.hasPrefix("text/html") == true else { return found }
        expect("Content-Security-Policy") { $0.contains("frame-ancestors 'none'") && $0.contains("script-src 'self'") && !$0.contains("unsafe-inline") }
        let range = NSRange(page.html.startIndex..., in: page.html)
        if Self.inlineScript.firstMatch(in: page.html, range: range) != nil { found.append("\(uri): an inline <script>") }
        if Self.inlineHandler.firstMatch(in: page.html, range: range) != nil { found.append("\(uri): an inline event handler") }
        return found
    }

    /// Follows the portal's own links breadth-first from `start`, at most `limit` pages; returns the problems found
    /// and how many HTML pages were read.
    static func crawl(_ browser: PortalBrowser, from start: [String], limit: Int) async throws -> (problems: [String], pages: Int) {
        var queue = start
        var seen = Set(start)
        var problems: [String] = []
        var pages = 0
        while !queue.isEmpty, pages < limit {
            let uri = queue.removeFirst()
            // Signing out would end the signed-in half of the crawl; language switches only redirect.
            if uri.hasPrefix("/logout") { continue }
            let page = try await browser.get(uri)
            problems += Self.problems(page, uri: uri)
            guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
            pages += 1
            for match in Self.link.matches(in: page.html, range: NSRange(page.html.startIndex..., in: page.html)) {
                guard let range = Range(match.range(at: 1), in: page.html) else { continue }
                let target = String(page.html[range]).replacingOccurrences(of: "&amp;", with: "&")
                // One page of each list is enough: paging and filters give the same headers.
                let path = target.split(separator: "?").first.map(String.init) ?? target
                guard !seen.contains(path), !target.hasPrefix("/assets/") else { continue }
                seen.insert(path)
                queue.append(target)
            }
        }
        return (problems, pages)
    }

    @Test func everyPageTheCrawlReachesCarriesTheHeaders() async throws {
        try await PortalPlatform.run { platform in
            let signedOut = try await Self.crawl(platform.browser, from: ["/", "/kiosk", "/lookup", "/login", "/register", "/status"], limit: 60)
            #expect(signedOut.problems.isEmpty, "\(signedOut.problems.prefix(5))")
            #expect(signedOut.pages >= 10)
            try await platform.fixture.citizen(platform.browser)
            let signedIn = try await Self.crawl(platform.browser, from: ["/my/dossiers", "/my/inbox", "/account"], limit: 40)
            #expect(signedIn.problems.isEmpty, "\(signedIn.problems.prefix(5))")
            #expect(signedIn.pages >= 3)
            // Answers that are not pages carry the headers too: an asset, a missing page, an API error.
            for uri in ["/assets/nothing.css", "/no-such-page", "/api/v1/token"] {
                let page = try await platform.browser.get(uri)
                #expect(page.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
            }
        }
    }

    @Test func aKioskOriginMayFrameThePagesWhenConfigured() throws {
        var settings = ServiceSettings.testing(name: "portal", environment: ["FRAME_ANCESTORS": "https://kiosk.angiang.gov.vn"])
        #expect(try SecurityHeadersMiddleware.contentSecurityPolicy(frameAncestors: "https://kiosk.angiang.gov.vn").hasSuffix("frame-ancestors https://kiosk.angiang.gov.vn"))
        _ = try SecurityHeadersMiddleware(settings: settings)
        settings.environment["FRAME_ANCESTORS"] = "* 'none'"
        #expect(throws: ConfigurationError.self) { try SecurityHeadersMiddleware(settings: settings) }
    }
}
