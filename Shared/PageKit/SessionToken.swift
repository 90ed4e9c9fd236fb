import Crypto
import DomainKit
import Foundation

/// The random tokens that browser cookies carry (sessions, CSRF nonces); tables keep only their hash, so a copy of
/// a database signs no one in.
public enum SessionToken {
    /// 32 random bytes, URL-safe base64.
    public static func new() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// What a table keeps of a token: its SHA-256 in hex.
    public static func hash(_ token: String) -> String { Digits.hex(SHA256.hash(data: Data(token.utf8))) }
}

/// URL-safe base64 without padding, for tokens in cookies and JSON.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
