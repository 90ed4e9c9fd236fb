import DomainKit
import Foundation

/// `GET /v1/reports/settlement`: the periodic settlement report (Decree 118/2025's report on the one-stop
/// mechanism) of an agency and those under it, a row per agency or per procedure.
public struct SettlementReport: Codable, Sendable, Equatable {
    /// `agency` (each agency directly under the one asked for, with everything under it) or `procedure`.
    public enum Grouping: String, Codable, Sendable, CaseIterable { case agency, procedure }

    public struct Row: Codable, Sendable, Equatable {
        /// The agency's or the procedure's code ("" for the total).
        public var key: String
        public var name: String
        /// Received before the period and not settled, refused, withdrawn or stopped before it began.
        public var carriedOver = 0
        /// New in the period by channel: online (the provincial and the national portal), at the counter, by post.
        public var newOnline = 0
        public var newCounter = 0
        public var newPost = 0
        /// With a result in the period, by its timeliness against the appointment (pauses for a supplement or fee
        /// moved the appointment; they are not counted).
        public var settledEarly = 0
        public var settledOnTime = 0
        public var settledLate = 0
        /// Received by the end of the period and still open at its end, within their time or past it.
        public var inProgressWithinTime = 0
        public var inProgressOverdue = 0
        /// Refused, withdrawn by the applicant or stopped during the period.
        public var refused = 0
        public var withdrawn = 0
        public var stopped = 0

        public init(key: String, name: String) {
            self.key = key
            self.name = name
        }

        public var received: Int { self.carriedOver + self.newOnline + self.newCounter + self.newPost }
        public var settled: Int { self.settledEarly + self.settledOnTime + self.settledLate }
        public var inProgress: Int { self.inProgressWithinTime + self.inProgressOverdue }

        public mutating func add(_ other: Row) {
            self.carriedOver += other.carriedOver
            self.newOnline += other.newOnline
            self.newCounter += other.newCounter
            self.newPost += other.newPost
            self.settledEarly += other.settledEarly
            self.settledOnTime += other.settledOnTime
            self.settledLate += other.settledLate
            self.inProgressWithinTime += other.inProgressWithinTime
            self.inProgressOverdue += other.inProgressOverdue
            self.refused += other.refused
            self.withdrawn += other.withdrawn
            self.stopped += other.stopped
        }
    }

    public var agencyCode: String
    public var agencyName: String
    public var from: LocalDate
    public var to: LocalDate
    public var grouping: Grouping
    public var rows: [Row]
    public var total: Row

    public init(agencyCode: String, agencyName: String, from: LocalDate, to: LocalDate, grouping: Grouping, rows: [Row], total: Row) {
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.from = from
        self.to = to
        self.grouping = grouping
        self.rows = rows
        self.total = total
    }
}

/// `GET /v1/reports/indicators`: the figures of Decision 766/QĐ-TTg the system's own data decides, for an agency
/// and those under it, with the same figures month by month and for each agency directly under it.
public struct IndicatorReport: Codable, Sendable, Equatable {
    public struct Figure: Codable, Sendable, Equatable {
        public var indicator: Indicator766
        /// The dossiers the figure counts, out of `of`.
        public var counted: Int
        public var of: Int

        public init(indicator: Indicator766, counted: Int, of: Int) {
            self.indicator = indicator
            self.counted = counted
            self.of = of
        }

        /// The share in percent, nil when nothing was there to count.
        public var percent: Double? { self.of == 0 ? nil : Double(self.counted) * 100 / Double(self.of) }
    }

    public struct Slice: Codable, Sendable, Equatable {
        /// `yyyy-MM` for a month, the agency's code for an agency.
        public var key: String
        public var name: String
        public var figures: [Figure]

        public init(key: String, name: String, figures: [Figure]) {
            self.key = key
            self.name = name
            self.figures = figures
        }

        public func figure(_ indicator: Indicator766) -> Figure? { self.figures.first { $0.indicator == indicator } }
    }

    public var agencyCode: String
    public var agencyName: String
    public var from: LocalDate
    public var to: LocalDate
    public var figures: [Figure]
    /// New dossiers of the period by channel (`online`, `counter`, `post`, `nationalPortal`).
    public var channels: [String: Int]
    public var months: [Slice]
    public var agencies: [Slice]

    public init(agencyCode: String, agencyName: String, from: LocalDate, to: LocalDate, figures: [Figure], channels: [String: Int],
                months: [Slice], agencies: [Slice]) {
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.from = from
        self.to = to
        self.figures = figures
        self.channels = channels
        self.months = months
        self.agencies = agencies
    }

    public func figure(_ indicator: Indicator766) -> Figure? { self.figures.first { $0.indicator == indicator } }
}

/// `GET /v1/reports/dossiers`: the dossiers behind one figure, a keyset page at a time, newest first.
public struct ReportDossierPage: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var id: String
        public var code: String
        public var procedureName: String
        public var agencyCode: String
        public var channel: String
        public var status: DossierStatus
        public var submittedAt: Date
        public var dueAt: Date?
        public var finishedAt: Date?
        public var timeliness: Timeliness?
        public var supplementRounds: Int

        public init(id: String, code: String, procedureName: String, agencyCode: String, channel: String, status: DossierStatus, submittedAt: Date,
                    dueAt: Date?, finishedAt: Date?, timeliness: Timeliness?, supplementRounds: Int) {
            self.id = id
            self.code = code
            self.procedureName = procedureName
            self.agencyCode = agencyCode
            self.channel = channel
            self.status = status
            self.submittedAt = submittedAt
            self.dueAt = dueAt
            self.finishedAt = finishedAt
            self.timeliness = timeliness
            self.supplementRounds = supplementRounds
        }
    }

    public var indicator: Indicator766
    /// `counted`, or `rest` (in the figure's denominator, not counted).
    public var part: Indicator766.Part
    /// The period the figure covers.
    public var from: LocalDate
    public var to: LocalDate
    public var items: [Item]
    public var nextCursor: String?

    public init(indicator: Indicator766, part: Indicator766.Part, from: LocalDate, to: LocalDate, items: [Item], nextCursor: String?) {
        self.indicator = indicator
        self.part = part
        self.from = from
        self.to = to
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// `GET /v1/agencies/{code}/forms/06`: Circular 01/2018 form 06, the agency's register of dossiers (sổ theo dõi hồ sơ):
/// every dossier it received in a period, in order of receipt, a page at a time.
public struct TrackingLog: Codable, Sendable {
    public struct Line: Codable, Sendable {
        public let number: Int
        public let dossierCode: String
        public let procedureName: String
        public let applicantName: String
        public let applicantAddress: String
        public let applicantPhone: String
        public let receivedAt: Date?
        public let appointmentAt: Date?
        public let newAppointment: LocalDate?
        public let finishedAt: Date?
        public let timeliness: String?
        public let deliveredAt: Date?
        public let deliveryMethod: String?
        public let status: String

        public init(number: Int, dossierCode: String, procedureName: String, applicantName: String, applicantAddress: String, applicantPhone: String,
                    receivedAt: Date?, appointmentAt: Date?, newAppointment: LocalDate?, finishedAt: Date?, timeliness: String?, deliveredAt: Date?,
                    deliveryMethod: String?, status: String) {
            self.number = number
            self.dossierCode = dossierCode
            self.procedureName = procedureName
            self.applicantName = applicantName
            self.applicantAddress = applicantAddress
            self.applicantPhone = applicantPhone
            self.receivedAt = receivedAt
            self.appointmentAt = appointmentAt
            self.newAppointment = newAppointment
            self.finishedAt = finishedAt
            self.timeliness = timeliness
            self.deliveredAt = deliveredAt
            self.deliveryMethod = deliveryMethod
            self.status = status
        }
    }

    public let form: String
    public let title: String
    public let agencyCode: String
    public let agencyName: String
    public let from: LocalDate
    public let to: LocalDate
    public let total: Int
    public let page: Int
    public let pageSize: Int
    public let lines: [Line]

    public init(form: String, title: String, agencyCode: String, agencyName: String, from: LocalDate, to: LocalDate, total: Int, page: Int,
                pageSize: Int, lines: [Line]) {
        self.form = form
        self.title = title
        self.agencyCode = agencyCode
        self.agencyName = agencyName
        self.from = from
        self.to = to
        self.total = total
        self.page = page
        self.pageSize = pageSize
        self.lines = lines
    }
}
