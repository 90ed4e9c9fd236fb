import Contracts
import Crypto
import DomainKit
import Foundation
import ServiceKit
import SQLKit
import SwiftASN1
@_spi(CMS) import X509

extension SignatureView {
    /// The `document.signed` payload of this signature on a file, with the sign request it answered.
    func event(of fileID: String, request: String? = nil, dossier: String? = nil) -> DocumentSignedEvent {
        DocumentSignedEvent(documentId: fileID, number: self.number, signer: self.signer, signedAt: self.signedAt, code: self.code,
                            signRequestId: request, dossierId: dossier)
    }
}

typealias Verification = SignatureVerification

/// Detached CMS signatures (SHA-256, signing time, the signer's certificate included) over stored files, made with
/// the signer's current certificate, kept in order (counter-signatures), and checked against the province's root.
struct SignatureStore: Sendable {
    let database: Database
    let authority: CertificateAuthority
    let blobs: BlobStore

    private struct Row: Decodable { let number: Int; let signer: String; let serial: String; let signed_at: Int64; let code: String; let der: String }

    /// Signs the file as `identity` with their current certificate; the next number on the file. `then` runs in the
    /// transaction that stores the signature (its event, the sign request it answers).
    func sign(_ file: StoredFile, as identity: Identity, at now: Date,
              then: @Sendable (any SQLDatabase, SignatureView) async throws -> Void) async throws -> SignatureView {
        guard let (issued, key) = try await self.authority.signer(for: identity.subject, at: now) else {
            throw Problem.conflict("You have no certificate that can sign now (none issued, expired or revoked); ask an administrator for one.")
        }
        let content = try Data(contentsOf: URL(fileURLWithPath: self.blobs.path(of: file.sha256)))
        let der = try CMS.sign(content, certificate: issued.certificate, privateKey: key, signingTime: now, detached: true)
        let code = Self.code()
        let lock = self.database.dialect == .postgres
        return try await self.database.transaction { db -> SignatureView in
            // Signatures on one file are numbered one after another: on PostgreSQL the file's row is locked first.
            if lock { try await db.raw("SELECT id FROM files WHERE id = \(bind: file.id) FOR UPDATE").run() }
            struct Last: Decodable { let last: Int? }
            let last = try await db.select().column(SQLFunction("MAX", args: SQLColumn("number")), as: "last").from("signatures")
                .where("file_id", .equal, file.id).first(decoding: Last.self)?.last ?? 0
            try await db.insert(into: "signatures").columns("id", "file_id", "number", "signer", "serial", "signed_at", "code", "der")
                .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(file.id), SQLBind(last + 1), SQLBind(identity.subject), SQLBind(issued.serial),
                        SQLBind(now.epochMilliseconds), SQLBind(code), SQLBind(Data(der).base64EncodedString()))
                .run()
            let signature = SignatureView(number: last + 1, signer: identity.subject, serial: issued.serial, signedAt: now, code: code)
            try await then(db, signature)
            return signature
        }
    }

    /// The signatures on a file, in order, without their DER (a list, a sign request's view).
    func list(_ fileID: String, number: Int? = nil) async throws -> [SignatureView] {
        struct Listed: Decodable { let number: Int; let signer: String; let serial: String; let signed_at: Int64; let code: String }
        return try await self.database.read { db in
            var select = db.select().columns("number", "signer", "serial", "signed_at", "code").from("signatures").where("file_id", .equal, fileID)
            if let number { select = select.where("number", .equal, number) }
            return try await select.orderBy("number").all(decoding: Listed.self)
        }.map { SignatureView(number: $0.number, signer: $0.signer, serial: $0.serial, signedAt: Date(epochMilliseconds: $0.signed_at), code: $0.code) }
    }

    /// Every signature on a file with its DER, in order, read at once.
    func signed(_ fileID: String) async throws -> [(view: SignatureView, der: [UInt8])] {
        try await self.database.read { db in
            try await db.select().columns("number", "signer", "serial", "signed_at", "code", "der").from("signatures").where("file_id", .equal, fileID)
                .orderBy("number").all(decoding: Row.self)
        }.map { (Self.view($0), Data(base64Encoded: $0.der).map { Array($0) } ?? []) }
    }

    /// The DER of signature `number` on a file.
    func der(_ fileID: String, number: Int) async throws -> [UInt8]? {
        try await self.database.read { db in
            try await db.select().columns("number", "signer", "serial", "signed_at", "code", "der").from("signatures").where("file_id", .equal, fileID)
                .where("number", .equal, number).first(decoding: Row.self)
        }.flatMap { Data(base64Encoded: $0.der).map { Array($0) } }
    }

    /// The file and signature a verification code stands for.
    func find(code: String) async throws -> (fileID: String, number: Int)? {
        struct Found: Decodable { let file_id: String; let number: Int }
        return try await self.database.read { db in
            try await db.select().columns("file_id", "number").from("signatures").where("code", .equal, code.uppercased()).first(decoding: Found.self)
        }.map { ($0.file_id, $0.number) }
    }

    /// Checks a detached signature over `content`: the content's digest, the signer's chain to the province's root at
    /// the signing time, and whether this CA revoked the signer's certificate.
    func verify(content: some DataProtocol, signature: [UInt8], now: Date) async -> Verification {
        let signingTime = Self.signingTime(in: signature)
        let result = await CMS.isValidSignature(dataBytes: content, signatureBytes: signature, trustRoots: CertificateStore([self.authority.root])) {
            RFC5280Policy(validationTime: signingTime ?? now)
        }
        switch result {
        case .success(let valid):
            return await self.describe(valid.signer, signingTime: signingTime, integrity: "intact", chain: "trusted", failure: nil)
        case .failure(.unableToValidateSigner(let failure)):
            return await self.describe(failure.signer, signingTime: signingTime, integrity: "intact", chain: "untrusted",
                                       failure: "The signer's certificate does not lead to this province's root CA, or was not valid when it signed: "
                                           + failure.policyFailures.map { String(describing: $0) }.joined(separator: "; "))
        case .failure(.invalidCMSBlock(let block)):
            let altered = block.reason.localizedCaseInsensitiveContains("digest") || block.reason.localizedCaseInsensitiveContains("signature")
            return Verification(valid: false, integrity: altered ? "altered" : "unknown", chain: "unknown", revocation: "unknown", signerName: nil,
                                agency: nil, serial: nil, signingTime: signingTime,
                                reason: altered ? "The file is not the one that was signed: its content changed after signing."
                                    : "This is not a signature this service can read: \(block.reason).")
        case .failure(let other):
            return Verification(valid: false, integrity: "unknown", chain: "unknown", revocation: "unknown", signerName: nil, agency: nil, serial: nil,
                                signingTime: signingTime, reason: String(describing: other))
        }
    }

    private func describe(_ signer: Certificate, signingTime: Date?, integrity: String, chain: String, failure: String?) async -> Verification {
        let serial = CertificateAuthority.serial(signer)
        let issued = try? await self.authority.find(serial: serial)
        var verification = Verification(valid: failure == nil, integrity: integrity, chain: chain, revocation: issued == nil ? "unknown" : "good",
                                        signerName: Self.attribute(.RDNAttributeType.commonName, of: signer),
                                        agency: Self.attribute(.RDNAttributeType.organizationName, of: signer), serial: serial,
                                        signingTime: signingTime, reason: failure)
        if let revoked = issued?.revokedAt {
            verification.revocation = "revoked"
            verification.valid = false
            verification.reason = verification.reason ?? "The signer's certificate was revoked on \(VietnamTime.rfc3339(revoked))."
        }
        return verification
    }

    private static func attribute(_ type: ASN1ObjectIdentifier, of certificate: Certificate) -> String? {
        for rdn in certificate.subject { for attribute in rdn where attribute.type == type { return String(describing: attribute.value) } }
        return nil
    }

    /// The signing-time attribute of a CMS signature, found by walking its ASN.1.
    static func signingTime(in der: [UInt8]) -> Date? {
        guard let root = try? DER.parse(der) else { return nil }
        let oid: ASN1ObjectIdentifier = "1.2.840.113549.1.9.5"
        func walk(_ node: ASN1Node) -> Date? {
            guard case .constructed(let children) = node.content else { return nil }
            let nodes = Array(children)
            if nodes.count == 2, let type = try? ASN1ObjectIdentifier(derEncoded: nodes[0]), type == oid,
               case .constructed(let values) = nodes[1].content, let first = Array(values).first, let time = try? UTCTime(derEncoded: first) {
                var components = DateComponents(year: time.year, month: time.month, day: time.day, hour: time.hours, minute: time.minutes,
                                                second: time.seconds)
                components.timeZone = TimeZone(identifier: "UTC")
                return Calendar(identifier: .gregorian).date(from: components)
            }
            for child in nodes { if let found = walk(child) { return found } }
            return nil
        }
        return walk(root)
    }

    /// Ten letters and digits a person can read out (no 0/O, 1/I), in groups: "KG7-XM4Q-9TPE".
    static func code() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let characters = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] }
        return String(characters[0..<3]) + "-" + String(characters[3..<7]) + "-" + String(characters[7..<10])
    }

    private static func view(_ row: Row) -> SignatureView {
        SignatureView(number: row.number, signer: row.signer, serial: row.serial, signedAt: Date(epochMilliseconds: row.signed_at), code: row.code)
    }
}
