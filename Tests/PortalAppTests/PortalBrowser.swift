import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Synchronization
import Testing

/// A page as a browser got it.
struct Page {
    var status: HTTPResponse.Status
    var location: String?
    var headers: HTTPFields
    var html: String

    /// The CSRF field of the page's forms.
    var csrf: String? { self.capture(#"name="csrf" value="([^"]+)""#) }

    /// The error text shown next to a field (`<span class="error" id="f-NAME-error">`).
    func error(_ field: String) -> String? { self.capture(#"id="f-\#(field)-error">([^<]*)<"#) }

    /// The value of a hidden or filled input.
    func value(_ name: String) -> String? { self.capture(#"name="\#(NSRegularExpression.escapedPattern(for: name))"[^>]*? value="([^"]*)""#) }

    func capture(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: self.html, range: NSRange(self.html.startIndex..., in: self.html)),
              let range = Range(match.range(at: 1), in: self.html) else { return nil }
        return String(self.html[range])
    }
}

/// A browser over the in-process router: keeps cookies as a browser does and fills forms' CSRF fields.
final class PortalBrowser: Sendable {
    let client: any TestClientProtocol
    private let jar = Mutex<[String: String]>([:])

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    func cookie(_ name: String) -> String? { self.jar.withLock { $0[name] } }
    func setCookie(_ name: String, _ value: String?) { self.jar.withLock { $0[name] = value } }

    func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await self.send(uri, method: .get, headers: extra, body: nil)
    }

    /// Posts a form with the CSRF field of `from` (or of a fresh GET of `uri`) unless `csrf` is given.
    func post(_ uri: String, _ fields: [String: String], from page: Page? = nil, csrf: String? = nil) async throws -> Page {
        var fields = fields
        if fields["csrf"] == nil {
            let token: String?
            if let csrf { token = csrf } else if let page { token = page.csrf } else { token = try await self.get(uri).csrf }
            fields["csrf"] = token
        }
        let body = fields.map { "\(FormEncoding.encode($0.key))=\(FormEncoding.encode($0.value))" }.joined(separator: "&")
        return try await self.send(uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// Posts a multipart form (with file inputs), as a browser does for `enctype="multipart/form-data"`.
    func postMultipart(_ uri: String, _ fields: [String: String], files: [(field: String, name: String, bytes: [UInt8])], from page: Page) async throws -> Page {
        var fields = fields
        if fields["csrf"] == nil { fields["csrf"] = page.csrf }
        let boundary = "----motcua\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                             + "Content-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return try await self.send(uri, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    private func send(_ uri: String, method: HTTPRequest.Method, headers extra: HTTPFields, body: ByteBuffer?) async throws -> Page {
        var headers = extra
        let cookies = self.jar.withLock { $0.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookies.isEmpty { headers[.cookie] = cookies }
        return try await self.client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            for field in response.headers where field.name == .setCookie {
                let pair = field.value.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
                let expired = field.value.lowercased().contains("max-age=0")
                self.jar.withLock { $0[name] = expired || value.isEmpty ? nil : value }
            }
            return Page(status: response.status, location: response.headers[.location], headers: response.headers, html: String(buffer: response.body))
        }
    }
}

/// One-time codes as a phone would get them: kept in memory instead of sent (a fake, for these unit tests only).
final class RecordingCodeSender: CodeSending {
    struct Sent: Equatable { let phone: String; let code: String; let purpose: PhoneCodes.Purpose; let language: Language }
    private let sent = Mutex<[Sent]>([])
    /// While true, sending fails as it would with the notifications service down.
    let failing = Mutex(false)

    func send(code: String, id: String, purpose: PhoneCodes.Purpose, to phone: String, language: Language, requestID: String?) async throws {
        if self.failing.withLock({ $0 }) { throw Problem.unavailable("notifications is down") }
        self.sent.withLock { $0.append(Sent(phone: phone, code: code, purpose: purpose, language: language)) }
    }

    var all: [Sent] { self.sent.withLock { $0 } }
    func last(to phone: String) -> Sent? { self.all.last { $0.phone == phone } }
}

/// The portal under test with recorded codes, a movable clock and a quick bcrypt.
struct PortalFixture {
    let clock = TestClock(Date())
    let codes = RecordingCodeSender()
    let settings: ServiceSettings

    init(environment: [String: String] = [:]) {
        self.settings = ServiceSettings.testing(name: "portal", environment: ["BCRYPT_COST": "4"].merging(environment) { $1 })
    }

    func run(_ body: @escaping @Sendable (PortalBrowser, ServiceSettings) async throws -> Void) async throws {
        let settings = self.settings
        let clock = self.clock
        let app = try await buildPortalApplication(settings, clock: { clock.now }, codeSender: self.codes)
        try await app.test(.router) { client in
            try await body(PortalBrowser(client), settings)
        }
    }

    /// Registers and confirms a citizen; the browser is left signed in.
    func citizen(_ browser: PortalBrowser, phone: String = "0912345678", citizenId: String = "091095000123", password: String = "mật khẩu dài")
        async throws {
        let form = try await browser.get("/register")
        _ = try await browser.post("/register", ["fullName": "Nguyễn Thị Lan", "phone": phone, "citizenId": citizenId, "password": password], from: form)
        let code = try #require(self.codes.last(to: phone)).code
        _ = try await browser.post("/verify", ["code": code])
    }
}
