import Foundation
import JWTKit

/// The portal's ES256 signing key: signs access tokens and publishes the public half as a JWKS.
public struct TokenIssuer: Sendable {
    public static let issuer = "motcua-portal"
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
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pem = ES256PrivateKey().pemRepresentation
        // Written to a temporary name and renamed, so a crash never leaves half a key that later starts would read.
        let temporary = directory.appendingPathComponent("jwt-es256.pem.\(UUID().uuidString)")
        try Data(pem.utf8).write(to: temporary)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
        if rename(temporary.path, file.path) != 0 {
            throw CocoaError(.fileWriteUnknown)
        }
        // Another process may have won the race; everyone uses the file that is there now.
        return try await TokenIssuer(privateKeyPEM: String(contentsOf: file, encoding: .utf8))
    }

    /// A signed access token for the identity.
    public func token(for identity: Identity, lifetime: TimeInterval = 15 * 60, now: Date = Date()) async throws -> String {
        try await self.keys.sign(AccessClaims(identity: identity, issuer: Self.issuer, issuedAt: now, lifetime: lifetime),
                                 kid: JWKIdentifier(string: self.keyID))
    }

    /// The public key set served at `/.well-known/jwks.json`.
    public var jwks: JWKSDocument {
        let parameters = self.key.publicKey.parameters!
        return JWKSDocument(keys: [.init(kty: "EC", crv: "P-256", x: parameters.x, y: parameters.y, kid: self.keyID, alg: "ES256", use: "sig")])
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
}
