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
    try FileManager.default.createDirectory(atPath: issuerSettings.dataDirectory, withIntermediateDirectories: true)
    try JSONEncoder().encode(issuer.jwks).write(to: file)
    settings.jwksURL = file.absoluteString
    return settings
}

/// A response body as a JSON object, for checking a few fields.
public func jsonObject(_ response: TestResponse) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
}
