import Foundation
import HummingbirdTesting
import ServiceKit

/// The problem+json body of an error response, or nil when the body is not one.
public func problemOf(_ response: TestResponse) -> Problem? {
    try? JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView))
}
