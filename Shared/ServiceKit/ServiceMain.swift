import Foundation
import Hummingbird
import Logging

/// What every executable's `run()` does: logging, settings from the environment, and the application until SIGTERM/SIGINT.
/// A configuration error ends start-up with its one line on standard error and exit code 78 (EX_CONFIG).
public enum ServiceMain {
    public static func run<App: ApplicationProtocol>(
        name: String, defaultPort: Int, knownServices: [String: Int], port: Int? = nil,
        build: (ServiceSettings) async throws -> App
    ) async throws {
        ServiceLogging.bootstrap()
        var settings: ServiceSettings
        do {
            settings = try ServiceSettings.fromEnvironment(name: name, defaultPort: defaultPort, knownServices: knownServices)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(78)
        }
        if let port {
            settings.port = port
            if ProcessInfo.processInfo.environment["INSTANCE_ID"] == nil { settings.instanceID = "\(name)-\(settings.advertiseAddress)-\(port)" }
        }
        defer { LogSink.standardError.flush() }
        let app = try await build(settings)
        try await app.runService()
    }
}
