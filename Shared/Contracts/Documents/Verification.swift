import Foundation

/// What checking one signature found, with the reason when it is not valid (`POST /v1/verify`, `GET /v1/verify/{code}`).
public struct SignatureVerification: Codable, Sendable, Equatable {
    public var valid: Bool
    /// `intact`, or `altered` when the file is not the one that was signed.
    public var integrity: String
    /// `trusted` (issued by this province's CA and valid at the signing time), `untrusted`, or `unknown`.
    public var chain: String
    /// `good`, `revoked`, or `unknown` (a certificate this CA did not issue).
    public var revocation: String
    public var signerName: String?
    public var agency: String?
    public var serial: String?
    public var signingTime: Date?
    public var reason: String?

    public init(valid: Bool, integrity: String, chain: String, revocation: String, signerName: String?, agency: String?, serial: String?,
                signingTime: Date?, reason: String?) {
        self.valid = valid
        self.integrity = integrity
        self.chain = chain
        self.revocation = revocation
        self.signerName = signerName
        self.agency = agency
        self.serial = serial
        self.signingTime = signingTime
        self.reason = reason
    }
}

/// A document's signatures checked: which file, and each signature's verdict.
public struct DocumentVerification: Codable, Sendable, Equatable {
    public var document: String?
    public var name: String?
    public var verifications: [SignatureVerification]

    public init(document: String?, name: String?, verifications: [SignatureVerification]) {
        self.document = document
        self.name = name
        self.verifications = verifications
    }
}
