import DomainKit
import Foundation

/// One printable Circular 01/2018 form of a dossier (`GET /v1/dossiers/{id}/forms/{form}`): its number and title as
/// the circular names them, the agency, and its lines.
public struct DossierForm: Codable, Sendable {
    public struct Document: Codable, Sendable {
        public let name: String
        public let copies: Int
        public let form: String
        public let received: Bool

        public init(name: String, copies: Int, form: String, received: Bool) {
            self.name = name
            self.copies = copies
            self.form = form
            self.received = received
        }
    }

    public struct Step: Codable, Sendable {
        public let at: Date
        public let actor: String
        public let action: String
        public let status: String
        public let comment: String?
        public let detail: String?

        public init(at: Date, actor: String, action: String, status: String, comment: String?, detail: String?) {
            self.at = at
            self.actor = actor
            self.action = action
            self.status = status
            self.comment = comment
            self.detail = detail
        }
    }

    public let form: String
    public let title: String
    public let agencyName: String
    public let dossierCode: String
    public let procedureName: String
    public let applicantName: String
    public let applicantAddress: String
    public let applicantPhone: String
    public var receivedAt: Date?
    public var appointmentAt: Date?
    public var deliveryMethod: String?
    public var documents: [Document]?
    public var reason: String?
    /// Form 02: the documents to add, and the last day to hand them in.
    public var requestedDocuments: [String]?
    public var deadline: LocalDate?
    /// Form 04: the date the applicant is now promised.
    public var newAppointment: LocalDate?
    public var issuedBy: String?
    public var issuedAt: Date?
    public var steps: [Step]?
    /// Form 05: the internal process, whose handovers are the sheet's rows (who handed it to whom, when, on time or late).
    public var process: DossierProcess?

    public init(form: String, title: String, agencyName: String, dossierCode: String, procedureName: String, applicantName: String,
                applicantAddress: String, applicantPhone: String) {
        self.form = form
        self.title = title
        self.agencyName = agencyName
        self.dossierCode = dossierCode
        self.procedureName = procedureName
        self.applicantName = applicantName
        self.applicantAddress = applicantAddress
        self.applicantPhone = applicantPhone
    }
}
