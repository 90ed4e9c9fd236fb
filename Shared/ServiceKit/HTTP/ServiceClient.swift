import AsyncHTTPClient
import Hummingbird
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension Request {
    /// Decodes a JSON body (up to `limit` bytes) or throws a 400 problem naming the field that is wrong.
    public func decodeJSON<T: Decodable>(as type: T.Type, limit: Int = 1024 * 1024) async throws -> T {
        try self.requireJSON()
        return try Self.decodeJSON(as: type, from: try await self.body.collect(upTo: limit))
    }

    /// A body that says it is something else (text/plain, a form) is refused with 415 rather than read as JSON: a
    /// browser sends those across sites without asking, JSON it does not. No Content-Type at all is read as JSON.
    public func requireJSON() throws(Problem) {
        guard let type = self.headers[.contentType] else { return }
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json")) else {
            throw Problem(.unsupportedMediaType, detail: "This endpoint reads JSON: send Content-Type: application/json (the request says \(type)).")
        }
    }

    /// Decodes a request body already collected, or throws a 400 problem naming the field that is wrong.
    public static func decodeJSON<T: Decodable>(as type: T.Type, from body: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder.motcua.decode(T.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw Problem.badRequest("The request body is not what this endpoint expects: \(describe(error)).")
        }
    }
}

/// What another service answered.
public struct ServiceResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    /// Decodes a 2xx JSON body, or throws the problem the service answered.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try self.succeeded()
        return try JSONDecoder.motcua.decode(T.self, from: self.body)
    }

    /// The answer when it is a 2xx, else the problem the service answered, thrown.
    @discardableResult
    public func succeeded() throws -> ServiceResponse {
        guard (200..<300).contains(self.status) else { throw self.problem }
        return self
    }

    /// The answer as a problem, passed on to our own caller when a dependency refused a request.
    /// `Retry-After` stays with it, so a caller can say how long to wait.
    public var problem: Problem {
        var problem = (try? JSONDecoder().decode(Problem.self, from: self.body))
            ?? Problem(.init(code: self.status), detail: String(decoding: self.body.prefix(300), as: UTF8.self))
        if let retryAfter = self.headers.first(where: { $0.0.lowercased() == "retry-after" })?.1 { problem.extraHeaders["Retry-After"] = retryAfter }
        return problem
    }
}

/// JSON calls between MotCua services: finds an instance, carries the request id and a service token,
/// times out, and retries an idempotent call once on another instance.
public struct ServiceClient: Sendable {
    let http: HTTPClient
    let locator: any ServiceLocator
    let verifier: TokenVerifier
    let callerName: String
    /// This service's certificate, when instances that answer over mutual TLS are called with it.
    let tls: ServiceTLS?
    public var timeout: TimeAmount = .seconds(10)

    public init(http: HTTPClient, locator: any ServiceLocator, verifier: TokenVerifier, callerName: String, tls: ServiceTLS? = nil) {
        self.http = http
        self.locator = locator
        self.verifier = verifier
        self.callerName = callerName
        self.tls = tls
    }

    /// The client and URL for one instance. Over mutual TLS the URL names the service (`https://single-window:9081`)
    /// and the client connects to the instance's address for that name, so the listener's certificate must name the
    /// service called: a certificate the service CA gave the portal does not pass for single-window, whatever the
    /// registry lists.
    func route(to instance: ServiceInstance, of service: String) throws -> (client: HTTPClient, baseURL: String) {
        guard instance.scheme == "https", let tls = self.tls else { return (self.http, instance.baseURL) }
        return (try ProcessHTTPClient.serviceClient(tls, calling: service, at: instance.address), "https://\(service):\(instance.port)")
    }

    /// Sends a request. `idempotent` defaults to true for GET, PUT and DELETE.
    public func send(
        _ method: HTTPMethod, service: String, path: String, body: Data? = nil, headers: [(String, String)] = [],
        requestID: String?, idempotent: Bool? = nil, authorization: String? = nil
    ) async throws -> ServiceResponse {
        let instances = try await self.locator.instances(of: service)
        let retryable = idempotent ?? [.GET, .PUT, .DELETE, .HEAD].contains(method)
        let token: String
        if let authorization { token = authorization } else { token = "Bearer " + (try await self.verifier.serviceToken(for: self.callerName, to: service)) }
        var lastError: (any Error)?
        for instance in instances.prefix(retryable ? 2 : 1) {
            let route: (client: HTTPClient, baseURL: String)
            do { route = try self.route(to: instance, of: service) } catch {
                lastError = error
                continue
            }
            var request = HTTPClientRequest(url: route.baseURL + path)
            request.method = method
            request.headers.add(name: "Authorization", value: token)
            request.headers.add(name: "X-Request-ID", value: requestID ?? UUID().uuidString.lowercased())
            request.headers.add(name: "Accept", value: "application/json")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body {
                // JSON unless the caller names another type (a file's bytes).
                if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { request.headers.add(name: "Content-Type", value: "application/json") }
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            do {
                let response = try await route.client.execute(request, timeout: self.timeout)
                let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
                let answer = ServiceResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                             body: Data(bytes.readableBytesView))
                // An instance that is shutting down or overloaded: another may serve an idempotent call.
                if retryable, [502, 503, 504].contains(answer.status) {
                    await self.locator.reportFailure(of: instance, service: service)
                    lastError = answer.problem
                    continue
                }
                return answer
            } catch {
                await self.locator.reportFailure(of: instance, service: service)
                lastError = error
            }
        }
        throw lastError ?? DiscoveryError.noPassingInstance(service)
    }

    /// GET and decode.
    public func get<T: Decodable>(_ type: T.Type, service: String, path: String, requestID: String?) async throws -> T {
        try await self.send(.GET, service: service, path: path, requestID: requestID).decode(T.self)
    }

    /// POST a JSON body and decode the answer.
    public func post<Body: Encodable, T: Decodable>(
        _ body: Body, as type: T.Type, service: String, path: String, requestID: String?, headers: [(String, String)] = [], idempotent: Bool = false
    ) async throws -> T {
        let data = try StreamingJSON.encode(body)
        return try await self.send(.POST, service: service, path: path, body: data, headers: headers, requestID: requestID,
                                   idempotent: idempotent).decode(T.self)
    }
}

extension JSONEncoder {
    /// camelCase keys (the Swift names), RFC 3339 times with the Vietnam offset.
    public static var motcua: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(VietnamTime.rfc3339Milliseconds(date))
        }
        return encoder
    }
}

extension JSONDecoder {
    /// Accepts RFC 3339 times with or without fractional seconds.
    public static var motcua: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = RFC3339.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an RFC 3339 time such as 2026-03-02T10:00:00+07:00")
        }
        return decoder
    }
}

/// RFC 3339 parsing, with or without fractional seconds: "2026-03-02T10:00:00.250+07:00", "2026-03-02T03:00:00Z".
/// Hand-written because it runs for every time in every JSON body, and a formatter object per call is slow.
public enum RFC3339 {
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 116, bytes[13] == 58, bytes[16] == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        // Up to nanoseconds, kept as an integer so that milliseconds come back exactly as they were written.
        var nanoseconds = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale = 100_000_000
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                nanoseconds += Int(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case 90, 122:
            guard index + 1 == bytes.count else { return nil }
        case 43, 45:
            guard index + 6 == bytes.count, bytes[index + 3] == 58, let hours = number(index + 1, 2), let minutes = number(index + 4, 2) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == 45 ? -1 : 1)
        default:
            return nil
        }
        // Days from civil (Howard Hinnant), then seconds.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        if nanoseconds % 1_000_000 == 0 {
            return Date(timeIntervalSince1970: Double(seconds * 1000 + nanoseconds / 1_000_000) / 1000)
        }
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }
}

import DomainKit

extension Response {
    /// A JSON answer as every MotCua endpoint writes it (`StreamingJSON`), with its status and, for something
    /// created, its `Location`.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, location: String? = nil) throws -> Response {
        var response = Response(status: status, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(bytes: try StreamingJSON.bytes(value))))
        if let location { response.headers[.location] = location }
        return response
    }
}

extension String {
    /// The text as one segment of a URL path (a '/' in it is escaped, and "." or ".." too, which would name the segment
    /// above), for calls to another service by code or id and for links between pages.
    public var pathSegment: String {
        if self == "." || self == ".." { return String(repeating: "%2E", count: self.count) }
        return self.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? self
    }
}
