import HTTPTypes
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// Consul's HTTP API, the subset MotCua uses, with Consul's own paths, shapes, headers and error texts,
/// so that a tool written for Consul works against the registry unchanged.
struct ConsulController {
    let store: RegistryStore
    let acl: ACLStore
    /// Consul's default and maximum blocking wait.
    static let defaultWait: Duration = .seconds(300)
    static let maximumWait: Duration = .seconds(600)

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.put("/v1/agent/service/register", use: self.registerService)
        router.put("/v1/agent/service/deregister/:id", use: self.deregisterService)
        router.put("/v1/agent/check/pass/:id") { request, context in try await self.updateCheck(request, context, status: "passing") }
        router.put("/v1/agent/check/warn/:id") { request, context in try await self.updateCheck(request, context, status: "warning") }
        router.put("/v1/agent/check/fail/:id") { request, context in try await self.updateCheck(request, context, status: "critical") }
        router.put("/v1/agent/check/update/:id", use: self.updateCheckWithBody)
        router.get("/v1/agent/services", use: self.agentServices)
        router.get("/v1/agent/checks", use: self.agentChecks)
        router.get("/v1/health/service/:name", use: self.health)
        router.get("/v1/catalog/services", use: self.catalog)
        router.get("/v1/status/leader") { _, _ in try Self.json("127.0.0.1:8300", index: nil) }

        let tag = "consul"
        let denied = "ACL not found (an unknown token), or Permission denied: the token lacks service:write on the name"
        let refused: [Int: (String, JSONValue?)] = [403: (denied, nil)]
        func add(_ method: String, _ path: String, _ summary: String, request: JSONValue? = nil, _ responses: [Int: (String, JSONValue?)]) {
            openAPI.add(method, path, summary: summary, tag: tag, request: request, responses: refused.merging(responses) { $1 }, errorContentType: "text/plain")
        }
        let badQuery: [Int: (String, JSONValue?)] = [400: ("Invalid index or wait (past its bounds, or not a number)", nil)]
        add("PUT", "/v1/agent/service/register", "Register a service instance with its checks (Consul)", request: Schema.anyObject,
            [200: ("Registered", nil), 400: ("Malformed registration, or a duration past its bounds", nil)])
        add("PUT", "/v1/agent/service/deregister/:id", "Remove a service instance", [200: ("Removed", nil), 404: ("Unknown service ID", nil)])
        for verb in ["pass", "warn", "fail"] {
            add("PUT", "/v1/agent/check/\(verb)/:id", "Set a TTL check to \(verb)", [200: ("Updated", nil), 404: ("Unknown check ID", nil)])
        }
        add("PUT", "/v1/agent/check/update/:id", "Set a TTL check's status and output", request: Schema.object(["Status": Schema.string, "Output": Schema.string]),
            [200: ("Updated", nil), 400: ("Bad status", nil), 404: ("Unknown check ID", nil)])
        add("GET", "/v1/agent/services", "Registered instances by ID (those the token may read)", [200: ("Services", Schema.anyObject)])
        add("GET", "/v1/agent/checks", "Checks by ID (those the token may read)", [200: ("Checks", Schema.anyObject)])
        add("GET", "/v1/health/service/:name", "Instances of a service with their checks; ?passing, ?tag, blocking ?index&wait",
            badQuery.merging([200: ("Entries, with X-Consul-Index", Schema.array(Schema.anyObject))]) { $1 })
        add("GET", "/v1/catalog/services", "Service names and their tags; blocking ?index&wait",
            badQuery.merging([200: ("Names to tags, with X-Consul-Index", Schema.anyObject)]) { $1 })
        add("GET", "/v1/status/leader", "The raft leader (always this registry)", [200: ("Address", Schema.string)])
    }

    @Sendable func registerService(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 1024 * 1024)
        let registration: Consul.ServiceRegistration
        do {
            let canonical = try ConsulKeys.canonicalRegistration(Data(body.readableBytesView))
            registration = try JSONDecoder().decode(Consul.ServiceRegistration.self, from: canonical)
        } catch {
            return Self.text(.badRequest, "Request decode failed: \(Self.reason(error))")
        }
        let name = (registration.Name ?? "").trimmingCharacters(in: .whitespaces)
        try await self.require(request, service: name, .write)
        do {
            try await self.store.register(registration)
        } catch {
            return Self.text(.badRequest, error.message)
        }
        return Response(status: .ok)
    }

    @Sendable func deregisterService(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let authorizer = try await self.authorizer(request)
        guard let name = await self.store.serviceName(of: id) else {
            return Self.text(.notFound, "Unknown service ID \"\(id)\". Ensure that the service ID is passed, not the service name.")
        }
        guard authorizer.allows(service: name, .write) else { throw ConsulRefusal.forbidden(authorizer.denial("service:write", on: name)) }
        guard await self.store.deregister(id) else {
            return Self.text(.notFound, "Unknown service ID \"\(id)\". Ensure that the service ID is passed, not the service name.")
        }
        return Response(status: .ok)
    }

    func updateCheck(_ request: Request, _ context: ServiceRequestContext, status: String) async throws -> Response {
        let id = try context.parameters.require("id")
        let note = request.uri.queryParameters.get("note") ?? ""
        try await self.requireCheckWrite(request, check: id)
        guard await self.store.update(check: id, status: status, output: note) else {
            return Self.unknownCheck(id)
        }
        return Response(status: .ok)
    }

    @Sendable func updateCheckWithBody(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        struct Update {
            let Status: String
            let Output: String?
        }
        let id = try context.parameters.require("id")
        let body = try await request.body.collect(upTo: 1024 * 1024)
        let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        let folded = Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let update = (folded["status"] as? String).map { Update(Status: $0, Output: folded["output"] as? String) }
        guard let update,
              ["passing", "warning", "critical"].contains(update.Status)
        else {
            return Self.text(.badRequest, "Invalid check status: must be passing, warning or critical")
        }
        try await self.requireCheckWrite(request, check: id)
        guard await self.store.update(check: id, status: update.Status, output: update.Output ?? "") else {
            return Self.unknownCheck(id)
        }
        return Response(status: .ok)
    }

    @Sendable func health(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let query = request.uri.queryParameters
        // Consul treats a bare "?passing" as true.
        let passing = query.get("passing").map { $0.isEmpty || $0 == "true" || $0 == "1" } ?? false
        let tag = query.get("tag")
        let authorizer = try await self.authorizer(request)
        let index = try await self.block(request)
        // Consul leaves out what the token may not read, and says so in a header.
        guard authorizer.allows(service: name, .read) else {
            return try Self.json([Consul.ServiceEntry](), index: index, filtered: true)
        }
        return try Self.json(await self.store.healthEntries(service: name, passingOnly: passing, tag: tag), index: index)
    }

    @Sendable func catalog(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let authorizer = try await self.authorizer(request)
        let index = try await self.block(request)
        let all = await self.store.catalogServices()
        let readable = all.filter { authorizer.allows(service: $0.key, .read) }
        return try Self.json(readable, index: index, filtered: readable.count < all.count)
    }

    @Sendable func agentServices(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let authorizer = try await self.authorizer(request)
        let all = await self.store.agentServices()
        let readable = all.filter { authorizer.allows(service: $0.value.Service, .read) }
        return try Self.json(readable, index: nil, filtered: readable.count < all.count)
    }

    @Sendable func agentChecks(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let authorizer = try await self.authorizer(request)
        let all = await self.store.agentChecks()
        let readable = all.filter { authorizer.allows(service: $0.value.ServiceName, .read) }
        return try Self.json(readable, index: nil, filtered: readable.count < all.count)
    }

    // MARK: ACLs

    /// The request's token (`X-Consul-Token`, `Authorization: Bearer`, or `?token=`, as Consul reads it) resolved.
    func authorizer(_ request: Request) async throws -> ACL.Authorizer {
        do {
            return try await self.acl.authorizer(secret: Self.secret(of: request))
        } catch {
            throw ConsulRefusal(status: .init(code: error.status), message: error.message)
        }
    }

    static func secret(of request: Request) -> String? {
        if let header = request.headers[HTTPField.Name("X-Consul-Token")!], !header.isEmpty { return header }
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        return request.uri.queryParameters.get("token")
    }

    private func require(_ request: Request, service name: String, _ access: ACLRules.Access) async throws {
        let authorizer = try await self.authorizer(request)
        guard authorizer.allows(service: name, access) else {
            throw ConsulRefusal.forbidden(authorizer.denial("service:\(access.rawValue)", on: name))
        }
    }

    /// Updating a check needs write on the service the check belongs to (an unknown check is answered 404 after).
    private func requireCheckWrite(_ request: Request, check id: String) async throws {
        let authorizer = try await self.authorizer(request)
        guard let service = await self.store.serviceName(ofCheck: id) else { return }
        guard authorizer.allows(service: service, .write) else {
            throw ConsulRefusal.forbidden(authorizer.denial("service:write", on: service))
        }
    }

    /// Waits as a Consul blocking query does when `index` is given, and returns the index to report.
    private func block(_ request: Request) async throws -> UInt64 {
        let query = request.uri.queryParameters
        if let text = query.get("index"), !text.isEmpty {
            guard let index = UInt64(text) else {
                throw ConsulRefusal(status: .badRequest, message: "Invalid index: \(text)")
            }
            var wait = Self.defaultWait
            if let waitText = query.get("wait"), !waitText.isEmpty {
                // Consul caps a wait at ten minutes; a duration Go could not hold is refused, as Consul refuses it.
                guard let seconds = Consul.parseDuration(waitText) else { throw ConsulRefusal(status: .badRequest, message: "Invalid wait time: \(waitText)") }
                wait = .milliseconds(Int(min(seconds, Double(Self.maximumWait.components.seconds)) * 1000))
            }
            // Consul adds up to wait/16 of jitter so that many watchers do not all return at once.
            let jitter = Duration.milliseconds(Int.random(in: 0...max(0, Int(wait.components.seconds * 1000 / 16))))
            await self.store.waitForChange(after: index, timeout: wait + jitter)
        }
        return await self.store.index
    }

    static func json(_ value: some Encodable, index: UInt64?, filtered: Bool = false) throws -> Response {
        let data = try JSONEncoder().encode(value)
        var headers: HTTPFields = [.contentType: "application/json"]
        if filtered { headers[HTTPField.Name("X-Consul-Results-Filtered-By-ACLs")!] = "true" }
        if let index {
            headers[HTTPField.Name("X-Consul-Index")!] = String(index)
            headers[HTTPField.Name("X-Consul-KnownLeader")!] = "true"
            headers[HTTPField.Name("X-Consul-LastContact")!] = "0"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Consul answers its errors as plain text, and Consul clients show that text to people.
    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message)))
    }

    static func unknownCheck(_ id: String) -> Response {
        self.text(.notFound, "Unknown check ID \"\(id)\". Ensure that the check ID is passed, not the check name.")
    }

    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        switch error {
        case .keyNotFound(let key, _): return "missing field \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type for field \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted: return "invalid JSON"
        @unknown default: return "invalid JSON"
        }
    }
}

/// A refusal in Consul's manner: the status and a plain-text message, which Consul clients show as it is.
struct ConsulRefusal: Error, ForeignFormatError {
    let status: HTTPResponse.Status
    let message: String

    static func forbidden(_ message: String) -> ConsulRefusal { ConsulRefusal(status: .forbidden, message: message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        ConsulController.text(self.status, self.message)
    }
}
