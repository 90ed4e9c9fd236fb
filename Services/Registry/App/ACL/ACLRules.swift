/// Consul's ACL rule language, the part a service registry needs: `service` and `service_prefix` blocks (and `node`,
/// `node_prefix`, `agent`, `agent_prefix`, `key_prefix`, accepted so that policies written for Consul load), and the
/// top-level `acl = "write"` that lets a token manage tokens and policies.
///
///     service "single-window" { policy = "write" }
///     service_prefix "" { policy = "read" }
struct ACLRules: Sendable, Equatable {
    enum Access: String, Sendable, Comparable, Codable {
        case deny, read, write

        /// Consul's precedence when rules meet: deny over everything, then write over read.
        func takesPrecedence(over other: Access) -> Bool {
            switch (self, other) {
            case (.deny, _): true
            case (.write, .read): true
            default: false
            }
        }

        static func < (lhs: Access, rhs: Access) -> Bool {
            let order: [Access] = [.deny, .read, .write]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }

        func allows(_ wanted: Access) -> Bool {
            self != .deny && wanted <= self
        }
    }

    /// Exact service names and name prefixes.
    var services: [String: Access] = [:]
    var servicePrefixes: [String: Access] = [:]
    var acl: Access?

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses HCL rules as Consul writes them; the message of a failure is Consul's "Failed to parse policy" text.
    static func parse(_ text: String) throws(ParseError) -> ACLRules {
        var rules = ACLRules()
        var tokens = Tokenizer(text)
        while let word = try tokens.next() {
            guard case .word(let kind) = word else { throw ParseError(description: "Failed to parse ACL rules: expected a rule name") }
            let known = ["service", "service_prefix", "node", "node_prefix", "agent", "agent_prefix", "key", "key_prefix", "acl", "operator",
                         "event", "event_prefix", "query", "query_prefix", "session", "session_prefix", "keyring", "mesh", "peering"]
            guard known.contains(kind) else { throw ParseError(description: "Failed to parse ACL rules: unknown rule \"\(kind)\"") }
            if kind == "acl" || kind == "operator" || kind == "keyring" || kind == "mesh" || kind == "peering" {
                guard try tokens.next() == .equals, case .string(let value)? = try tokens.next() else {
                    throw ParseError(description: "Failed to parse ACL rules: \(kind) wants = \"read\" or \"write\"")
                }
                let access = try Self.access(value)
                if kind == "acl" { rules.acl = access }
                continue
            }
            guard case .string(let name)? = try tokens.next() else {
                throw ParseError(description: "Failed to parse ACL rules: \(kind) wants a quoted name (\"\" for every name)")
            }
            guard try tokens.next() == .open else { throw ParseError(description: "Failed to parse ACL rules: expected { after \(kind) \"\(name)\"") }
            var policy: Access?
            while true {
                guard let inner = try tokens.next() else { throw ParseError(description: "Failed to parse ACL rules: missing }") }
                if inner == .close { break }
                guard case .word(let key) = inner, try tokens.next() == .equals, case .string(let value)? = try tokens.next() else {
                    throw ParseError(description: "Failed to parse ACL rules: expected policy = \"read\" inside \(kind) \"\(name)\"")
                }
                // intentions, and other keys Consul knows, are accepted and have no meaning here.
                if key == "policy" { policy = try Self.access(value) }
            }
            guard let policy else { throw ParseError(description: "Failed to parse ACL rules: \(kind) \"\(name)\" has no policy") }
            switch kind {
            case "service": rules.services[name] = Self.merge(rules.services[name], policy)
            case "service_prefix": rules.servicePrefixes[name] = Self.merge(rules.servicePrefixes[name], policy)
            default: break
            }
        }
        return rules
    }

    private static func access(_ text: String) throws(ParseError) -> Access {
        // Consul's "list" is a kind of read for key prefixes; a registry has no keys.
        if text == "list" { return .read }
        guard let access = Access(rawValue: text) else {
            throw ParseError(description: "Failed to parse ACL rules: invalid policy \"\(text)\" (read, write or deny)")
        }
        return access
    }

    static func merge(_ old: Access?, _ new: Access) -> Access {
        guard let old else { return new }
        return new.takesPrecedence(over: old) ? new : old
    }

    /// The rules of several policies together, with Consul's precedence.
    static func merged(_ all: [ACLRules]) -> ACLRules {
        var result = ACLRules()
        for rules in all {
            for (name, access) in rules.services { result.services[name] = merge(result.services[name], access) }
            for (name, access) in rules.servicePrefixes { result.servicePrefixes[name] = merge(result.servicePrefixes[name], access) }
            if let acl = rules.acl { result.acl = merge(result.acl, acl) }
        }
        return result
    }

    /// What these rules say about a service: an exact rule, else the longest matching prefix; nil when none speaks.
    func access(toService name: String) -> Access? {
        if let exact = self.services[name] { return exact }
        return self.servicePrefixes.filter { name.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
    }

    private enum Token: Equatable {
        case word(String), string(String), equals, open, close
    }

    private struct Tokenizer {
        let characters: [Character]
        var position = 0

        init(_ text: String) { self.characters = Array(text) }

        mutating func next() throws(ParseError) -> Token? {
            while self.position < self.characters.count {
                let character = self.characters[self.position]
                if character.isWhitespace || character == "," || character == ";" {
                    self.position += 1
                } else if character == "#" || (character == "/" && self.peek(1) == "/") {
                    while self.position < self.characters.count, self.characters[self.position] != "\n" { self.position += 1 }
                } else {
                    break
                }
            }
            guard self.position < self.characters.count else { return nil }
            let character = self.characters[self.position]
            self.position += 1
            switch character {
            case "=": return .equals
            case "{": return .open
            case "}": return .close
            case "\"":
                var value = ""
                while self.position < self.characters.count, self.characters[self.position] != "\"" {
                    if self.characters[self.position] == "\\", self.position + 1 < self.characters.count { self.position += 1 }
                    value.append(self.characters[self.position])
                    self.position += 1
                }
                guard self.position < self.characters.count else { throw ParseError(description: "Failed to parse ACL rules: unterminated string") }
                self.position += 1
                return .string(value)
            default:
                guard character.isLetter || character == "_" else {
                    throw ParseError(description: "Failed to parse ACL rules: unexpected \"\(character)\"")
                }
                var word = String(character)
                while self.position < self.characters.count,
                      self.characters[self.position].isLetter || self.characters[self.position].isNumber || self.characters[self.position] == "_" {
                    word.append(self.characters[self.position])
                    self.position += 1
                }
                return .word(word)
            }
        }

        func peek(_ offset: Int) -> Character? {
            self.position + offset < self.characters.count ? self.characters[self.position + offset] : nil
        }
    }
}
