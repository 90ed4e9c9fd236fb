import DomainKit
import Foundation

/// `POST /v1/dossiers`: a new dossier from any channel.
public struct SubmitDossierRequest: Codable, Sendable, Equatable {
    public struct Delivery: Codable, Sendable, Equatable {
        public var method: DeliveryMethod
        public var address: String?

        public init(method: DeliveryMethod, address: String? = nil) {
            self.method = method
            self.address = address
        }
    }

    public var procedureCode: String
    public var agencyCode: String
    public var channel: IntakeChannel
    public var applicant: Applicant
    public var attachments: [Attachment]
    public var delivery: Delivery
    /// At the counter, what the officer decides on the spot; left out, the dossier is received.
    public var decision: CounterDecision?

    public init(procedureCode: String, agencyCode: String, channel: IntakeChannel, applicant: Applicant, attachments: [Attachment],
                delivery: Delivery, decision: CounterDecision? = nil) {
        self.decision = decision
        self.procedureCode = procedureCode
        self.agencyCode = agencyCode
        self.channel = channel
        self.applicant = applicant
        self.attachments = attachments
        self.delivery = delivery
    }
}

/// An officer's decision on a dossier handed in at the counter (Decree 118/2025, the one-stop section's intake):
/// receive it; ask for what is missing (the supplement request, form 02: the legal clock does not start, and the
/// dossier comes back to intake once completed); or refuse it with the reason (form 03).
public struct CounterDecision: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case receive
        case requestSupplement
        case refuse
    }

    public var kind: Kind
    /// Why: required to ask for a supplement or to refuse.
    public var reason: String?
    /// `requestSupplement`: the documents to add and by when.
    public var supplement: SupplementRequirement?

    public init(kind: Kind, reason: String? = nil, supplement: SupplementRequirement? = nil) {
        self.kind = kind
        self.reason = reason
        self.supplement = supplement
    }
}

/// `POST /v1/dossiers/{id}/actions`: a move in the dossier's lifecycle.
public struct DossierActionRequest: Codable, Sendable, Equatable {
    public var action: DossierAction
    /// The version the person saw; a stale one is refused with 409 so no one's change is lost.
    public var expectedVersion: Int
    public var comment: String?
    /// `requestSupplement`: what to add and by when.
    public var supplement: SupplementRequirement?
    /// `supplement`: the documents handed in, added to the dossier's attachments.
    public var attachments: [Attachment]?
    /// `markResultReady`: the signed result.
    public var result: DossierResult?
    /// `deliver`: how the result was handed over; the method defaults to the one the applicant chose.
    public var handover: Handover?
    /// `transfer`: the agency that takes the dossier over.
    public var toAgency: String?
    /// `startProcessing`, `forward`, `sendBack`: the account the next step is handed to (left out: whoever of the
    /// step's role takes it; sent back: whoever did that step).
    public var assignTo: String?

    public init(action: DossierAction, expectedVersion: Int, comment: String? = nil, supplement: SupplementRequirement? = nil,
                attachments: [Attachment]? = nil, result: DossierResult? = nil, handover: Handover? = nil, toAgency: String? = nil,
                assignTo: String? = nil) {
        self.assignTo = assignTo
        self.action = action
        self.expectedVersion = expectedVersion
        self.comment = comment
        self.supplement = supplement
        self.attachments = attachments
        self.result = result
        self.handover = handover
        self.toAgency = toAgency
    }
}

/// One entry of a dossier's history: the data of the processing-control slip (Circular 01/2018, form 05).
public struct DossierEventView: Codable, Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var role: Role
    public var agencyCode: String?
    public var action: String
    public var fromStatus: DossierStatus?
    public var toStatus: DossierStatus
    public var comment: String?
    /// What the action carried, written by the service: the documents asked for and the deadline, the result's
    /// number and signer, the tracking number, the agencies of a transfer.
    public var detail: String?

    public init(at: Date, actor: String, role: Role, agencyCode: String?, action: String, fromStatus: DossierStatus?, toStatus: DossierStatus,
                comment: String?, detail: String? = nil) {
        self.at = at
        self.actor = actor
        self.role = role
        self.agencyCode = agencyCode
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.comment = comment
        self.detail = detail
    }
}

/// A dossier as its applicant and the officers of its agency see it.
public struct DossierView: Codable, Sendable, Equatable {
    public var id: String
    public var code: String
    public var procedureCode: String
    public var procedureName: String
    public var agencyCode: String
    public var channel: IntakeChannel
    public var status: DossierStatus
    public var statusName: String
    public var applicant: Applicant
    public var attachments: [Attachment]
    public var delivery: SubmitDossierRequest.Delivery
    public var submittedBy: String
    public var submittedAt: Date
    public var clock: DossierClock
    public var version: Int
    public var assignedTo: String?
    public var rating: Int?
    /// The latest supplement request, its documents and deadline.
    public var supplementRequest: SupplementRequirement?
    public var result: DossierResult?
    /// A result filed and waiting for its leader's signature.
    public var resultDraft: ResultDraft?
    public var handover: Handover?
    /// The apology and new appointment of a late dossier.
    public var apology: Apology?
    /// Its way through the procedure's internal process: the steps, where it is, each step done.
    public var process: DossierProcess?
    /// What the caller may do now.
    public var allowedActions: [DossierAction]
    public var history: [DossierEventView]

    public init(id: String, code: String, procedureCode: String, procedureName: String, agencyCode: String, channel: IntakeChannel,
                status: DossierStatus, applicant: Applicant, attachments: [Attachment], delivery: SubmitDossierRequest.Delivery,
                submittedBy: String, submittedAt: Date, clock: DossierClock, version: Int, assignedTo: String?, rating: Int?,
                supplementRequest: SupplementRequirement? = nil, result: DossierResult? = nil, resultDraft: ResultDraft? = nil, handover: Handover? = nil,
                apology: Apology? = nil, process: DossierProcess? = nil, allowedActions: [DossierAction], history: [DossierEventView]) {
        self.process = process
        self.id = id
        self.code = code
        self.procedureCode = procedureCode
        self.procedureName = procedureName
        self.agencyCode = agencyCode
        self.channel = channel
        self.status = status
        self.statusName = status.vietnameseName
        self.applicant = applicant
        self.attachments = attachments
        self.delivery = delivery
        self.submittedBy = submittedBy
        self.submittedAt = submittedAt
        self.clock = clock
        self.version = version
        self.assignedTo = assignedTo
        self.rating = rating
        self.supplementRequest = supplementRequest
        self.result = result
        self.resultDraft = resultDraft
        self.handover = handover
        self.apology = apology
        self.allowedActions = allowedActions
        self.history = history
    }
}

/// `GET /v1/lookup/{code}`: what anyone holding the code and the phone's last four digits may see — no personal data.
public struct DossierLookup: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        public var at: Date
        public var status: DossierStatus
        public var statusName: String

        public init(at: Date, status: DossierStatus) {
            self.at = at
            self.status = status
            self.statusName = status.vietnameseName
        }
    }

    public var code: String
    public var procedureName: String
    public var agencyName: String
    public var status: DossierStatus
    public var statusName: String
    public var receivedAt: Date?
    public var dueAt: Date?
    /// The later date the agency promised, with its apology, when the dossier runs late.
    public var newAppointment: LocalDate?
    public var history: [Step]

    public init(code: String, procedureName: String, agencyName: String, status: DossierStatus, receivedAt: Date?, dueAt: Date?,
                newAppointment: LocalDate? = nil, history: [Step]) {
        self.code = code
        self.procedureName = procedureName
        self.agencyName = agencyName
        self.status = status
        self.statusName = status.vietnameseName
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.newAppointment = newAppointment
        self.history = history
    }
}

/// Payload of the `dossier.*` events.
public struct DossierEventPayload: Codable, Sendable, Equatable {
    public var dossierId: String
    public var code: String
    public var procedureCode: String
    public var agencyCode: String
    public var fromStatus: DossierStatus?
    public var toStatus: DossierStatus
    public var applicantPhone: String
    public var applicantEmail: String?
    public var dueAt: Date?
    /// `dossier.result-ready`: the result to sign and deliver.
    public var result: DossierResult?
    /// A move into supplementRequested: what the applicant must add, and by when.
    public var supplementRequest: SupplementRequirement?
    /// For messages to the applicant: the names as they read them, and their account when they applied online.
    public var procedureName: String?
    public var agencyName: String?
    public var applicantAccount: String?
    /// The officer handling it (the account), who hears of its deadline.
    public var assignedTo: String?

    /// `dossier.transferred`: the files the dossier refers to, which documents opens to the agency taking it over.
    public var fileIds: [String]?

    public init(dossierId: String, code: String, procedureCode: String, agencyCode: String, fromStatus: DossierStatus?, toStatus: DossierStatus,
                applicantPhone: String, applicantEmail: String?, dueAt: Date?, result: DossierResult? = nil,
                supplementRequest: SupplementRequirement? = nil, procedureName: String? = nil, agencyName: String? = nil, applicantAccount: String? = nil,
                assignedTo: String? = nil) {
        self.assignedTo = assignedTo
        self.dossierId = dossierId
        self.code = code
        self.procedureCode = procedureCode
        self.agencyCode = agencyCode
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.applicantPhone = applicantPhone
        self.applicantEmail = applicantEmail
        self.dueAt = dueAt
        self.result = result
        self.supplementRequest = supplementRequest
        self.procedureName = procedureName
        self.agencyName = agencyName
        self.applicantAccount = applicantAccount
    }
}

/// `POST /v1/dossiers/{id}/assign`: hand the dossier to an officer of its agency.
public struct AssignRequest: Codable, Sendable, Equatable {
    public var officer: String
    public var expectedVersion: Int

    public init(officer: String, expectedVersion: Int) {
        self.officer = officer
        self.expectedVersion = expectedVersion
    }
}

/// `POST /v1/dossiers/{id}/rating`: the applicant's satisfaction after delivery.
public struct RatingRequest: Codable, Sendable, Equatable {
    /// 1 (very unhappy) to 5 (very satisfied).
    public var score: Int
    public var comment: String?

    public init(score: Int, comment: String? = nil) {
        self.score = score
        self.comment = comment
    }
}

/// One line of an officer's inbox.
public struct InboxItem: Codable, Sendable, Equatable {
    public var id: String
    public var code: String
    public var procedureName: String
    public var applicantName: String
    public var status: DossierStatus
    public var receivedAt: Date?
    public var dueAt: Date?
    public var assignedTo: String?
    /// How it came in: at the counter, online or by post (older answers leave it out).
    public var channel: IntakeChannel?
    /// While the clock is stopped (a supplement or fee awaited) the due date does not count down.
    public var paused: Bool?
    /// The dossier's version, for a change made from the list (`expectedVersion`).
    public var version: Int?
    /// When it was handed in (before it is received, how long it has waited).
    public var submittedAt: Date?
    /// The step of the internal process it is at, and when that step's time runs out.
    public var step: String?
    public var stepDueAt: Date?

    public init(id: String, code: String, procedureName: String, applicantName: String, status: DossierStatus, receivedAt: Date?, dueAt: Date?,
                assignedTo: String?, channel: IntakeChannel? = nil, paused: Bool? = nil, version: Int? = nil, submittedAt: Date? = nil,
                step: String? = nil, stepDueAt: Date? = nil) {
        self.step = step
        self.stepDueAt = stepDueAt
        self.channel = channel
        self.paused = paused
        self.version = version
        self.submittedAt = submittedAt
        self.id = id
        self.code = code
        self.procedureName = procedureName
        self.applicantName = applicantName
        self.status = status
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.assignedTo = assignedTo
    }
}

public struct InboxPage: Codable, Sendable, Equatable {
    public var items: [InboxItem]
    public var total: Int
    public var page: Int
    public var pageSize: Int
    /// Open dossiers of the agency by status code, whatever the other filters.
    public var countsByStatus: [String: Int]
    /// The agency's open dossiers assigned to the caller (`mine`), due within a working day (`dueSoon`) and past
    /// their date (`overdue`), whatever the other filters: the console's navigation shows them.
    public var queueCounts: [String: Int]?
    /// Pass as `after` for the next page; nil on the last.
    public var nextCursor: String?
    /// The agency's open dossiers by the title of the process step they are at, whatever the other filters (the
    /// console's step filter offers these).
    public var countsByStep: [String: Int]?

    public init(items: [InboxItem], total: Int, page: Int, pageSize: Int, countsByStatus: [String: Int], queueCounts: [String: Int]? = nil,
                nextCursor: String? = nil, countsByStep: [String: Int]? = nil) {
        self.countsByStep = countsByStep
        self.queueCounts = queueCounts
        self.nextCursor = nextCursor
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
        self.countsByStatus = countsByStatus
    }
}

/// Settlement statistics of an agency and everything under it, for publication.
public struct DossierStatistics: Codable, Sendable, Equatable {
    public var agencyCode: String
    /// The agencies counted: the agency and its descendants.
    public var agencies: Int
    public var from: LocalDate
    public var to: LocalDate
    /// Received (or submitted) in the period, by channel.
    public var receivedByChannel: [String: Int]
    public var inProgress: Int
    public var overdueInProgress: Int
    /// Settled in the period, by early / onTime / late.
    public var resolved: [String: Int]
    public var supplementRequests: Int
    public var refused: Int
    public var ratings: Int
    public var averageRating: Double?
    /// Dossiers received in each month of the period ("2026-03"), every month present.
    public var receivedByMonth: [String: Int]?

    public init(agencyCode: String, agencies: Int, from: LocalDate, to: LocalDate, receivedByChannel: [String: Int], inProgress: Int,
                overdueInProgress: Int, resolved: [String: Int], supplementRequests: Int, refused: Int, ratings: Int, averageRating: Double?,
                receivedByMonth: [String: Int]? = nil) {
        self.receivedByMonth = receivedByMonth
        self.agencyCode = agencyCode
        self.agencies = agencies
        self.from = from
        self.to = to
        self.receivedByChannel = receivedByChannel
        self.inProgress = inProgress
        self.overdueInProgress = overdueInProgress
        self.resolved = resolved
        self.supplementRequests = supplementRequests
        self.refused = refused
        self.ratings = ratings
        self.averageRating = averageRating
    }
}

/// Payload of `payment.succeeded`, `payment.failed` and `payment.refunded`.
public struct PaymentEventPayload: Codable, Sendable, Equatable {
    public var paymentId: String
    public var dossierId: String
    /// The amount paid, or for a refund the amount given back.
    public var amount: VND
    public var dossierCode: String?
    public var agencyCode: String?
    /// `payment.failed`: declined, user-cancelled, expired, or error.
    public var reason: String?
    /// How it was paid: `gateway` (online, through the bank) or `counter` (cash); absent in events sent before it was said.
    public var method: String?

    public init(paymentId: String, dossierId: String, amount: VND, dossierCode: String? = nil, agencyCode: String? = nil, reason: String? = nil,
                method: String? = nil) {
        self.paymentId = paymentId
        self.dossierId = dossierId
        self.amount = amount
        self.dossierCode = dossierCode
        self.agencyCode = agencyCode
        self.reason = reason
        self.method = method
    }
}

/// `GET /v1/statistics/settled`: a recently settled dossier as the public list shows it — no personal data.
public struct SettledDossier: Codable, Sendable, Equatable {
    public var code: String
    public var procedureName: String
    public var agencyName: String
    public var status: DossierStatus
    public var finishedAt: Date
    public var timeliness: Timeliness?

    public init(code: String, procedureName: String, agencyName: String, status: DossierStatus, finishedAt: Date, timeliness: Timeliness?) {
        self.code = code
        self.procedureName = procedureName
        self.agencyName = agencyName
        self.status = status
        self.finishedAt = finishedAt
        self.timeliness = timeliness
    }
}
