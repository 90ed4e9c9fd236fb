import Foundation

/// The payload of `document.sign-requested`: who is asked to sign what, by whom, until when.
public struct SignRequestEvent: Codable, Sendable, Equatable {
    public var requestId: String
    public var documentId: String
    public var documentName: String
    public var signer: String
    public var requestedBy: String
    public var reason: String?
    public var expiresAt: Date
    /// The dossier whose result this is, when single-window asked for the signature.
    public var dossierId: String?

    public init(requestId: String, documentId: String, documentName: String, signer: String, requestedBy: String, reason: String?, expiresAt: Date,
                dossierId: String? = nil) {
        self.requestId = requestId
        self.documentId = documentId
        self.documentName = documentName
        self.signer = signer
        self.requestedBy = requestedBy
        self.reason = reason
        self.expiresAt = expiresAt
        self.dossierId = dossierId
    }
}

/// The payload of `document.signed`: a stored file got a signature.
public struct DocumentSignedEvent: Codable, Sendable, Equatable {
    public var documentId: String
    /// The signature's place on the file (1 first, then counter-signatures).
    public var number: Int
    /// The signer's account subject.
    public var signer: String
    public var signedAt: Date
    /// The short verification code printed on the result.
    public var code: String
    /// The sign request it answered, if any, and the dossier that request was made for.
    public var signRequestId: String?
    public var dossierId: String?

    public init(documentId: String, number: Int, signer: String, signedAt: Date, code: String, signRequestId: String? = nil, dossierId: String? = nil) {
        self.documentId = documentId
        self.number = number
        self.signer = signer
        self.signedAt = signedAt
        self.code = code
        self.signRequestId = signRequestId
        self.dossierId = dossierId
    }
}

/// The payload of `document.sign-declined`: a sign request ended without a signature, refused by the leader or
/// expired unanswered.
public struct SignDeclinedEvent: Codable, Sendable, Equatable {
    public var requestId: String
    public var documentId: String
    public var dossierId: String?
    /// `refused`, `expired`, or `locked` (wrong codes: the officer asks again).
    public var state: String
    /// Who ended it: the leader, or `system` for an expiry.
    public var by: String
    public var reason: String?

    public init(requestId: String, documentId: String, dossierId: String?, state: String, by: String, reason: String?) {
        self.requestId = requestId
        self.documentId = documentId
        self.dossierId = dossierId
        self.state = state
        self.by = by
        self.reason = reason
    }
}

/// `POST /v1/file-grants` (services only): the files a dossier refers to, checked and opened to the agency that
/// handles it. With `holder`, every file must be the holder's own (uploaded by them, or by staff of their agency);
/// without it (a transfer) the files are only checked to exist. A refusal is a 422 whose `errors` name each refused
/// file id as the field, with the code `file.unknown` or `file.not-yours`.
public struct FileGrantRequest: Codable, Sendable, Equatable {
    public struct Holder: Codable, Sendable, Equatable {
        public var subject: String
        public var agency: String?

        public init(subject: String, agency: String?) {
            self.subject = subject
            self.agency = agency
        }
    }

    public var agency: String
    public var fileIds: [String]
    public var holder: Holder?

    public init(agency: String, fileIds: [String], holder: Holder?) {
        self.agency = agency
        self.fileIds = fileIds
        self.holder = holder
    }
}

/// One signature over a stored file, as its readers see it (`GET /v1/documents/{id}/signatures`).
public struct SignatureView: Codable, Sendable, Equatable {
    public var number: Int
    public var signer: String
    public var serial: String
    public var signedAt: Date
    /// The short code printed on the result; the portal's public check page looks it up.
    public var code: String

    public init(number: Int, signer: String, serial: String, signedAt: Date, code: String) {
        self.number = number
        self.signer = signer
        self.serial = serial
        self.signedAt = signedAt
        self.code = code
    }
}

/// A request to a leader to sign a stored file, as its readers see it (`GET /v1/sign-requests`): documents writes it,
/// the staff console's leader desk reads it.
public struct SignRequest: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var at: Date
        public var actor: String
        public var action: String
        public var detail: String?

        public init(at: Date, actor: String, action: String, detail: String?) {
            self.at = at
            self.actor = actor
            self.action = action
            self.detail = detail
        }
    }

    public var id: String
    public var documentId: String
    public var signer: String
    public var requestedBy: String
    public var reason: String?
    /// The dossier whose result this is, when single-window asked for it.
    public var dossierId: String?
    /// pending, signed, refused, expired or locked.
    public var state: String
    public var createdAt: Date
    public var expiresAt: Date
    public var signature: SignatureView?
    public var audit: [Entry]

    public init(id: String, documentId: String, signer: String, requestedBy: String, reason: String?, dossierId: String?, state: String,
                createdAt: Date, expiresAt: Date, signature: SignatureView?, audit: [Entry]) {
        self.id = id
        self.documentId = documentId
        self.signer = signer
        self.requestedBy = requestedBy
        self.reason = reason
        self.dossierId = dossierId
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.signature = signature
        self.audit = audit
    }
}
