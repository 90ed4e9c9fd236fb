import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// The portal's memory of each online submission form, by the key the form carries: a double click, a refresh or a
/// retry after a crash finds the same row, reuses the files already stored and the same idempotency key, and so
/// makes one dossier.
struct SubmissionRepository: Sendable {
    let database: Database

    struct Submission: Sendable {
        var key: String
        var account: String
        var attachments: [Attachment]?
        var dossierId: String?
        var dossierCode: String?
    }

    private struct Row: Decodable {
        let key: String, account_id: String, attachments: String?, dossier_id: String?, dossier_code: String?

        var submission: Submission {
            Submission(key: self.key, account: self.account_id,
                       attachments: self.attachments.flatMap { try? JSONDecoder.motcua.decode([Attachment].self, from: Data($0.utf8)) },
                       dossierId: self.dossier_id, dossierCode: self.dossier_code)
        }
    }

    /// The submission with this key, made now for `account` when it is new.
    func claim(_ key: String, account: String, now: Date) async throws -> Submission {
        try await self.database.transaction { db in
            try await db.insert(into: "submissions").columns("key", "account_id", "created_at")
                .values(SQLBind(key), SQLBind(account), SQLBind(now.epochMilliseconds)).ignoringConflicts(with: "key").run()
            return try await self.find(key, in: db)!
        }
    }

    /// Keeps the files of the first attempt that stored them; a later attempt gets those instead of its own.
    func attach(_ attachments: [Attachment], to key: String) async throws -> [Attachment] {
        let json = String(decoding: try StreamingJSON.encode(attachments), as: UTF8.self)
        return try await self.database.transaction { db in
            try await db.update("submissions").set("attachments", to: SQLBind(json)).where("key", .equal, key)
                .where("attachments", .is, SQLLiteral.null).run()
            return try await self.find(key, in: db)?.attachments ?? attachments
        }
    }

    func complete(_ key: String, dossierId: String, code: String) async throws {
        try await self.database.transaction { db in
            try await db.update("submissions").set("dossier_id", to: SQLBind(dossierId)).set("dossier_code", to: SQLBind(code))
                .where("key", .equal, key).run()
        }
    }

    private func find(_ key: String, in db: any SQLDatabase) async throws -> Submission? {
        try await db.select().columns("key", "account_id", "attachments", "dossier_id", "dossier_code").from("submissions")
            .where("key", .equal, key).first(decoding: Row.self)?.submission
    }
}
