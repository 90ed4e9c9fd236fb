import DomainKit
import Foundation

/// What an officer asks the applicant to add before processing goes on (Circular 01/2018, form 02).
public struct SupplementRequirement: Codable, Sendable, Equatable {
    /// The documents to add or correct, each named as the applicant will read it.
    public var documents: [String]
    /// The last day the applicant has to hand them in.
    public var deadline: LocalDate

    public init(documents: [String], deadline: LocalDate) {
        self.documents = documents
        self.deadline = deadline
    }
}

/// The result of a settled dossier: the signed document the applicant receives.
public struct DossierResult: Codable, Sendable, Equatable {
    /// The stored file (documents service) holding the signed result.
    public var fileId: String
    /// The result's official number, e.g. "125/GPXD-UBND".
    public var number: String
    /// The leader who signed it.
    public var signer: String
    public var signedOn: LocalDate?
    /// The code of the file's signature in the documents service, printed on the result for a public check;
    /// written by single-window when it checks the result is signed.
    public var verificationCode: String?

    public init(fileId: String, number: String, signer: String, signedOn: LocalDate? = nil, verificationCode: String? = nil) {
        self.fileId = fileId
        self.number = number
        self.signer = signer
        self.signedOn = signedOn
        self.verificationCode = verificationCode
    }
}

/// How the result was handed over.
public struct Handover: Codable, Sendable, Equatable {
    public var method: DeliveryMethod
    /// The postal item's tracking number, for results sent by post.
    public var trackingNumber: String?
    /// Who took the result at the counter (the applicant or their proxy).
    public var recipient: String?
    /// Set by the service when the dossier is delivered.
    public var at: Date?

    public init(method: DeliveryMethod, trackingNumber: String? = nil, recipient: String? = nil, at: Date? = nil) {
        self.method = method
        self.trackingNumber = trackingNumber
        self.recipient = recipient
        self.at = at
    }
}

/// A late dossier's apology and new appointment (Circular 01/2018, form 04).
public struct Apology: Codable, Sendable, Equatable {
    public var reason: String
    public var newAppointment: LocalDate
    public var issuedBy: String
    public var issuedAt: Date

    public init(reason: String, newAppointment: LocalDate, issuedBy: String, issuedAt: Date) {
        self.reason = reason
        self.newAppointment = newAppointment
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
    }
}

/// `POST /v1/dossiers/{id}/apology`: apologise for a late dossier and set a new date.
public struct ApologyRequest: Codable, Sendable, Equatable {
    public var reason: String
    public var newAppointment: LocalDate
    public var expectedVersion: Int

    public init(reason: String, newAppointment: LocalDate, expectedVersion: Int) {
        self.reason = reason
        self.newAppointment = newAppointment
        self.expectedVersion = expectedVersion
    }
}

/// `POST /v1/dossiers/{id}/result-draft`: the officer files the unsigned result and names the leader who signs it.
/// Documents makes the leader a sign request; once signed, the dossier's result is ready by itself.
public struct ResultDraftRequest: Codable, Sendable, Equatable {
    /// The stored file (documents service) holding the result, uploaded by staff of the dossier's agency.
    public var fileId: String
    /// The result's official number, e.g. "15/2026/GCNKH".
    public var number: String
    /// The signer as printed on the result, e.g. "Chủ tịch UBND xã Hòn Tre".
    public var signer: String
    /// The leader's account, who approves the sign request from their phone.
    public var leader: String
    public var expectedVersion: Int
    public var comment: String?

    public init(fileId: String, number: String, signer: String, leader: String, expectedVersion: Int, comment: String? = nil) {
        self.fileId = fileId
        self.number = number
        self.signer = signer
        self.leader = leader
        self.expectedVersion = expectedVersion
        self.comment = comment
    }
}

/// A result waiting for its leader's signature.
public struct ResultDraft: Codable, Sendable, Equatable {
    public var fileId: String
    public var number: String
    public var signer: String
    public var leader: String
    public var requestedBy: String
    public var requestedAt: Date

    public init(fileId: String, number: String, signer: String, leader: String, requestedBy: String, requestedAt: Date) {
        self.fileId = fileId
        self.number = number
        self.signer = signer
        self.leader = leader
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }
}

/// The payload of `dossier.result-drafted`: documents turns it into a sign request for the leader.
public struct ResultDraftedEvent: Codable, Sendable, Equatable {
    public var dossierId: String
    public var code: String
    public var procedureName: String
    public var agencyCode: String
    public var draft: ResultDraft

    public init(dossierId: String, code: String, procedureName: String, agencyCode: String, draft: ResultDraft) {
        self.dossierId = dossierId
        self.code = code
        self.procedureName = procedureName
        self.agencyCode = agencyCode
        self.draft = draft
    }
}
