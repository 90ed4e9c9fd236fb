import HTTPTypes
import DomainKit
import Foundation
import Hummingbird

/// An RFC 9457 problem: every error a MotCua service answers with.
public struct Problem: Error, HTTPResponseError, Codable, Sendable, CustomStringConvertible {
    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String
    /// Field errors, each with a message in Vietnamese and English.
    public var errors: [FieldIssue]?
    /// Headers such as Retry-After; not part of the body.
    public var extraHeaders: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case type, title, detail, errors
        case statusCode = "status"
    }

    public init(_ status: HTTPResponse.Status, type: String? = nil, title: String? = nil, detail: String, errors: [FieldIssue]? = nil) {
        self.statusCode = status.code
        self.type = type ?? "https://motcua.gov.vn/problems/\(status.code)"
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
    }

    public var status: HTTPResponse.Status { .init(code: self.statusCode) }

    /// A refusal that asking again will not change: a 4xx other than 401 (a token to renew), 408 and 429 (later).
    /// Work done in the background records these and moves on; it waits and retries the others.
    public var isFinalRefusal: Bool { (400..<500).contains(self.statusCode) && ![401, 408, 429].contains(self.statusCode) }

    public var description: String { "\(self.statusCode) \(self.title): \(self.detail)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8"]
        for (name, value) in self.extraHeaders {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(self))))
    }

    // The problems every service raises, named so that call sites read as sentences.
    public static func badRequest(_ detail: String, errors: [FieldIssue]? = nil) -> Problem {
        Problem(.badRequest, detail: detail, errors: errors)
    }

    public static func validation(_ errors: [FieldIssue]) -> Problem {
        let fields = errors.map(\.field).joined(separator: ", ")
        return Problem(.unprocessableContent, type: "https://motcua.gov.vn/problems/validation", title: "Invalid input",
                       detail: "Check these fields: \(fields).", errors: errors)
    }

    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, detail: detail) }
    public static func conflict(_ detail: String) -> Problem { Problem(.conflict, detail: detail) }
    public static func unauthorized(_ detail: String) -> Problem {
        var problem = Problem(.unauthorized, detail: detail)
        problem.extraHeaders["WWW-Authenticate"] = "Bearer"
        return problem
    }
    public static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, detail: detail) }
    public static func unavailable(_ detail: String) -> Problem { Problem(.serviceUnavailable, detail: detail) }
    /// 429, with `Retry-After` in seconds.
    public static func tooManyRequests(_ detail: String, retryAfter seconds: Int) -> Problem {
        var problem = Problem(.tooManyRequests, detail: detail)
        problem.extraHeaders["Retry-After"] = String(seconds)
        return problem
    }
}

/// An error answered in the format of an API the service imitates rather than as problem+json: the registry speaks
/// Consul's API, whose clients read its refusals as text/plain ("Permission denied: ...", "ACL not found").
public protocol ForeignFormatError: HTTPResponseError {}

extension Problem {
    /// The problem that answers an error a handler threw: a `Problem` as it is, framework and decoding errors in
    /// words a client can act on, and anything else logged and answered as a 500 that names the request id only.
    static func answering(_ error: any Error, context: ServiceRequestContext) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError:
            let detail = error.body ?? (error.status == .notFound ? "There is nothing at this address." : error.status.reasonPhrase)
            return Problem(error.status, detail: detail)
        case let error as DecodingError:
            return .badRequest("The request body is not what this endpoint expects: \(describe(error)).")
        case let error as FieldIssue:
            return .validation([error])
        case let error as any HTTPResponseError:
            return Problem(error.status, detail: error.status.reasonPhrase)
        default:
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(.internalServerError, detail: "Something went wrong on our side; quote request id \(context.requestID) to the operators.")
        }
    }
}

/// A decoding error in words a client developer can act on.
func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "the body" : "'" + keys.joined(separator: ".") + "'"
    }
    switch error {
    case .keyNotFound(let key, let context):
        let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
        return "the field '\(key.stringValue)' is missing\(parent)"
    case .typeMismatch(let type, let context):
        return "\(path(context)) should be \(type)"
    case .valueNotFound(let type, let context):
        return "\(path(context)) is null but should be \(type)"
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty ? "it is not valid JSON" : "\(path(context)) is invalid: \(context.debugDescription)"
    @unknown default:
        return "it could not be read"
    }
}

extension HTTPResponse.Status {
    /// 423 (RFC 4918): what a code check answers once wrong codes have locked it.
    public static let locked = HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
}
