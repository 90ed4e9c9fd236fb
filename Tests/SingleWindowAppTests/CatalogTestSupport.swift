import Contracts
import DomainKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import ServiceTesting
import SingleWindowApp

/// A single-window service with the demo agencies and the 44 hand-written procedures, trusting the tokens of a
/// portal key made for the test (its key set is given as a file).
func demoSingleWindow(
    size: String = "handwritten", environment: [String: String] = [:], clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> (some ApplicationProtocol, ServiceSettings) {
    let settings = try await trustingTestTokens(
        ServiceSettings.testing(name: "single-window", environment: ["DOCUMENTS_CHECKS": "off"].merging(environment) { $1 }.merging(["DEMO_DATA": size]) { $1 }))
    return (try await buildSingleWindowApplication(settings, clock: clock), settings)
}

extension TestClientProtocol {
    /// GET and decode with MotCua's JSON conventions; nil (so an expectation fails) when the status is not 200.
    func getJSON<T: Decodable>(_ uri: String, as type: T.Type) async throws -> T? {
        try await self.execute(uri: uri, method: .get) { response in
            response.status == .ok ? try? JSONDecoder.motcua.decode(T.self, from: Data(response.body.readableBytesView)) : nil
        }
    }
}
