import Crypto
import Foundation

/// Private keys at rest: sealed with AES-GCM under a key derived from the master key in the environment
/// (`PKI_MASTER_KEY`), so a copy of the database alone signs nothing.
struct KeyVault: Sendable {
    private let key: SymmetricKey

    init(masterKey: String) {
        self.key = SymmetricKey(data: SHA256.hash(data: Data(("motcua-pki-v1:" + masterKey).utf8)))
    }

    func seal(_ privateKey: P256.Signing.PrivateKey) throws -> String {
        try self.seal(privateKey.rawRepresentation)
    }

    func open(_ sealed: String) throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(rawRepresentation: self.openData(sealed))
    }

    /// Any secret (a one-time-code seed too), sealed as base64.
    func seal(_ secret: Data) throws -> String {
        guard let combined = try AES.GCM.seal(secret, using: self.key).combined else { throw VaultError.unsealable }
        return combined.base64EncodedString()
    }

    func openData(_ sealed: String) throws -> Data {
        guard let data = Data(base64Encoded: sealed) else { throw VaultError.unreadable }
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: self.key)
        } catch {
            throw VaultError.wrongMasterKey
        }
    }

    enum VaultError: Error, CustomStringConvertible {
        case unsealable, unreadable, wrongMasterKey

        var description: String {
            switch self {
            case .unsealable: "a private key could not be sealed"
            case .unreadable: "a sealed private key is not base64"
            case .wrongMasterKey: "a private key does not open with PKI_MASTER_KEY: the master key is not the one the keys were sealed with"
            }
        }
    }
}
