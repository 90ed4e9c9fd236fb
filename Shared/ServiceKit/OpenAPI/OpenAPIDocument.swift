import Foundation

/// A service's OpenAPI 3.1 description, built next to its routes and served at `/openapi.json`.
public struct OpenAPIDocument: Sendable {
    public var title: String
    public var version: String
    public var summary: String
    public private(set) var operations: [Operation] = []
    public private(set) var schemas: [String: JSONValue] = [:]

    /// One method on one path.
    public struct Operation: Sendable {
        public var method: String
        public var path: String
        public var summary: String
        public var tag: String
        public var requestSchema: JSONValue?
        public var responses: [Int: (description: String, schema: JSONValue?)]
        public var requiresToken: Bool
        public var contentType: String
        /// What error answers are written in: problem+json, HTML for pages, text/plain for the registry's Consul API.
        public var errorContentType: String
    }

    public init(title: String, version: String = "1.0.0", summary: String) {
        self.title = title
        self.version = version
        self.summary = summary
        self.schemas["Problem"] = Schema.object([
            "type": Schema.string, "title": Schema.string, "status": Schema.integer, "detail": Schema.string,
            "errors": Schema.array(Schema.object(["field": Schema.string, "code": Schema.string, "vi": Schema.string, "en": Schema.string])),
        ], required: ["type", "title", "status", "detail"])
    }

    /// Adds an operation; 4xx answers are problems and need not be listed with a schema. What every such route can
    /// answer is added when not listed: 400 and 415 for a JSON body, 401 and 403 for a route that takes a token, and
    /// 500 and 503; an HTML page's errors are HTML (`errorContentType` says otherwise, as the registry's text/plain).
    public mutating func add(
        _ method: String, _ path: String, summary: String, tag: String, request: JSONValue? = nil,
        responses: [Int: (String, JSONValue?)], token: Bool = false, contentType: String = "application/json", errorContentType: String? = nil
    ) {
        var all = responses.mapValues { (description: $0.0, schema: $0.1) }
        func common(_ status: Int, _ description: String) { if all[status] == nil { all[status] = (description, nil) } }
        if request != nil {
            common(400, "The body is not what this route reads")
            if contentType == "application/json" && errorContentType == nil { common(415, "The body is not sent as application/json") }
        }
        if token {
            common(401, "No token, or one that is not valid (expired, another issuer or audience, signed with an unknown key)")
            common(403, "The token's role, agency or service may not do this")
        }
        common(500, "Something went wrong on the server's side; the answer names the request id")
        self.operations.append(Operation(method: method.lowercased(), path: path, summary: summary, tag: tag, requestSchema: request,
                                         responses: all, requiresToken: token, contentType: contentType,
                                         errorContentType: errorContentType ?? (contentType.hasPrefix("text/html") ? "text/html" : "application/problem+json")))
    }

    public mutating func addSchema(_ name: String, _ schema: JSONValue) {
        self.schemas[name] = schema
    }

    /// The document as JSON.
    public var json: JSONValue {
        var paths: [String: JSONValue] = [:]
        for operation in self.operations {
            var responses: [String: JSONValue] = [:]
            for (status, response) in operation.responses {
                let type = status >= 400 ? operation.errorContentType : operation.contentType
                let errorSchema = operation.errorContentType == "application/problem+json" ? Schema.ref("Problem") : Schema.string
                let schema = response.schema ?? (status >= 400 ? errorSchema : nil)
                var entry: [String: JSONValue] = ["description": .string(response.description)]
                if let schema { entry["content"] = .object([type: .object(["schema": schema])]) }
                responses[String(status)] = .object(entry)
            }
            var entry: [String: JSONValue] = [
                "summary": .string(operation.summary),
                "tags": .array([.string(operation.tag)]),
                "responses": .object(responses),
            ]
            if let schema = operation.requestSchema {
                entry["requestBody"] = .object(["required": .bool(true), "content": .object(["application/json": .object(["schema": schema])])])
            }
            if operation.requiresToken { entry["security"] = .array([.object(["bearer": .array([])])]) }
            let parameters = Self.pathParameters(operation.path)
            if !parameters.isEmpty {
                entry["parameters"] = .array(parameters.map {
                    .object(["name": .string($0), "in": .string("path"), "required": .bool(true), "schema": Schema.string])
                })
            }
            var item: [String: JSONValue] = [:]
            if case .object(let existing) = paths[Self.openAPIPath(operation.path)] { item = existing }
            item[operation.method] = .object(entry)
            paths[Self.openAPIPath(operation.path)] = .object(item)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string(self.title), "version": .string(self.version), "summary": .string(self.summary)]),
            "paths": .object(paths),
            "components": .object([
                "schemas": .object(self.schemas),
                "securitySchemes": .object(["bearer": .object(["type": .string("http"), "scheme": .string("bearer"), "bearerFormat": .string("JWT")])]),
            ]),
        ])
    }

    /// Hummingbird's `:id` becomes OpenAPI's `{id}`.
    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}

/// JSON Schema shorthands for OpenAPI documents.
public enum Schema {
    public static let string: JSONValue = .object(["type": .string("string")])
    public static let integer: JSONValue = .object(["type": .string("integer")])
    public static let boolean: JSONValue = .object(["type": .string("boolean")])
    public static let number: JSONValue = .object(["type": .string("number")])
    public static let dateTime: JSONValue = .object(["type": .string("string"), "format": .string("date-time")])
    public static let anyObject: JSONValue = .object(["type": .string("object")])

    public static func array(_ items: JSONValue) -> JSONValue {
        .object(["type": .string("array"), "items": items])
    }

    public static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    public static func ref(_ name: String) -> JSONValue {
        .object(["$ref": .string("#/components/schemas/\(name)")])
    }

    public static func enumeration(_ values: [String]) -> JSONValue {
        .object(["type": .string("string"), "enum": .array(values.map { .string($0) })])
    }
}
