import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit

/// Consul's ACL endpoints for policies and tokens (`/v1/acl/policy`, `/v1/acl/token`), so that `consul acl` and
/// Consul's client libraries make and rotate the registry's tokens. Each needs `acl = "write"` (the management token)
/// except `token/self`, which any token may read about itself.
struct ACLController {
    let acl: ACLStore
    let consul: ConsulController

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.put("/v1/acl/policy") { request, _ in try await self.savePolicy(request, id: nil) }
        router.put("/v1/acl/policy/:id") { request, context in try await self.savePolicy(request, id: try context.parameters.require("id")) }
        self.read(router, "/v1/acl/policy/:id", missing: "ACL policy not found") { await self.acl.policy(id: $0) }
        self.read(router, "/v1/acl/policy/name/:id", missing: "ACL policy not found") { await self.acl.policy(named: $0) }
        self.list(router, "/v1/acl/policies") { await self.acl.allPolicies() }
        self.delete(router, "/v1/acl/policy/:id") { try await self.acl.deletePolicy(id: $0) }
        router.put("/v1/acl/token") { request, _ in try await self.saveToken(request, accessor: nil) }
        router.put("/v1/acl/token/:id") { request, context in try await self.saveToken(request, accessor: try context.parameters.require("id")) }
        router.get("/v1/acl/token/self") { request, _ in try await self.selfToken(request) }
        self.read(router, "/v1/acl/token/:id", missing: "ACL token not found") { await self.acl.token(accessor: $0) }
        self.list(router, "/v1/acl/tokens") { await self.acl.allTokens() }
        self.delete(router, "/v1/acl/token/:id") { try await self.acl.deleteToken(accessor: $0) }

        let tag = "consul-acl"
        let refusals: [Int: (String, JSONValue?)] = [401: ("ACL support disabled (text/plain)", nil), 403: ("ACL not found, or Permission denied (text/plain)", nil)]
        let policy = Schema.object(["ID": Schema.string, "Name": Schema.string, "Description": Schema.string, "Rules": Schema.string])
        let token = Schema.object(["AccessorID": Schema.string, "SecretID": Schema.string, "Description": Schema.string,
                                   "Policies": Schema.array(Schema.object(["ID": Schema.string, "Name": Schema.string]))])
        openAPI.add("PUT", "/v1/acl/policy", summary: "Create a policy (Consul's HCL rules: service, service_prefix, acl)", tag: tag, request: policy,
                    responses: refusals.merging([200: ("The policy", policy), 400: ("Invalid policy (text/plain)", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("PUT", "/v1/acl/policy/:id", summary: "Update a policy", tag: tag, request: policy,
                    responses: refusals.merging([200: ("The policy", policy), 400: ("Invalid policy (text/plain)", nil), 404: ("No such policy", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("GET", "/v1/acl/policy/:id", summary: "Read a policy", tag: tag, responses: refusals.merging([200: ("The policy", policy), 404: ("No such policy", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("GET", "/v1/acl/policy/name/:name", summary: "Read a policy by name", tag: tag,
                    responses: refusals.merging([200: ("The policy", policy), 404: ("No such policy", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("GET", "/v1/acl/policies", summary: "Every policy", tag: tag, responses: refusals.merging([200: ("Policies", Schema.array(policy))]) { $1 }, errorContentType: "text/plain")
        openAPI.add("DELETE", "/v1/acl/policy/:id", summary: "Delete a policy", tag: tag, responses: refusals.merging([200: ("true", Schema.boolean), 404: ("No such policy", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("PUT", "/v1/acl/token", summary: "Create a token (SecretID may be given; else one is made)", tag: tag, request: token,
                    responses: refusals.merging([200: ("The token", token), 400: ("Invalid token (text/plain)", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("PUT", "/v1/acl/token/:id", summary: "Update a token's policies or description", tag: tag, request: token,
                    responses: refusals.merging([200: ("The token", token), 400: ("Invalid token (text/plain)", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("GET", "/v1/acl/token/:id", summary: "Read a token by AccessorID; `self` reads the caller's own", tag: tag,
                    responses: refusals.merging([200: ("The token", token), 404: ("No such token", nil)]) { $1 }, errorContentType: "text/plain")
        openAPI.add("GET", "/v1/acl/tokens", summary: "Every token", tag: tag, responses: refusals.merging([200: ("Tokens", Schema.array(token))]) { $1 }, errorContentType: "text/plain")
        openAPI.add("DELETE", "/v1/acl/token/:id", summary: "Delete a token", tag: tag, responses: refusals.merging([200: ("true", Schema.boolean), 404: ("No such token", nil)]) { $1 }, errorContentType: "text/plain")
    }

    // The three shapes every policy and token route takes: read one by `:id`, list all, delete one.
    private func read<T: Encodable & Sendable>(_ router: Router<ServiceRequestContext>, _ path: RouterPath, missing: String,
                                               _ find: @escaping @Sendable (String) async -> T?) {
        router.get(path) { request, context in
            try await self.requireACL(request, .read)
            guard let found = await find(try context.parameters.require("id")) else { throw ConsulRefusal(status: .notFound, message: missing) }
            return try ConsulController.json(found, index: nil)
        }
    }

    private func list<T: Encodable & Sendable>(_ router: Router<ServiceRequestContext>, _ path: RouterPath, _ all: @escaping @Sendable () async -> [T]) {
        router.get(path) { request, _ in
            try await self.requireACL(request, .read)
            return try ConsulController.json(await all(), index: nil)
        }
    }

    private func delete(_ router: Router<ServiceRequestContext>, _ path: RouterPath, _ remove: @escaping @Sendable (String) async throws -> Void) {
        router.delete(path) { request, context in
            try await self.requireACL(request, .write)
            let id = try context.parameters.require("id")
            try await self.run { try await remove(id) }
            return try ConsulController.json(true, index: nil)
        }
    }

    private func requireEnabled() throws {
        guard self.acl.enabled else { throw ConsulRefusal(status: .unauthorized, message: "ACL support disabled") }
    }

    private func requireACL(_ request: Request, _ access: ACLRules.Access) async throws {
        try self.requireEnabled()
        let authorizer = try await self.consul.authorizer(request)
        guard authorizer.allowsACL(access) else { throw ConsulRefusal.forbidden(authorizer.denial("acl:\(access.rawValue)", on: nil)) }
    }

    private func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as ACLStore.Failure {
            throw ConsulRefusal(status: .init(code: failure.status), message: failure.message)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let body = try await request.body.collect(upTo: 256 * 1024)
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw ConsulRefusal(status: .badRequest, message: "Request decode failed: \(ConsulController.reason(error))")
        }
    }

    private func savePolicy(_ request: Request, id: String?) async throws -> Response {
        try await self.requireACL(request, .write)
        let input = try await self.decode(ACLStore.PolicyInput.self, request)
        return try ConsulController.json(try await self.run { try await self.acl.save(policy: input, id: id) }, index: nil)
    }

    private func saveToken(_ request: Request, accessor: String?) async throws -> Response {
        try await self.requireACL(request, .write)
        let input = try await self.decode(ACLStore.TokenInput.self, request)
        return try ConsulController.json(try await self.run { try await self.acl.save(token: input, accessor: accessor) }, index: nil)
    }

    /// Any token may read itself; an unknown secret is Consul's 403 "ACL not found".
    private func selfToken(_ request: Request) async throws -> Response {
        try self.requireEnabled()
        guard let token = await self.acl.token(secret: ConsulController.secret(of: request)) else { throw ConsulRefusal.forbidden("ACL not found") }
        return try ConsulController.json(token, index: nil)
    }
}
