import Crypto
import DomainKit
import Foundation
import Hummingbird

/// Retried requests that must take effect once: the client sends an `Idempotency-Key`; the service keeps the key
/// with a hash of the body, replays the first answer for the same body and refuses another body with 409.
public enum Idempotency {
    /// The hash kept with a key: SHA-256 of the body's canonical JSON (sorted keys), in hex.
    public static func hash(of body: some Encodable) throws -> String {
        Digits.hex(SHA256.hash(data: try JSONEncoder.motcua.encode(body)))
    }
}

extension Request {
    /// The `Idempotency-Key` header: nil when absent, a 400 when it is not 1-255 letters, digits, '-' (or '_' where
    /// `underscore` allows it). `required` makes a missing key a 400 too.
    public func idempotencyKey(required: Bool = false, underscore: Bool = true) throws -> String? {
        guard let key = self.headers[.idempotencyKey] else {
            if required { throw Problem.badRequest("This request needs an Idempotency-Key header, so that sending it again cannot charge twice.") }
            return nil
        }
        guard !key.isEmpty, key.count <= 255,
              key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || (underscore && $0 == "_")) }) else {
            throw Problem.badRequest("Idempotency-Key must be 1-255 letters, digits\(underscore ? ", '-' or '_'" : " or '-'").")
        }
        return key
    }
}
