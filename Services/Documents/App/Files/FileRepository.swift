import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// A stored file as people see it: a name and an owner over content kept once by its hash.
struct StoredFile: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var sha256: String
    var size: Int
    var contentType: String
    var owner: String
    /// The owner's agency when staff uploaded it: its staff may read it too.
    var agency: String?
    var createdAt: Date
    /// The same bytes were already stored (under this or another name).
    var deduplicated: Bool?
}

/// File metadata: one row per upload, pointing at content by its SHA-256; and the agencies a file is opened to
/// (`file_grants`: recipients of an official document, the agency handling a dossier it is attached to).
struct FileRepository: Sendable {
    let database: Database

    private struct Row: Decodable {
        let id: String, name: String, sha256: String, size: Int, content_type: String, owner: String, agency: String?, created_at: Int64
    }

    func insert(_ file: StoredFile) async throws {
        try await self.database.transaction { db in
            try await db.insert(into: "files").columns("id", "name", "sha256", "size", "content_type", "owner", "agency", "created_at")
                .values(SQLBind(file.id), SQLBind(file.name), SQLBind(file.sha256), SQLBind(file.size), SQLBind(file.contentType), SQLBind(file.owner),
                        SQLBind(file.agency), SQLBind(file.createdAt.epochMilliseconds))
                .run()
        }
    }

    func find(_ id: String) async throws -> StoredFile? {
        try await self.database.read { db in
            try await db.select().columns("id", "name", "sha256", "size", "content_type", "owner", "agency", "created_at").from("files")
                .where("id", .equal, id).first(decoding: Row.self)
        }.map {
            StoredFile(id: $0.id, name: $0.name, sha256: $0.sha256, size: $0.size, contentType: $0.content_type, owner: $0.owner, agency: $0.agency,
                       createdAt: Date(epochMilliseconds: $0.created_at), deduplicated: nil)
        }
    }

    /// Whether the file was opened to the agency (its staff may read it).
    func isShared(_ fileID: String, with agency: String) async throws -> Bool {
        try await self.database.read { db in
            try await db.select().column("file_id").from("file_grants").where("file_id", .equal, fileID).where("agency", .equal, agency).first() != nil
        }
    }

    /// Opens the files to `agency`, inside the caller's transaction; granting twice changes nothing.
    static func grant(_ fileIDs: [String], to agency: String, in db: any SQLDatabase) async throws {
        for file in Set(fileIDs) {
            try await db.insert(into: "file_grants").columns("file_id", "agency").values(SQLBind(file), SQLBind(agency))
                .ignoringConflicts(with: ["file_id", "agency"]).run()
        }
    }

    /// Checks the files a dossier refers to and opens them to its agency: all of them, or none when any is unknown or
    /// (with a holder) neither the holder's own, nor their agency's, nor already opened to their agency. The
    /// refusals, each naming the file id.
    func grant(_ request: FileGrantRequest) async throws -> [FieldIssue] {
        let ids = Array(Set(request.fileIds))
        return try await self.database.transaction { db in
            struct Owned: Decodable { let id: String; let owner: String; let agency: String? }
            let found = try await db.select().columns("id", "owner", "agency").from("files").where("id", .in, ids).all(decoding: Owned.self)
            let byID = Dictionary(found.map { ($0.id, $0) }) { first, _ in first }
            // Files already opened to the holder's agency (an earlier dossier's, reused at the counter) are theirs to pass on.
            struct Shared: Decodable { let file_id: String }
            var shared: Set<String> = []
            if let agency = request.holder?.agency {
                shared = Set(try await db.select().column("file_id").from("file_grants").where("agency", .equal, agency).where("file_id", .in, ids)
                    .all(decoding: Shared.self).map(\.file_id))
            }
            var refused: [FieldIssue] = []
            for id in ids.sorted() {
                guard let file = byID[id] else {
                    refused.append(FieldIssue(field: id, code: "file.unknown", vi: "Không có tệp \(id).", en: "There is no stored file \(id)."))
                    continue
                }
                if let holder = request.holder, file.owner != holder.subject, holder.agency == nil || file.agency != holder.agency, !shared.contains(id) {
                    refused.append(FieldIssue(field: id, code: "file.not-yours", vi: "Tệp \(id) không phải do bạn tải lên.",
                                              en: "The file \(id) was not uploaded by you."))
                }
            }
            if refused.isEmpty { try await Self.grant(ids, to: request.agency, in: db) }
            return refused
        }
    }
}
