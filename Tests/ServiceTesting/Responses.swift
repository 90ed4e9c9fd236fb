import Foundation
import HummingbirdTesting
import ServiceKit

/// The problem+json body of an error response, or nil when the body is not one.
public func problemOf(_ response: TestResponse) -> Problem? {
    try? JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView))
}

/// The settings of a service under test that trusts the tokens of a portal key made for the test: the key set is
/// written to a file and given as `JWKS_URL`. Tokens come from `TokenIssuer.loadOrCreate(settings:)`.
public func trustingTestTokens(_ settings: ServiceSettings) async throws -> ServiceSettings {
    try await trusting(settings, tokensOf: settings)
}

/// The settings of a service under test that trusts the tokens of the issuer whose key lives in `issuerSettings`'s
/// data directory (a portal under test, say): that key set is written to a file and given as `JWKS_URL`.
public func trusting(_ settings: ServiceSettings, tokensOf issuerSettings: ServiceSettings) async throws -> ServiceSettings {
    var settings = settings
    let issuer = try await TokenIssuer.loadOrCreate(settings: issuerSettings)
    let file = URL(fileURLWithPath: issuerSettings.dataDirectory).appendingPathComponent("jwks.json")
    // Written whole or not at all: each service of a platform under test calls this while those started before it may
    // be reading the file, and a half-written key set read then leaves them trusting nothing (a 401 for every token).
    try issuer.publish(to: file)
    settings.jwksURL = file.absoluteString
    return settings
}

/// A response body as a JSON object, for checking a few fields.
public func jsonObject(_ response: TestResponse) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
}

/// The secret an otpauth:// URL carries (base32), as the authenticator app reads it.
public func authenticatorSecret(_ url: String) -> String? {
    guard let encoded = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "secret" })?.value else { return nil }
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    var bits = 0, value = 0
    var bytes: [UInt8] = []
    for character in encoded.uppercased() where character != "=" {
        guard let index = alphabet.firstIndex(of: character) else { return nil }
        value = (value << 5) | index
        bits += 5
        if bits >= 8 {
            bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
            bits -= 8
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
