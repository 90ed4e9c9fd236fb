import _NIOFileSystem
import Crypto
import DomainKit
import Foundation
import NIOCore
import ServiceKit
#if canImport(Glibc)
import Glibc
#endif

/// File contents on disk, named by their SHA-256 (`<root>/ab/cd/abcd…`), so the same bytes are kept once. A write
/// goes to `<root>/tmp/` first, is flushed to the disk, and is renamed into place only then: a crash mid-upload
/// leaves at most a temporary file, which the next start removes, and never a half file under a content name.
struct BlobStore: Sendable {
    let root: String
    /// The most bytes one upload may have.
    let limit: Int

    struct Stored: Sendable, Equatable {
        var sha256: String
        var size: Int
        var type: ContentType
        /// The same bytes were stored before.
        var existed: Bool
    }

    enum Refusal: Error, Equatable {
        case tooLarge(limit: Int)
        case typeNotAllowed
        case empty
    }

    /// Creates the folders and removes what a crash left in `tmp/`.
    func prepare() throws {
        let temporary = self.root + "/tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    }

    func path(of sha256: String) -> String {
        let name = sha256.lowercased()
        return "\(self.root)/\(name.prefix(2))/\(name.dropFirst(2).prefix(2))/\(name)"
    }

    /// Streams `body` to disk while hashing it; refuses it past the limit or when its first bytes are not an allowed type.
    func write<Body: AsyncSequence>(_ body: Body) async throws -> Stored where Body.Element == ByteBuffer {
        let temporary = "\(self.root)/tmp/\(UUID().uuidString)"
        do {
            var hasher = SHA256()
            var size = 0
            var head: [UInt8] = []
            try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(temporary), options: .newFile(replaceExisting: false)) { handle in
                var writer = handle.bufferedWriter()
                for try await chunk in body {
                    size += chunk.readableBytes
                    if size > self.limit { throw Refusal.tooLarge(limit: self.limit) }
                    chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    if head.count < ContentType.headLength { head += chunk.readableBytesView.prefix(ContentType.headLength - head.count) }
                    try await writer.write(contentsOf: chunk)
                }
                try await writer.flush()
                // Durable before it is acknowledged.
                try await handle.synchronize()
            }
            guard size > 0 else { throw Refusal.empty }
            guard let type = ContentType.sniff(head) else { throw Refusal.typeNotAllowed }
            let sha256 = Digits.hex(hasher.finalize())
            let final = self.path(of: sha256)
            if FileManager.default.fileExists(atPath: final) {
                try? FileManager.default.removeItem(atPath: temporary)
                return Stored(sha256: sha256, size: size, type: type, existed: true)
            }
            let folder = (final as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            guard rename(temporary, final) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            Self.synchronizeDirectory(folder)
            return Stored(sha256: sha256, size: size, type: type, existed: false)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Makes a rename in `folder` durable.
    private static func synchronizeDirectory(_ folder: String) {
        let descriptor = open(folder, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
