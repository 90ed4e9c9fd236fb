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

/// File metadata: one row per upload, pointing at content by its SHA-256.
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
}
