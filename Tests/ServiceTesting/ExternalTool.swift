import Foundation
import Synchronization

/// Runs a tool no one here wrote (openssl, zbarimg, a script) and answers its exit status and what it printed on
/// standard output (and standard error, when `errors` is set). Launches are made one at a time: Foundation's
/// `Process.run()` on Linux is not safe to call from several threads at once (the parallel test run crashed in it,
/// with the heap corrupted), while the tools themselves run side by side.
public enum ExternalTool {
    private static let launching = Mutex(())

    public static func run(_ executable: String, _ arguments: [String], errors: Bool = true) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        if errors { process.standardError = pipe }
        try Self.launching.withLock { _ in try process.run() }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
