import Contracts
import Foundation
import Hummingbird
import ServiceKit
import MultipartKit
import NIOCore

/// A `multipart/form-data` body (a form with file inputs), read with MultipartKit: its text fields and its files.
public struct MultipartForm: Sendable {
    public struct File: Sendable {
        public var field: String
        public var filename: String
        public var bytes: ByteBuffer

        public init(field: String, filename: String, bytes: ByteBuffer) {
            self.field = field
            self.filename = filename
            self.bytes = bytes
        }
    }

    public var fields: [String: String] = [:]
    public var files: [File] = []

    public init(fields: [String: String] = [:], files: [File] = []) {
        self.fields = fields
        self.files = files
    }

    public func file(_ field: String) -> File? { self.files.first { $0.field == field && $0.bytes.readableBytes > 0 } }

    public enum Failure: Error { case notMultipart, tooLarge, malformed }

    /// Reads the whole body (up to `limit` bytes) and splits it into parts.
    public static func read(_ request: Request, limit: Int) async throws(Failure) -> MultipartForm {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(of: type) else { throw .notMultipart }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: limit) } catch { throw .tooLarge }
        final class Collector {
            var form = MultipartForm()
            var headers: [String: String] = [:]
            var data = ByteBuffer()
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.headers[name.lowercased()] = value }
        parser.onBody = { chunk in collector.data.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = collector.headers["content-disposition"] ?? ""
            if let name = Self.parameter("name", in: disposition) {
                if let filename = Self.parameter("filename", in: disposition) {
                    collector.form.files.append(File(field: name, filename: filename, bytes: collector.data))
                } else if collector.form.fields[name] == nil {
                    collector.form.fields[name] = String(buffer: collector.data)
                }
            }
            collector.headers = [:]
            collector.data = ByteBuffer()
        }
        do { try parser.execute(body) } catch { throw .malformed }
        return collector.form
    }

    public static func boundary(of contentType: String) -> String? {
        self.parameter("boundary", in: contentType)
    }

    /// A parameter of a header value: `form-data; name="doc-0"; filename="to khai.pdf"` → "doc-0".
    public static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}

extension MultipartForm.File {
    /// Stores the file in documents under the person's own token (so they own it); the stored file, or the problem
    /// documents answered (413 too large, 415 a type not allowed).
    public func store(with client: ServiceClient, token: String, requestID: String?) async throws -> UploadedFile {
        let name = self.filename.isEmpty ? "tep" : String(self.filename.suffix(200))
        return try await client.send(.POST, service: Topology.documents, path: "/v1/files?name=" + FormEncoding.encode(name),
                                     body: Data(self.bytes.readableBytesView), headers: [("Content-Type", "application/octet-stream")],
                                     requestID: requestID, idempotent: false, authorization: "Bearer " + token).decode(UploadedFile.self)
    }
}

/// A file documents has stored: its id, name and size.
public struct UploadedFile: Decodable, Sendable {
    public let id: String
    public let name: String
    public let size: Int
}
