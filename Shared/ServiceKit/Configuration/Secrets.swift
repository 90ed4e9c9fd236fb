import Crypto
import Foundation

/// Secret settings (keys, tokens, passwords). In production each is set by the operator and refused when it is short, a
/// placeholder or a value from this source; on a laptop a missing one is made at first start and kept under
/// `DATA_DIR/secrets/`, so that no secret anyone can read in the source signs anything.
public enum Secrets {
    public static let minimumLength = 32
    /// Words that mark a value nobody chose: the placeholders of `docker/.env` and of documentation.
    static let placeholderMarks = ["change-me", "changeme", "change_me", "placeholder", "replace", "example", "your-", "xxxxxxxx", "00000000",
                                   "motcua-local", "test-service-secret", "sandbox", "default", "password", "secret-here"]

    /// Refuses, in production, a value an attacker could guess; says which setting and why.
    public static func check(_ key: String, _ value: String, production: Bool) throws(ConfigurationError) {
        guard production else { return }
        if let reason = self.weakness(of: value) { throw ConfigurationError.weakSecret(key, reason) }
    }

    /// Why a value is not a secret, or nil.
    public static func weakness(of value: String) -> String? {
        let lowered = value.lowercased()
        if let mark = self.placeholderMarks.first(where: { lowered.contains($0) }) { return "it is a placeholder (it contains \"\(mark)\")" }
        if value.count < self.minimumLength { return "it is \(value.count) characters long, fewer than \(self.minimumLength)" }
        if Set(value).count < 10 { return "it has only \(Set(value).count) different characters" }
        return nil
    }

    /// A new random secret: 32 bytes as 64 hex digits.
    public static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// The secret kept in `directory/name`, made at the first call. Several processes starting at once agree on one
    /// value: each writes its own file and links it into place, and a link that finds the file there already loses.
    public static func localSecret(named name: String, in directory: String) throws -> String {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("secrets")
        let file = folder.appendingPathComponent(name)
        if let text = try? String(contentsOf: file, encoding: .utf8), !text.isEmpty { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        try self.createOnce(file, contents: Data(self.random().utf8))
        return try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `contents` to `file` only if no file is there, readable by its owner only; never leaves half a file.
    public static func createOnce(_ file: URL, contents: Data) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        try contents.write(to: temporary)
        defer { unlink(temporary.path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
        if link(temporary.path, file.path) != 0, errno != EEXIST {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }
}

extension ServiceSettings {
    /// A secret setting. Set: checked (in production) and returned. Unset: in production an error when
    /// `requiredInProduction`, else nil; locally made once under `DATA_DIR/secrets/` when `generateLocally`, else nil.
    public func secret(_ key: String, generateLocally: Bool, requiredInProduction: Bool = true) throws(ConfigurationError) -> String? {
        try Self.secret(key, environment: self.environment, production: self.production, dataDirectory: self.dataDirectory,
                        generateLocally: generateLocally, requiredInProduction: requiredInProduction)
    }

    /// A secret that always has a value: set by the operator in production, made locally otherwise.
    public func secret(_ key: String) throws(ConfigurationError) -> String {
        try self.secret(key, generateLocally: true)!
    }

    static func secret(_ key: String, environment: [String: String], production: Bool, dataDirectory: String, generateLocally: Bool,
                       requiredInProduction: Bool) throws(ConfigurationError) -> String? {
        if let value = environment[key], !value.isEmpty {
            try Secrets.check(key, value, production: production)
            return value
        }
        if production {
            if requiredInProduction { throw ConfigurationError.missing(key) }
            return nil
        }
        guard generateLocally else { return nil }
        do {
            return try Secrets.localSecret(named: key.lowercased().replacingOccurrences(of: "_", with: "-"), in: dataDirectory)
        } catch {
            throw ConfigurationError.invalid("DATA_DIR", dataDirectory, "a folder this process may write (to keep \(key) made for this machine)")
        }
    }
}

extension ServiceSettings {
    /// The address of a partner's gateway (bank, SMS, post, national portal). Unset on a laptop: "" (the caller then
    /// finds the sandbox through discovery). In production it is required, and an address of the sandbox, the
    /// platform's test double, is refused: messages and payments would go nowhere real.
    public func gatewayURL(_ key: String, sandboxName: String = "sandbox") throws(ConfigurationError) -> String {
        let value = try self.value(key, default: "", requiredInProduction: true)
        guard self.production, !value.isEmpty else { return value }
        let host = URLComponents(string: value)?.host?.lowercased() ?? ""
        if host == sandboxName || host.hasPrefix(sandboxName + ".") || host.hasPrefix(sandboxName + "-") {
            throw ConfigurationError.invalid(key, value, "the partner's real gateway; the sandbox is a test double and is refused in production")
        }
        return value
    }
}
