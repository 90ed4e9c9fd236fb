import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

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

extension ServiceMain {
    /// Runs `body` with Swift concurrency's jobs on NIO's event loops instead of Dispatch's global pool, then exits.
    /// A request then stays on the thread that read it (no wake-up of a pool thread to run the handler, and of the
    /// event loop again to write the answer). Only for a service whose handlers never block: a handler that waited
    /// on a lock or a file would stall every connection of its loop. Called from a synchronous `main`, before any
    /// task has started (NIO's condition); a process where that fails runs on the global pool as usual.
    public static func onEventLoops(_ body: @escaping @Sendable () async -> Void) -> Never {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        Task {
            await body()
            exit(0)
        }
        dispatchMain()
    }
}
