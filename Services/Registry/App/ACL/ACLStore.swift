import Crypto
import Foundation
import ServiceKit

/// Consul's ACL objects, key for key, as the `/v1/acl/*` endpoints read and write them.
enum ACL {
    struct Policy: Codable, Sendable, Equatable {
        var ID: String
        var Name: String
        var Description: String
        var Rules: String
        var CreateIndex: UInt64
        var ModifyIndex: UInt64
    }

    struct PolicyLink: Codable, Sendable, Equatable {
        var ID: String?
        var Name: String?
    }

    struct Token: Codable, Sendable, Equatable {
        var AccessorID: String
        var SecretID: String
        var Description: String
        var Policies: [PolicyLink]
        var Local: Bool
        var CreateTime: String
        var CreateIndex: UInt64
        var ModifyIndex: UInt64
    }

    /// What a token may do, resolved from its policies.
    struct Authorizer: Sendable {
        /// nil for the anonymous token (a request without a token).
        let accessorID: String?
        let management: Bool
        let rules: ACLRules
        let defaultAllow: Bool

        static let allowAll = Authorizer(accessorID: nil, management: true, rules: ACLRules(), defaultAllow: true)

        func allows(service name: String, _ access: ACLRules.Access) -> Bool {
            if self.management { return true }
            guard let granted = self.rules.access(toService: name) else { return self.defaultAllow }
            return granted.allows(access)
        }

        func allowsACL(_ access: ACLRules.Access) -> Bool {
            if self.management { return true }
            guard let granted = self.rules.acl else { return false }
            return granted.allows(access)
        }

        /// Consul's refusal text, which Consul clients show as it is.
        func denial(_ permission: String, on resource: String?) -> String {
            let target = resource.map { " on \"\($0)\"" } ?? ""
            guard let accessorID else {
                return "Permission denied: anonymous token lacks permission '\(permission)'\(target). The anonymous token is used implicitly "
                    + "when a request does not specify a token."
            }
            return "Permission denied: token with AccessorID '\(accessorID)' lacks permission '\(permission)'\(target)"
        }
    }

    static let managementPolicyID = "00000000-0000-0000-0000-000000000001"
    static let anonymousAccessorID = "00000000-0000-0000-0000-000000000002"
}

/// The registry's tokens and policies. ACLs are on when a management token is set (`REGISTRY_ACL_MANAGEMENT_TOKEN`,
/// Consul's `acl.tokens.initial_management`); then a request without a token is the anonymous token, which may do
/// nothing unless `REGISTRY_ACL_DEFAULT_POLICY=allow` or a policy is given to it. Tokens the settings name (each
/// service's, the read-only one) are made at every start; tokens and policies made through the API are kept in
/// `REGISTRY_ACL_FILE`, written before the request is answered.
actor ACLStore {
    struct Failure: Error {
        let status: Int
        let message: String
    }

    nonisolated let enabled: Bool
    private let defaultAllow: Bool
    private let file: URL?
    private var policies: [String: ACL.Policy] = [:] {
        didSet { self.resolve() }
    }
    private var tokens: [String: ACL.Token] = [:] {
        didSet { self.resolve() }
    }
    /// Derived from `policies` and `tokens` at every change (which is rare), so that a request (every look-up of every
    /// service) costs two dictionary reads rather than a scan of the tokens and a parse of each policy's rules.
    private var accessors: [String: String] = [:]
    private var authorizers: [String: ACL.Authorizer] = [:]

    private func resolve() {
        (self.accessors, self.authorizers) = Self.resolved(tokens: self.tokens, policies: self.policies, defaultAllow: self.defaultAllow)
    }

    private static func resolved(tokens: [String: ACL.Token], policies: [String: ACL.Policy], defaultAllow: Bool)
        -> (accessors: [String: String], authorizers: [String: ACL.Authorizer]) {
        let accessors = Dictionary(tokens.values.filter { $0.AccessorID != ACL.anonymousAccessorID }.map { ($0.SecretID, $0.AccessorID) }) { a, _ in a }
        let rules = policies.compactMapValues { try? ACLRules.parse($0.Rules) }
        let authorizers = tokens.mapValues { token in
            let ids = token.Policies.compactMap { link in link.ID ?? policies.values.first { $0.Name == link.Name }?.ID }
            return ACL.Authorizer(accessorID: token.AccessorID == ACL.anonymousAccessorID ? nil : token.AccessorID,
                                  management: ids.contains(ACL.managementPolicyID), rules: ACLRules.merged(ids.compactMap { rules[$0] }),
                                  defaultAllow: defaultAllow)
        }
        return (accessors, authorizers)
    }
    /// Tokens from the settings (not written to the file, not changed through the API), by accessor id.
    private var configured: Set<String> = []
    private var index: UInt64 = 1

    struct Stored: Codable {
        var Policies: [ACL.Policy]
        var Tokens: [ACL.Token]
    }

    /// ACLs off: every request is allowed (a laptop without tokens, and most unit tests).
    init() {
        self.enabled = false
        self.defaultAllow = true
        self.file = nil
    }

    init(settings: ServiceSettings) throws(ConfigurationError) {
        let management = try settings.secret("REGISTRY_ACL_MANAGEMENT_TOKEN", generateLocally: false)
        let policy = try settings.value("REGISTRY_ACL_DEFAULT_POLICY", default: "deny")
        guard ["allow", "deny"].contains(policy) else { throw ConfigurationError.invalid("REGISTRY_ACL_DEFAULT_POLICY", policy, "allow or deny") }
        self.enabled = management != nil
        self.defaultAllow = policy == "allow"
        let path = try settings.value("REGISTRY_ACL_FILE", default: "\(settings.dataDirectory)/registry-acl.json")
        self.file = URL(fileURLWithPath: path)
        guard let management else { return }
        var book = Book()
        if let data = try? Data(contentsOf: URL(fileURLWithPath: path)) {
            guard let stored = try? JSONDecoder().decode(Stored.self, from: data) else {
                throw ConfigurationError.invalid("REGISTRY_ACL_FILE", path, "a file this registry wrote (it does not read as tokens and policies)")
            }
            for policy in stored.Policies { book.policies[policy.ID] = policy }
            for token in stored.Tokens { book.tokens[token.AccessorID] = token }
            book.index = (stored.Policies.map(\.ModifyIndex) + stored.Tokens.map(\.ModifyIndex)).max() ?? 1
        }
        book.policies[ACL.managementPolicyID] = ACL.Policy(ID: ACL.managementPolicyID, Name: "global-management",
                                                           Description: "Builtin Policy that grants unlimited access", Rules: "", CreateIndex: 1, ModifyIndex: 1)
        if book.tokens[ACL.anonymousAccessorID] == nil {
            book.tokens[ACL.anonymousAccessorID] = Self.token(accessor: ACL.anonymousAccessorID, secret: "anonymous", description: "Anonymous Token",
                                                              policies: [], index: 1)
        }
        book.configure(name: "initial-management", secret: management, description: "Initial Management Token (REGISTRY_ACL_MANAGEMENT_TOKEN)",
                       rules: nil)
        // REGISTRY_ACL_SERVICE_TOKENS="portal=<secret>,single-window=<secret>": each may register its own name and read every other.
        let serviceTokens = try settings.value("REGISTRY_ACL_SERVICE_TOKENS", default: "")
        for entry in serviceTokens.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ConfigurationError.invalid("REGISTRY_ACL_SERVICE_TOKENS", entry, "service=token pairs separated by commas")
            }
            try Secrets.check("REGISTRY_ACL_SERVICE_TOKENS (\(parts[0]))", parts[1], production: settings.production)
            book.configure(name: "service-\(parts[0])", secret: parts[1], description: "Service token for \(parts[0])",
                           rules: "service \"\(parts[0])\" { policy = \"write\" }\nservice_prefix \"\" { policy = \"read\" }\nnode_prefix \"\" { policy = \"read\" }")
        }
        if let read = try settings.secret("REGISTRY_ACL_READ_TOKEN", generateLocally: false, requiredInProduction: false) {
            book.configure(name: "read-only", secret: read, description: "Read-only token (REGISTRY_ACL_READ_TOKEN): status pages, operators",
                           rules: "service_prefix \"\" { policy = \"read\" }\nnode_prefix \"\" { policy = \"read\" }")
        }
        self.policies = book.policies
        self.tokens = book.tokens
        // Observers do not run in an initialiser.
        (self.accessors, self.authorizers) = Self.resolved(tokens: book.tokens, policies: book.policies, defaultAllow: self.defaultAllow)
        self.configured = book.configured
        self.index = book.index
    }

    /// What the settings and the file hold, gathered before the store starts.
    private struct Book {
        var policies: [String: ACL.Policy] = [:]
        var tokens: [String: ACL.Token] = [:]
        var configured: Set<String> = []
        var index: UInt64 = 1

        mutating func configure(name: String, secret: String, description: String, rules: String?) {
            let accessor = ACLStore.uuid(from: "accessor:" + name)
            var links = [ACL.PolicyLink(ID: ACL.managementPolicyID, Name: "global-management")]
            if let rules {
                let id = ACLStore.uuid(from: "policy:" + name)
                self.policies[id] = ACL.Policy(ID: id, Name: name, Description: description, Rules: rules, CreateIndex: 1, ModifyIndex: 1)
                links = [ACL.PolicyLink(ID: id, Name: name)]
            }
            self.tokens[accessor] = ACLStore.token(accessor: accessor, secret: secret, description: description, policies: links, index: 1)
            self.configured.insert(accessor)
        }
    }

    private static func token(accessor: String, secret: String, description: String, policies: [ACL.PolicyLink], index: UInt64) -> ACL.Token {
        ACL.Token(AccessorID: accessor, SecretID: secret, Description: description, Policies: policies, Local: false,
                  CreateTime: ISO8601DateFormatter().string(from: Date()), CreateIndex: index, ModifyIndex: index)
    }

    /// A UUID-shaped id that is the same at every start for the same name.
    static func uuid(from name: String) -> String {
        let hex = SHA256.hash(data: Data(("motcua-registry-acl:" + name).utf8)).map { String(format: "%02x", $0) }.joined()
        let characters = Array(hex.prefix(32))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    // MARK: Resolving

    /// The authorizer for a request's secret (nil or empty: the anonymous token). Consul's 403 "ACL not found" for a
    /// secret no token has.
    func authorizer(secret: String?) throws(Failure) -> ACL.Authorizer {
        guard self.enabled else { return .allowAll }
        guard let accessor = self.accessor(secret: secret), let authorizer = self.authorizers[accessor] else {
            throw Failure(status: 403, message: "ACL not found")
        }
        return authorizer
    }

    /// The token a request's secret names (nil or empty: the anonymous token); nil for a secret no token has.
    func token(secret: String?) -> ACL.Token? {
        self.accessor(secret: secret).flatMap { self.tokens[$0] }
    }

    private func accessor(secret: String?) -> String? {
        guard let secret, !secret.isEmpty else { return ACL.anonymousAccessorID }
        return self.accessors[secret]
    }

    // MARK: Policies

    func allPolicies() -> [ACL.Policy] { self.policies.values.sorted { $0.Name < $1.Name } }

    func policy(id: String) -> ACL.Policy? { self.policies[id] }

    func policy(named name: String) -> ACL.Policy? { self.policies.values.first { $0.Name == name } }

    struct PolicyInput: Decodable {
        var ID: String?
        var Name: String?
        var Description: String?
        var Rules: String?
    }

    func save(policy input: PolicyInput, id: String?) throws(Failure) -> ACL.Policy {
        let name = (input.Name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 128, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw Failure(status: 400, message: "Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed")
        }
        let rules = input.Rules ?? ""
        do { _ = try ACLRules.parse(rules) } catch { throw Failure(status: 400, message: "Invalid Policy: \(error.description)") }
        if let other = self.policy(named: name), other.ID != id { throw Failure(status: 400, message: "Invalid Policy: A Policy with Name \"\(name)\" already exists") }
        let existing = id.flatMap { self.policies[$0] }
        if id != nil, existing == nil { throw Failure(status: 404, message: "Cannot find policy \(id!)") }
        if id == ACL.managementPolicyID || self.configuredPolicyIDs.contains(id ?? "") {
            throw Failure(status: 400, message: "Invalid Policy: this policy is set by the registry's settings and cannot be changed here")
        }
        self.index += 1
        let policy = ACL.Policy(ID: id ?? UUID().uuidString.lowercased(), Name: name, Description: input.Description ?? "", Rules: rules,
                                CreateIndex: existing?.CreateIndex ?? self.index, ModifyIndex: self.index)
        let before = self.policies[policy.ID]
        self.policies[policy.ID] = policy
        do { try self.persist() } catch {
            self.policies[policy.ID] = before
            throw error
        }
        return policy
    }

    func deletePolicy(id: String) throws(Failure) {
        guard let policy = self.policies[id] else { throw Failure(status: 404, message: "Cannot find policy \(id)") }
        guard id != ACL.managementPolicyID, !self.configuredPolicyIDs.contains(id) else {
            throw Failure(status: 400, message: "Invalid Policy: this policy is set by the registry's settings and cannot be deleted")
        }
        self.policies[id] = nil
        do { try self.persist() } catch {
            self.policies[id] = policy
            throw error
        }
    }

    private var configuredPolicyIDs: Set<String> {
        Set(self.configured.compactMap { self.tokens[$0] }.flatMap { $0.Policies.compactMap(\.ID) }).subtracting([ACL.managementPolicyID])
    }

    // MARK: Tokens

    func allTokens() -> [ACL.Token] { self.tokens.values.sorted { $0.CreateIndex < $1.CreateIndex } }

    func token(accessor: String) -> ACL.Token? { self.tokens[accessor] }

    struct TokenInput: Decodable {
        var AccessorID: String?
        var SecretID: String?
        var Description: String?
        var Policies: [ACL.PolicyLink]?
    }

    func save(token input: TokenInput, accessor: String?) throws(Failure) -> ACL.Token {
        let accessor = accessor ?? input.AccessorID ?? UUID().uuidString.lowercased()
        if self.configured.contains(accessor) {
            throw Failure(status: 400, message: "Invalid Token: this token is set by the registry's settings and cannot be changed here")
        }
        let existing = self.tokens[accessor]
        if let secret = input.SecretID, let existing, existing.SecretID != secret {
            throw Failure(status: 400, message: "Invalid Token: SecretID cannot be modified")
        }
        let secret = existing?.SecretID ?? input.SecretID ?? UUID().uuidString.lowercased()
        guard secret.count >= 16 || accessor == ACL.anonymousAccessorID else {
            throw Failure(status: 400, message: "Invalid Token: SecretID is too short (at least 16 characters)")
        }
        if self.tokens.values.contains(where: { $0.SecretID == secret && $0.AccessorID != accessor }) {
            throw Failure(status: 400, message: "Invalid Token: SecretID is already in use")
        }
        var links: [ACL.PolicyLink] = []
        for link in input.Policies ?? existing?.Policies ?? [] {
            guard let policy = link.ID.flatMap({ self.policies[$0] }) ?? link.Name.flatMap({ self.policy(named: $0) }) else {
                throw Failure(status: 400, message: "Invalid Token: No such ACL policy with \(link.ID.map { "ID \"\($0)\"" } ?? "name \"\(link.Name ?? "")\"")")
            }
            links.append(ACL.PolicyLink(ID: policy.ID, Name: policy.Name))
        }
        self.index += 1
        var token = Self.token(accessor: accessor, secret: secret, description: input.Description ?? existing?.Description ?? "", policies: links,
                               index: self.index)
        if let existing { token.CreateIndex = existing.CreateIndex; token.CreateTime = existing.CreateTime }
        self.tokens[accessor] = token
        do { try self.persist() } catch {
            self.tokens[accessor] = existing
            throw error
        }
        return token
    }

    func deleteToken(accessor: String) throws(Failure) {
        guard let token = self.tokens[accessor] else { throw Failure(status: 404, message: "Cannot find token to delete") }
        guard !self.configured.contains(accessor), accessor != ACL.anonymousAccessorID else {
            throw Failure(status: 400, message: "Cannot delete a token the registry's settings make, or the anonymous token")
        }
        self.tokens[accessor] = nil
        do { try self.persist() } catch {
            self.tokens[accessor] = token
            throw error
        }
    }

    /// Writes the API-made tokens and policies (a temporary file renamed over the old one), before the change is answered.
    private func persist() throws(Failure) {
        guard let file else { return }
        let configuredPolicies = self.configuredPolicyIDs.union([ACL.managementPolicyID])
        let stored = Stored(Policies: self.policies.values.filter { !configuredPolicies.contains($0.ID) }.sorted { $0.CreateIndex < $1.CreateIndex },
                            Tokens: self.tokens.values.filter { !self.configured.contains($0.AccessorID) }.sorted { $0.CreateIndex < $1.CreateIndex })
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(stored).write(to: file, options: [.atomic])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            throw Failure(status: 500, message: "The ACL change could not be written to \(file.path): \(error.localizedDescription)")
        }
    }
}
