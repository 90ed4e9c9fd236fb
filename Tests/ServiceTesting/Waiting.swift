import Foundation

/// Polls until `condition` holds, every 50 ms for up to `seconds` (a loaded CI machine is slow); whether it did.
/// Something another process or an outbox does by itself is awaited with it: `#expect(try await eventually { … })`.
public func eventually(seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
