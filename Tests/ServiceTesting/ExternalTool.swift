import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a tool no one here wrote (openssl, zbarimg, a script) and answers its exit status and what it printed on
/// standard output (and standard error, when `errors` is set). It spawns with `posix_spawn` rather than Foundation's
/// `Process`: on Linux `Process.run()` crashes now and then in `findMaximumOpenFromProcSelfFD()`, which copies a whole
/// 256-byte `d_name` past the end of readdir's buffer (swift-corelibs-foundation#5472), and launching one at a time
/// did not avoid it.
public enum ExternalTool {
    public static func run(_ executable: String, _ arguments: [String], errors: Bool = true) throws -> (status: Int32, output: String) {
        var pipe: [Int32] = [0, 0]
        // Close-on-exec, as NIO's sockets and SQLite's files are: the child keeps only what is dup'ed onto 1 and 2.
        guard Glibc.pipe(&pipe) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        for end in pipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], STDOUT_FILENO)
        if errors { posix_spawn_file_actions_adddup2(&actions, pipe[1], STDERR_FILENO) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(pipe[1])
        guard spawned == 0 else {
            close(pipe[0])
            throw POSIXError(.init(rawValue: spawned) ?? .ENOENT)
        }
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count > 0 { output += buffer[0..<count]; continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        close(pipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // The exit code when it exited; 128 + the signal when a signal ended it, as a shell says.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), String(decoding: output, as: UTF8.self))
    }
}
