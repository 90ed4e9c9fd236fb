import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Synchronization

/// A page as a browser got it.
public struct BrowserPage: Sendable {
    public var status: HTTPResponse.Status
    public var location: String?
    public var headers: HTTPFields
    public var html: String

    /// The CSRF field of the page's forms.
    public var csrf: String? { self.capture(#"name="csrf" value="([^"]+)""#) }

    /// The error text shown next to a field (`<span class="error" id="f-NAME-error">`).
    public func error(_ field: String) -> String? { self.capture(#"id="f-\#(field)-error">([^<]*)<"#) }

    /// The value of a hidden or filled input.
    public func value(_ name: String) -> String? { self.capture(#"name="\#(NSRegularExpression.escapedPattern(for: name))"[^>]*? value="([^"]*)""#) }

    public func capture(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: self.html, range: NSRange(self.html.startIndex..., in: self.html)),
              let range = Range(match.range(at: 1), in: self.html) else { return nil }
        return String(self.html[range])
    }
}

/// A browser over the in-process router: keeps cookies as a browser does and fills forms' CSRF fields.
public final class FormBrowser: Sendable {
    public let client: any TestClientProtocol
    private let jar = Mutex<[String: String]>([:])

    public init(_ client: any TestClientProtocol) {
        self.client = client
    }

    public func cookie(_ name: String) -> String? { self.jar.withLock { $0[name] } }
    public func setCookie(_ name: String, _ value: String?) { self.jar.withLock { $0[name] = value } }

    public func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> BrowserPage {
        try await self.send(uri, method: .get, headers: extra, body: nil)
    }

    /// Posts a form with the CSRF field of `from` (or of a fresh GET of `uri`) unless `csrf` is given.
    public func post(_ uri: String, _ fields: [String: String], from page: BrowserPage? = nil, csrf: String? = nil) async throws -> BrowserPage {
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
    public func postMultipart(_ uri: String, _ fields: [String: String], files: [(field: String, name: String, bytes: [UInt8])], from page: BrowserPage) async throws -> BrowserPage {
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

    private func send(_ uri: String, method: HTTPRequest.Method, headers extra: HTTPFields, body: ByteBuffer?) async throws -> BrowserPage {
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
            return BrowserPage(status: response.status, location: response.headers[.location], headers: response.headers, html: String(buffer: response.body))
        }
    }
}

