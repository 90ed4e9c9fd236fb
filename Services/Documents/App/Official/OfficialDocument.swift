import DomainKit
import Foundation

/// An official document (công văn, quyết định, …) in its issuing agency's outgoing register, with where it went.
struct OfficialDocument: Codable, Sendable, Equatable {
    enum Urgency: String, Codable, Sendable, CaseIterable { case normal, urgent, veryUrgent = "very-urgent", flash }
    enum Confidentiality: String, Codable, Sendable, CaseIterable { case normal, confidential, secret, topSecret = "top-secret" }

    /// One recipient agency: its own incoming number, and whether it has acknowledged.
    struct Dispatch: Codable, Sendable, Equatable {
        var id: String
        var recipient: String
        var receivedNumber: Int
        var receivedAt: Date
        var acknowledgedAt: Date?
        var acknowledgedBy: String?
        var assignedTo: String?
        /// The recipient's reply, an official document of its own.
        var replyId: String?
    }

    var id: String
    var agency: String
    /// Its number in the agency's outgoing register for the year.
    var number: Int
    /// Number and symbol, as printed: "15/UBND-VP".
    var symbol: String
    var type: String
    /// The excerpt (trích yếu).
    var excerpt: String
    var signer: String
    var issuedOn: LocalDate
    var urgency: Urgency
    var confidentiality: Confidentiality
    var fileIds: [String]
    /// The dispatch this document answers.
    var replyTo: String?
    var createdBy: String
    var createdAt: Date
    var dispatches: [Dispatch]
}

/// `POST /v1/official-documents`.
struct NewOfficialDocument: Codable, Sendable {
    var type: String
    var excerpt: String
    /// The symbol after the number, such as "UBND-VP".
    var symbol: String
    var signer: String
    var issuedOn: LocalDate?
    var urgency: OfficialDocument.Urgency?
    var confidentiality: OfficialDocument.Confidentiality?
    var fileIds: [String]
    var replyTo: String?
}

/// An entry of an agency's incoming register.
struct IncomingEntry: Codable, Sendable, Equatable {
    var dispatch: OfficialDocument.Dispatch
    var document: OfficialDocument
}
