import Contracts
import DomainKit
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import ServiceKit

/// Uploads and downloads. An upload streams to disk under the size limit and is typed by its first bytes; a download
/// carries an ETag (the content's SHA-256), honours Range and If-None-Match, and names the file for saving. The owner,
/// staff of the owner's agency, admins and services read a file with their token; anyone else with a short-lived
/// signed link (the portal hands these to citizens).
struct FileController {
    let files: FileRepository
    let blobs: BlobStore
    /// The key of signed links (the same on every replica).
    let linkKey: MessageAuthentication.SHA256Signer
    /// This service's address as browsers reach it, for signed links.
    let publicURL: String
    let now: @Sendable () -> Date
    let fileIO = FileIO()

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/files", use: self.upload)
        router.get("/v1/files/:id", use: self.info)
        router.get("/v1/files/:id/content", use: self.download)
        router.post("/v1/files/:id/links", use: self.link)
        router.post("/v1/file-grants", use: self.grant)

        openAPI.addSchema("File", Schema.object(["id": Schema.string, "name": Schema.string, "sha256": Schema.string, "size": Schema.integer,
                                                 "contentType": Schema.string, "owner": Schema.string, "createdAt": Schema.string]))
        openAPI.add("POST", "/v1/files", summary: "Upload a file as the raw body, ?name= its file name; streamed to disk, kept once per content, "
                    + "acknowledged when durable. PDF, PNG, JPEG, DOCX, XLSX or XML, told by its first bytes", tag: "files",
                    responses: [201: ("Stored", Schema.ref("File")), 400: ("Empty, or no name", nil), 401: ("No token", nil),
                                413: ("Larger than MAX_UPLOAD_BYTES", nil), 415: ("Not an allowed type", nil)], token: true)
        openAPI.add("GET", "/v1/files/:id", summary: "A file's metadata (owner, staff of its agency, admins, services)", tag: "files",
                    responses: [200: ("The file", Schema.ref("File")), 404: ("No such file (or not yours)", nil)], token: true)
        openAPI.add("GET", "/v1/files/:id/content", summary: "The content, with ETag, Range (206, 416) and Content-Disposition; a token, or "
                    + "?expires=&signature= of a signed link", tag: "files",
                    responses: [200: ("The file", nil), 206: ("Part of it", nil), 304: ("Not modified", nil), 403: ("A link expired or not ours", nil),
                                404: ("No such file (or not yours)", nil), 416: ("A range outside the file", nil)])
        openAPI.add("POST", "/v1/files/:id/links", summary: "A signed link to the content for someone without a token, valid `seconds` "
                    + "(default 600, at most a day)", tag: "files", request: Schema.object(["seconds": Schema.integer]),
                    responses: [201: ("The link and when it expires", Schema.object(["url": Schema.string, "expiresAt": Schema.string])),
                                404: ("No such file (or not yours)", nil)], token: true)
        openAPI.add("POST", "/v1/file-grants", summary: "Services: check the files a dossier refers to {agency, fileIds, holder?: {subject, agency}} "
                    + "and open them to the agency handling it; all or none", tag: "files",
                    responses: [204: ("Opened", nil), 403: ("Not a service", nil),
                                422: ("Each refused file id as a field: file.unknown, or file.not-yours (not the holder's upload)", nil)], token: true)
    }

    @Sendable func upload(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let name = request.query("name")?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.count <= 255 else {
            throw Problem.badRequest("Give the file's name as ?name= (up to 255 characters), for example ?name=to-khai.pdf.")
        }
        // A NUL or another control character would cut or bend the name when the file is downloaded; a slash names a folder.
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "/" || $0 == "\\" }) else {
            throw Problem.badRequest("The file's name may not hold control characters (such as NUL or a line break) or slashes.")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > self.blobs.limit { throw Self.tooLarge(self.blobs.limit) }
        let stored: BlobStore.Stored
        do {
            stored = try await self.blobs.write(request.body)
        } catch let refusal as BlobStore.Refusal {
            switch refusal {
            case .tooLarge(let limit): throw Self.tooLarge(limit)
            case .empty: throw Problem.badRequest("The body is empty: send the file's bytes.")
            case .typeNotAllowed:
                throw Problem(.unsupportedMediaType, detail: "This content is not an allowed type: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or XML, "
                              + "told by the file's first bytes, not its name.")
            }
        }
        let file = StoredFile(id: UUID().uuidString.lowercased(), name: name, sha256: stored.sha256, size: stored.size, contentType: stored.type.rawValue,
                              owner: identity.subject, agency: identity.agency, createdAt: self.now(), deduplicated: stored.existed)
        try await self.files.insert(file)
        return try Response.json(file, status: .created, location: "/v1/files/\(file.id)")
    }

    @Sendable func info(_ request: Request, context: ServiceRequestContext) async throws -> StoredFile {
        try await self.readable(try context.parameters.require("id"), by: try context.requireIdentity())
    }

    @Sendable func download(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let file: StoredFile
        if let expires = request.query("expires"), let signature = request.query("signature") {
            guard let seconds = Int64(expires), Date(timeIntervalSince1970: Double(seconds)) > self.now() else {
                throw Problem.forbidden("This link has expired; ask for a new one.")
            }
            guard MessageAuthentication.same(signature, self.linkKey.hex("\(id).\(expires)")) else {
                throw Problem.forbidden("This link was not made by this service.")
            }
            guard let found = try await self.files.find(id) else { throw Problem.notFound("There is no file with the id \(id).") }
            file = found
        } else {
            file = try await self.readable(id, by: try context.requireIdentity())
        }
        let etag = "\"\(file.sha256)\""
        var headers: HTTPFields = [.eTag: etag, .acceptRanges: "bytes", .contentType: file.contentType,
                                   .contentDisposition: Self.disposition(file.name), .cacheControl: "private, max-age=0, must-revalidate"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        let path = self.blobs.path(of: file.sha256)
        if let range = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true {
            guard let bytes = Self.byteRange(range, size: file.size) else {
                var problem = Problem(.rangeNotSatisfiable, detail: "The range \(range) is outside the file's \(file.size) bytes.")
                problem.extraHeaders["Content-Range"] = "bytes */\(file.size)"
                throw problem
            }
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(file.size)"
            return Response(status: .partialContent, headers: headers, body: try await self.fileIO.loadFile(path: path, range: bytes, context: context))
        }
        return Response(status: .ok, headers: headers, body: try await self.fileIO.loadFile(path: path, context: context))
    }

    @Sendable func link(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        struct Asked: Decodable { var seconds: Int? }
        struct Link: Encodable { var url: String; var expiresAt: Date }
        let file = try await self.readable(try context.parameters.require("id"), by: try context.requireIdentity())
        let asked = try await request.decodeJSON(as: Asked.self)
        let seconds = asked.seconds ?? 600
        guard (1...86_400).contains(seconds) else { throw Problem.badRequest("seconds is from 1 to 86400 (a day).") }
        let expires = Int64(self.now().timeIntervalSince1970) + Int64(seconds)
        let url = "\(self.publicURL)/v1/files/\(file.id)/content?expires=\(expires)&signature=\(self.linkKey.hex("\(file.id).\(expires)"))"
        return try Response.json(Link(url: url, expiresAt: Date(timeIntervalSince1970: Double(expires))), status: .created)
    }

    @Sendable func grant(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        _ = try context.requireRole(.service)
        let asked = try await request.decodeJSON(as: FileGrantRequest.self)
        guard !asked.agency.isEmpty, !asked.fileIds.isEmpty, asked.fileIds.count <= 200 else {
            throw Problem.badRequest("Name the agency and from 1 to 200 file ids.")
        }
        let refused = try await self.files.grant(asked)
        guard refused.isEmpty else { throw Problem.validation(refused) }
        return Response(status: .noContent)
    }

    // MARK: Helpers

    /// The file when the caller may read it; 404 otherwise, as if it did not exist.
    func readable(_ id: String, by identity: Identity) async throws -> StoredFile {
        guard let file = try await self.files.find(id) else { throw Problem.notFound("There is no file with the id \(id).") }
        if Self.canRead(file, identity) { return file }
        if let agency = identity.agency, identity.has(.officer) || identity.has(.leader), try await self.files.isShared(file.id, with: agency) {
            return file
        }
        throw Problem.notFound("There is no file with the id \(id).")
    }

    static func canRead(_ file: StoredFile, _ identity: Identity) -> Bool {
        if identity.has(.admin) || identity.has(.service) || identity.subject == file.owner { return true }
        if let agency = file.agency, identity.has(.officer) || identity.has(.leader) { return identity.agency == agency }
        return false
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(.contentTooLarge, detail: "A file may have at most \(limit / (1024 * 1024)) MB (\(limit) bytes).")
    }

    /// `attachment` with an ASCII fallback name and the real one in RFC 5987 form.
    static func disposition(_ name: String) -> String {
        let fallback = String(VietnameseText.withoutDiacritics(name).unicodeScalars.map {
            $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_"
        })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// One range of `bytes=first-last`, `bytes=first-` or `bytes=-suffix`, clamped to the file; nil when it is outside
    /// it or not one range.
    static func byteRange(_ header: String, size: Int) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces), last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int(last), suffix > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        }
        guard let start = Int(first), start < size else { return nil }
        if last.isEmpty { return start...(size - 1) }
        guard let end = Int(last), end >= start else { return nil }
        return start...min(end, size - 1)
    }
}

extension StoredFile: ResponseEncodable {}
