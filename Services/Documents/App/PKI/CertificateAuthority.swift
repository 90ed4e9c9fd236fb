import Crypto
import DomainKit
import Foundation
import ServiceKit
import SQLKit
import SwiftASN1
import X509

/// A certificate the authority issued, with its private key when the caller may sign with it.
struct IssuedCertificate: Sendable {
    var serial: String
    var certificate: Certificate
    var subject: String
    var name: String
    var agency: String?
    var notBefore: Date
    var notAfter: Date
    var revokedAt: Date?
}

/// The province's certificate authority: a root made on first start (or imported from PEM), certificates for
/// agencies, officers and leaders (ECDSA P-256) with their name and agency, revocation and a CRL. Private keys are
/// kept sealed by `KeyVault`; an expired or revoked certificate is never used to sign.
struct CertificateAuthority: Sendable {
    let database: Database
    let vault: KeyVault
    let root: Certificate
    let rootSigningKey: P256.Signing.PrivateKey
    let rootPEM: String

    var rootKey: Certificate.PrivateKey { Certificate.PrivateKey(self.rootSigningKey) }

    private struct Row: Decodable {
        let serial: String, subject: String, name: String, agency: String?, not_before: Int64, not_after: Int64, cert_pem: String
        let sealed_key: String, revoked_at: Int64?
    }

    private static let columns = ["serial", "subject", "name", "agency", "not_before", "not_after", "cert_pem", "sealed_key", "revoked_at"]

    /// The root from the database; else the imported one (`PKI_ROOT_CERT_PEM`/`PKI_ROOT_KEY_PEM`), else a new one.
    /// Replicas starting together agree on one root: the first to store it wins and the others read it back.
    static func loadOrCreate(database: Database, vault: KeyVault, importing: (certificate: String, key: String)?, now: Date) async throws
        -> CertificateAuthority {
        if let stored = try await self.storedRoot(database, vault) { return stored }
        let certificate: Certificate, key: P256.Signing.PrivateKey
        if let importing {
            certificate = try Certificate(pemEncoded: importing.certificate)
            key = try P256.Signing.PrivateKey(pemRepresentation: importing.key)
        } else {
            key = P256.Signing.PrivateKey()
            let name = try DistinguishedName {
                CountryName("VN")
                StateOrProvinceName("Kiên Giang")
                OrganizationName("Ủy ban nhân dân tỉnh Kiên Giang")
                CommonName("MotCua Kien Giang Root CA")
            }
            certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PrivateKey(key).publicKey,
                notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(20 * 365 * 86_400), issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
        }
        let pem = try certificate.serializeAsPEM().pemString
        let sealed = try vault.seal(key)
        try await database.transaction { db in
            try await db.insert(into: "pki_root").columns("id", "serial", "cert_pem", "sealed_key", "created_at")
                .values(SQLBind(1), SQLBind(Self.serial(certificate)), SQLBind(pem), SQLBind(sealed), SQLBind(now.epochMilliseconds))
                .ignoringConflicts(with: "id").run()
        }
        guard let stored = try await self.storedRoot(database, vault) else { throw PKIError.noRoot }
        return stored
    }

    private static func storedRoot(_ database: Database, _ vault: KeyVault) async throws -> CertificateAuthority? {
        struct Root: Decodable { let cert_pem: String; let sealed_key: String }
        guard let row = try await database.read({ db in
            try await db.select().columns("cert_pem", "sealed_key").from("pki_root").where("id", .equal, 1).first(decoding: Root.self)
        }) else { return nil }
        return CertificateAuthority(database: database, vault: vault, root: try Certificate(pemEncoded: row.cert_pem),
                                    rootSigningKey: try vault.open(row.sealed_key), rootPEM: row.cert_pem)
    }

    static func serial(_ certificate: Certificate) -> String {
        Digits.hex(Array(certificate.serialNumber.bytes))
    }

    /// A signing certificate for a person (or an agency's seal) of `agency`, valid `days` from `now`.
    func issue(subject: String, name: String, agency: String?, days: Int, now: Date) async throws -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let distinguished = try DistinguishedName {
            CountryName("VN")
            OrganizationName(agency ?? "Kiên Giang")
            OrganizationalUnitName(subject)
            CommonName(name)
        }
        let notAfter = now.addingTimeInterval(Double(days) * 86_400)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PrivateKey(key).publicKey,
            notValidBefore: now.addingTimeInterval(-60), notValidAfter: notAfter, issuer: self.root.subject, subject: distinguished,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
            },
            issuerPrivateKey: self.rootKey)
        let issued = IssuedCertificate(serial: Self.serial(certificate), certificate: certificate, subject: subject, name: name, agency: agency,
                                       notBefore: now.addingTimeInterval(-60), notAfter: notAfter, revokedAt: nil)
        let pem = try certificate.serializeAsPEM().pemString, sealed = try self.vault.seal(key)
        try await self.database.transaction { db in
            try await db.insert(into: "pki_certificates").columns(Self.columns + ["created_at"])
                .values(SQLBind(issued.serial), SQLBind(subject), SQLBind(name), SQLBind(agency), SQLBind(issued.notBefore.epochMilliseconds),
                        SQLBind(notAfter.epochMilliseconds), SQLBind(pem), SQLBind(sealed), SQLBind(nil as Int64?), SQLBind(now.epochMilliseconds))
                .run()
        }
        return issued
    }

    func find(serial: String) async throws -> IssuedCertificate? {
        try await self.database.read { db in
            try await db.select().columns(Self.columns).from("pki_certificates").where("serial", .equal, serial.lowercased()).first(decoding: Row.self)
        }.map { try Self.issued($0) }
    }

    /// The account's newest certificate that can sign now, with its key; nil when it has none (expired, revoked, never issued).
    func signer(for subject: String, at now: Date) async throws -> (IssuedCertificate, Certificate.PrivateKey)? {
        let row = try await self.database.read { db in
            try await db.select().columns(Self.columns).from("pki_certificates").where("subject", .equal, subject)
                .where("revoked_at", .is, SQLLiteral.null).where("not_after", .greaterThan, now.epochMilliseconds)
                .where("not_before", .lessThanOrEqual, now.epochMilliseconds).orderBy("not_before", .descending).first(decoding: Row.self)
        }
        guard let row else { return nil }
        return (try Self.issued(row), Certificate.PrivateKey(try self.vault.open(row.sealed_key)))
    }

    /// Revokes a certificate from `now` on; false when there is none or it was revoked before.
    func revoke(serial: String, at now: Date) async throws -> Bool {
        struct Revoked: Decodable { let serial: String }
        return try await self.database.transaction { db in
            try await db.raw("""
                UPDATE pki_certificates SET revoked_at = \(bind: now.epochMilliseconds)
                WHERE serial = \(bind: serial.lowercased()) AND revoked_at IS NULL RETURNING serial
                """).all(decoding: Revoked.self)
        }.isEmpty == false
    }

    /// The CRL (DER), signed by the root, listing every revoked certificate; valid for a day.
    func revocationList(at now: Date) async throws -> [UInt8] {
        struct Revoked: Decodable { let serial: String; let revoked_at: Int64 }
        let revoked = try await self.database.read { db in
            try await db.select().columns("serial", "revoked_at").from("pki_certificates").where("revoked_at", .isNot, SQLLiteral.null)
                .orderBy("revoked_at").all(decoding: Revoked.self)
        }
        let ecdsaWithSHA256: ASN1ObjectIdentifier = "1.2.840.10045.4.3.2"
        func algorithm(_ coder: inout DER.Serializer) throws {
            try coder.appendConstructedNode(identifier: .sequence) { try $0.serialize(ecdsaWithSHA256) }
        }
        var tbs = DER.Serializer()
        try tbs.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)   // v2
            try algorithm(&coder)
            try coder.serialize(self.root.subject)
            try coder.serialize(try Self.utcTime(now))
            try coder.serialize(try Self.utcTime(now.addingTimeInterval(86_400)))
            if !revoked.isEmpty {
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    for entry in revoked {
                        try coder.appendConstructedNode(identifier: .sequence) { coder in
                            try coder.serialize(ArraySlice(Self.bytes(ofHex: entry.serial)))
                            try coder.serialize(try Self.utcTime(Date(epochMilliseconds: entry.revoked_at)))
                        }
                    }
                }
            }
            // crlExtensions: the CRL number, growing with time.
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        try coder.serialize(ASN1ObjectIdentifier("2.5.29.20"))
                        var number = DER.Serializer()
                        try number.serialize(Int(now.timeIntervalSince1970))
                        try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(number.serializedBytes)))
                    }
                }
            }
        }
        let signature = try self.rootSigningKey.signature(for: Data(tbs.serializedBytes)).derRepresentation
        var list = DER.Serializer()
        try list.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(tbs.serializedBytes)
            try algorithm(&coder)
            try coder.serialize(ASN1BitString(bytes: ArraySlice(signature)))
        }
        return list.serializedBytes
    }

    static func utcTime(_ date: Date) throws -> UTCTime {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return try UTCTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!)
    }

    static func bytes(ofHex hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    private static func issued(_ row: Row) throws -> IssuedCertificate {
        IssuedCertificate(serial: row.serial, certificate: try Certificate(pemEncoded: row.cert_pem), subject: row.subject, name: row.name,
                          agency: row.agency, notBefore: Date(epochMilliseconds: row.not_before), notAfter: Date(epochMilliseconds: row.not_after),
                          revokedAt: row.revoked_at.map(Date.init(epochMilliseconds:)))
    }
}

enum PKIError: Error, CustomStringConvertible {
    case noRoot

    var description: String { "the root certificate could not be stored or read back" }
}
