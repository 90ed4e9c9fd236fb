import Crypto
import DomainKit
import Foundation

/// Keyed hashes for what partners send back to us unsigned (an SMS gateway's delivery report carries only what we
/// put in its callback URL), and for the partners' own signing schemes.
public enum MessageAuthentication {
    /// Lower-case hex HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256(_ message: String, key: String) -> String {
        SHA256Signer(key: key).hex(message)
    }

    /// HMAC-SHA256 under one key, the key prepared once (for signatures made on every message).
    public struct SHA256Signer: Sendable {
        private let key: SymmetricKey

        public init(key: String) {
            self.key = SymmetricKey(data: Data(key.utf8))
        }

        /// Lower-case hex HMAC-SHA256 of `message`.
        public func hex(_ message: String) -> String {
            Digits.hex(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: self.key))
        }
    }

    /// Lower-case hex HMAC-SHA512 of `message` under `key`: the bank gateway's signature (VNPay 2.1.0).
    public static func hmacSHA512(_ message: String, key: String) -> String {
        Digits.hex(HMAC<SHA512>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8))))
    }

    /// Compares two signatures in time that does not depend on where they first differ.
    public static func same(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
