import DomainKit
import Foundation

/// An official document (công văn, quyết định, …) in its issuing agency's outgoing register, with where it went.
public struct OfficialDocument: Codable, Sendable, Equatable {
    public enum Urgency: String, Codable, Sendable, CaseIterable { case normal, urgent, veryUrgent = "very-urgent", flash }
    public enum Confidentiality: String, Codable, Sendable, CaseIterable { case normal, confidential, secret, topSecret = "top-secret" }

    /// One recipient agency: its own incoming number, and whether it has acknowledged.
    public struct Dispatch: Codable, Sendable, Equatable {
        public var id: String
        public var recipient: String
        public var receivedNumber: Int
        public var receivedAt: Date
        public var acknowledgedAt: Date?
        public var acknowledgedBy: String?
        public var assignedTo: String?
        /// The recipient's reply, an official document of its own.
        public var replyId: String?
        /// When the sender last reminded a recipient that had not acknowledged.
        public var remindedAt: Date?

        public init(id: String, recipient: String, receivedNumber: Int, receivedAt: Date, acknowledgedAt: Date? = nil, acknowledgedBy: String? = nil,
                    assignedTo: String? = nil, replyId: String? = nil, remindedAt: Date? = nil) {
            self.id = id
            self.recipient = recipient
            self.receivedNumber = receivedNumber
            self.receivedAt = receivedAt
            self.acknowledgedAt = acknowledgedAt
            self.acknowledgedBy = acknowledgedBy
            self.assignedTo = assignedTo
            self.replyId = replyId
            self.remindedAt = remindedAt
        }
    }

    public var id: String
    public var agency: String
    /// Its number in the agency's outgoing register for the year.
    public var number: Int
    /// Number and symbol, as printed: "15/UBND-VP".
    public var symbol: String
    public var type: String
    /// The excerpt (trích yếu).
    public var excerpt: String
    public var signer: String
    public var issuedOn: LocalDate
    public var urgency: Urgency
    public var confidentiality: Confidentiality
    public var fileIds: [String]
    /// The dispatch this document answers.
    public var replyTo: String?
    public var createdBy: String
    public var createdAt: Date
    public var dispatches: [Dispatch]
    /// The agencies it was drafted for (a document numbered from a draft), which its dispatch goes to.
    public var plannedRecipients: [String]?

    public init(id: String, agency: String, number: Int, symbol: String, type: String, excerpt: String, signer: String, issuedOn: LocalDate,
                urgency: Urgency, confidentiality: Confidentiality, fileIds: [String], replyTo: String?, createdBy: String, createdAt: Date,
                dispatches: [Dispatch], plannedRecipients: [String]? = nil) {
        self.id = id
        self.agency = agency
        self.number = number
        self.symbol = symbol
        self.type = type
        self.excerpt = excerpt
        self.signer = signer
        self.issuedOn = issuedOn
        self.urgency = urgency
        self.confidentiality = confidentiality
        self.fileIds = fileIds
        self.replyTo = replyTo
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.dispatches = dispatches
        self.plannedRecipients = plannedRecipients
    }
}

/// `POST /v1/official-documents`: a document numbered at once (one signed elsewhere).
public struct NewOfficialDocument: Codable, Sendable {
    public var type: String
    public var excerpt: String
    /// The symbol after the number, such as "UBND-VP".
    public var symbol: String
    public var signer: String
    public var issuedOn: LocalDate?
    public var urgency: OfficialDocument.Urgency?
    public var confidentiality: OfficialDocument.Confidentiality?
    public var fileIds: [String]
    public var replyTo: String?

    public init(type: String, excerpt: String, symbol: String, signer: String, issuedOn: LocalDate? = nil, urgency: OfficialDocument.Urgency? = nil,
                confidentiality: OfficialDocument.Confidentiality? = nil, fileIds: [String], replyTo: String? = nil) {
        self.type = type
        self.excerpt = excerpt
        self.symbol = symbol
        self.signer = signer
        self.issuedOn = issuedOn
        self.urgency = urgency
        self.confidentiality = confidentiality
        self.fileIds = fileIds
        self.replyTo = replyTo
    }
}

/// An entry of an agency's incoming register.
public struct IncomingEntry: Codable, Sendable, Equatable {
    public var dispatch: OfficialDocument.Dispatch
    public var document: OfficialDocument

    public init(dispatch: OfficialDocument.Dispatch, document: OfficialDocument) {
        self.dispatch = dispatch
        self.document = document
    }
}

/// `POST /v1/official-documents/drafts`: an outgoing document composed and sent to its leader for signature; the
/// clerk numbers it in the register once signed, then dispatches it to `recipients`.
public struct NewOfficialDraft: Codable, Sendable, Equatable {
    public var type: String
    public var excerpt: String
    /// The symbol after the number, such as "UBND-VP".
    public var symbol: String
    /// The signer as printed ("Chủ tịch Lê Văn Cường").
    public var signer: String
    /// The leader's account, who signs it (their desk's sign requests).
    public var leader: String
    public var urgency: OfficialDocument.Urgency?
    public var confidentiality: OfficialDocument.Confidentiality?
    /// The first is the main file, the one signed.
    public var fileIds: [String]
    public var recipients: [String]
    /// The dispatch it answers.
    public var replyTo: String?

    public init(type: String, excerpt: String, symbol: String, signer: String, leader: String, urgency: OfficialDocument.Urgency? = nil,
                confidentiality: OfficialDocument.Confidentiality? = nil, fileIds: [String], recipients: [String], replyTo: String? = nil) {
        self.type = type
        self.excerpt = excerpt
        self.symbol = symbol
        self.signer = signer
        self.leader = leader
        self.urgency = urgency
        self.confidentiality = confidentiality
        self.fileIds = fileIds
        self.recipients = recipients
        self.replyTo = replyTo
    }
}

/// A composed document before it has a number.
public struct OfficialDraft: Codable, Sendable, Equatable {
    /// `awaitingSignature` while the leader has not answered, `signed` (ready to be numbered), `declined` (refused,
    /// expired or locked: the reason is the sign request's).
    public enum State: String, Codable, Sendable { case awaitingSignature, signed, declined }

    public var id: String
    public var agency: String
    public var draft: NewOfficialDraft
    public var signRequestId: String
    public var state: State
    public var createdBy: String
    public var createdAt: Date

    public init(id: String, agency: String, draft: NewOfficialDraft, signRequestId: String, state: State, createdBy: String, createdAt: Date) {
        self.id = id
        self.agency = agency
        self.draft = draft
        self.signRequestId = signRequestId
        self.state = state
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
