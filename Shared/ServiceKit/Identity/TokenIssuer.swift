import Foundation
import JWTKit

/// The portal's ES256 signing key: signs access tokens and publishes the public half as a JWKS.
public struct TokenIssuer: Sendable {
    public static let issuer = "motcua-portal"
    /// The service that holds the key (its registry name and the name in its service certificate).
    public static let serviceName = "portal"
    /// The audience of the portal's tokens: every MotCua service.
    public static let audience = "motcua"
    private let key: ES256PrivateKey
    public let keyID: String
    private let keys: JWTKeyCollection

    public init(privateKeyPEM: String) async throws {
        self.key = try ES256PrivateKey(pem: privateKeyPEM)
        // The key id is derived from the public key, so every replica sharing the key names it the same.
        let parameters = self.key.parameters!
        self.keyID = String(Self.fingerprint(parameters.x + parameters.y).prefix(16))
        self.keys = JWTKeyCollection()
        await self.keys.add(ecdsa: self.key, kid: JWKIdentifier(string: self.keyID))
    }

    /// Loads the key from `JWT_PRIVATE_KEY_PEM`, else from `<dataDirectory>/keys/jwt-es256.pem`, creating it on first start.
    public static func loadOrCreate(settings: ServiceSettings) async throws -> TokenIssuer {
        if let pem = settings.environment["JWT_PRIVATE_KEY_PEM"], !pem.isEmpty {
            return try await TokenIssuer(privateKeyPEM: pem)
        }
        let directory = URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("keys")
        let file = directory.appendingPathComponent("jwt-es256.pem")
        if let pem = try? String(contentsOf: file, encoding: .utf8) {
            return try await TokenIssuer(privateKeyPEM: pem)
        }
        // Linked into place only if no key is there (never half a key, never one replaced under a replica that read it):
        // of portals starting together the first wins, and everyone uses the file that is there now.
        try Secrets.createOnce(file, contents: Data(ES256PrivateKey().pemRepresentation.utf8))
        return try await TokenIssuer(privateKeyPEM: String(contentsOf: file, encoding: .utf8))
    }

    /// A signed access token for the identity.
    public func token(for identity: Identity, lifetime: TimeInterval = 15 * 60, now: Date = Date()) async throws -> String {
        try await self.keys.sign(AccessClaims(identity: identity, issuer: Self.issuer, audience: Self.audience, issuedAt: now, lifetime: lifetime),
                                 kid: JWKIdentifier(string: self.keyID))
    }

    /// The public key set served at `/.well-known/jwks.json`.
    public var jwks: JWKSDocument {
        let parameters = self.key.publicKey.parameters!
        return JWKSDocument(keys: [.init(kty: "EC", crv: "P-256", x: parameters.x, y: parameters.y, kid: self.keyID, alg: "ES256", use: "sig")])
    }

    /// Writes the public key set to `file` (a temporary file renamed into place), for verifiers that read it there.
    public func publish(to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(self.jwks).write(to: file, options: [.atomic])
    }

    static func fingerprint(_ text: String) -> String {
        // FNV-1a is enough for a key label; the key itself is what is verified.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}

/// A JSON Web Key Set in the shape RFC 7517 gives it.
public struct JWKSDocument: Codable, Sendable, Equatable {
    public struct Key: Codable, Sendable, Equatable {
        public var kty: String
        public var crv: String
        public var x: String
        public var y: String
        public var kid: String
        public var alg: String
        public var use: String
    }

    public var keys: [Key]

    /// Where the portal on this machine publishes its key set inside the data directory it shares with the services.
    public static func localFile(dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("keys").appendingPathComponent("jwks.json")
    }

    /// The key set a service trusts: `JWKS_URL` (https, http inside a private network, or file://), else the local
    /// portal's file; in production `JWKS_URL` is required. Never a portal found through discovery, which anyone who
    /// can register an instance could impersonate.
    public static func source(_ settings: ServiceSettings) throws(ConfigurationError) -> URL {
        guard let text = settings.jwksURL, !text.isEmpty else {
            if settings.production { throw ConfigurationError.missing("JWKS_URL") }
            return self.localFile(dataDirectory: settings.dataDirectory)
        }
        guard let url = URL(string: text), ["https", "http", "file"].contains(url.scheme?.lowercased() ?? "") else {
            throw ConfigurationError.invalid("JWKS_URL", text, "an https://, http:// or file:// address of the portal's key set")
        }
        return url
    }

    /// The key set's address answered something other than 200.
    public struct FetchError: Error, CustomStringConvertible {
        public let url: String
        public let status: Int
        public var description: String { "\(self.url) answered \(self.status)" }
    }
}
