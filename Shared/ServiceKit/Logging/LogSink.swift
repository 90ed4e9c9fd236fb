import Dispatch
import Foundation
import Synchronization

/// Log lines on their way to a file descriptor (standard error): a caller appends its line and returns; one queue
/// writes whatever has gathered with a single `write(2)`, so request threads never wait on the pipe or file behind it.
/// A crash can lose the last lines not yet written (at most `gatherMilliseconds`' worth); `flush()` at exit writes the rest.
public final class LogSink: Sendable {
    public static let standardError = LogSink(fileDescriptor: 2)

    private struct State {
        var buffer: [UInt8] = []
        var scheduled = false
        var dropped = 0
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "motcua.log-sink")
    private let descriptor: Int32
    /// Past this many unwritten bytes (the reader stopped reading) new lines are counted and dropped, not queued.
    private let limit: Int

    public init(fileDescriptor: Int32, limit: Int = 16 << 20) {
        self.descriptor = fileDescriptor
        self.limit = limit
    }

    /// How long lines gather before they are written.
    static let gatherMilliseconds = 20

    public func write(_ line: String) {
        let schedule = self.state.withLock { state -> Bool in
            guard state.buffer.count < self.limit else {
                state.dropped += 1
                return false
            }
            state.buffer.append(contentsOf: line.utf8)
            if state.scheduled { return false }
            state.scheduled = true
            return true
        }
        // Lines gather for a moment before one write takes them all: waking the writer for every line would cost
        // a thread switch per request, more than formatting the line.
        if schedule { self.queue.asyncAfter(deadline: .now() + .milliseconds(Self.gatherMilliseconds)) { self.drain() } }
    }

    /// Returns once every line written before the call is out.
    public func flush() {
        self.queue.sync { self.drain() }
    }

    private func drain() {
        let (bytes, dropped) = self.state.withLock { state -> ([UInt8], Int) in
            state.scheduled = false
            defer { state.buffer = []; state.dropped = 0 }
            return (state.buffer, state.dropped)
        }
        var output = bytes
        if dropped > 0 { output.append(contentsOf: "{\"level\":\"warning\",\"message\":\"log lines dropped\",\"count\":\"\(dropped)\"}\n".utf8) }
        output.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(self.descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
