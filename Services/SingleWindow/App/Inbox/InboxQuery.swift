import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// What an officer asks of the inbox, read from the query: the agency (their own; an admin may name one), statuses,
/// assignee (or none), deadline window, procedure or its sector, the step it is at, channel, received-date range and a
/// search. Each bad value is a 400 naming
/// the parameter. The inbox page and its CSV export read the same filter, so the export is exactly the list shown.
struct InboxQuery: Sendable {
    static let open: [DossierStatus] = [.submitted, .received, .processing, .supplementRequested, .awaitingFee, .resultReady]

    let agency: String
    let statuses: [Int]
    let assignee: String?
    /// The clock runs (not paused) and the due date falls in [from, before).
    let dueWindow: (from: Int64?, before: Int64)?
    let procedure: String?
    let channel: IntakeChannel?
    /// Received on or after / before (epoch milliseconds, Vietnam days).
    let receivedFrom: Int64?
    let receivedBefore: Int64?
    /// LIKE patterns over `search_key`: every word of the search must be there.
    let patterns: [String]
    /// The sector of the procedure, as the catalog names it ("Hộ tịch").
    let sector: String?
    /// The title of the internal process step the dossier is at ("Chuyên viên thẩm định").
    let step: String?
    /// Only dossiers no one has been assigned (`assignedTo=none`).
    let unassigned: Bool
    let sort: InboxSort

    init(_ request: Request, identity: Identity, calendar: WorkingCalendar, now: Date) throws {
        if identity.has(.admin), let requested = request.query("agency") { self.agency = requested } else {
            guard let own = identity.agency else { throw Problem.forbidden("Your account has no agency; ask an administrator.") }
            self.agency = own
        }
        var statuses = Self.open
        if let text = request.query("status"), !text.isEmpty {
            // One status or several, comma-separated ("2,4": received and being processed).
            let parsed = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)).flatMap(DossierStatus.init(rawValue:)) }
            guard !parsed.isEmpty, !parsed.contains(where: { $0 == nil }) else { throw Problem.badRequest("status must be status codes 1-10, comma-separated.") }
            statuses = parsed.compactMap { $0 }
        }
        self.statuses = statuses.map(\.rawValue)
        let assignee = request.query("assignedTo").flatMap { $0.isEmpty ? nil : $0 }
        self.unassigned = assignee == "none"
        self.assignee = assignee == "none" ? nil : assignee == "me" ? identity.subject : assignee
        switch request.query("due") {
        case nil, "": self.dueWindow = nil
        case "overdue": self.dueWindow = (nil, now.epochMilliseconds)
        // Due within the next working day, not yet late.
        case "soon": self.dueWindow = (now.epochMilliseconds, calendar.adding(workingDays: 1, to: now).epochMilliseconds)
        default: throw Problem.badRequest("due must be soon or overdue.")
        }
        self.procedure = request.query("procedure").flatMap { $0.isEmpty ? nil : $0 }
        if let text = request.query("channel"), !text.isEmpty {
            guard let channel = IntakeChannel(rawValue: text) else {
                throw Problem.badRequest("channel must be one of " + IntakeChannel.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            self.channel = channel
        } else {
            self.channel = nil
        }
        self.receivedFrom = try request.dateQuery("from").map { $0.instant().epochMilliseconds }
        self.receivedBefore = try request.dateQuery("to").map { $0.adding(days: 1).instant().epochMilliseconds }
        self.patterns = Self.patterns(request.query("q"))
        func text(_ name: String) throws -> String? {
            guard let text = request.query(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard text.count <= 200 else { throw Problem.badRequest("\(name) must be at most 200 characters.") }
            return text
        }
        self.sector = try text("sector")
        self.step = try text("step")
        guard let sort = InboxSort(rawValue: request.query("sort").flatMap { $0.isEmpty ? nil : $0 } ?? InboxSort.due.rawValue) else {
            throw Problem.badRequest("sort must be one of " + InboxSort.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        self.sort = sort
    }

    /// A search by code, name (without diacritics), citizen ID, tax code or phone. A phone or an ID typed with spaces
    /// or dots ("0912 345 678") is searched as its digits.
    static func patterns(_ query: String?) -> [String] {
        guard let query, !query.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        let digits = query.filter(\.isNumber)
        if digits.count >= 6, query.allSatisfy({ $0.isNumber || $0 == " " || $0 == "." || $0 == "+" }) {
            return ["% \(digits)%"]
        }
        return SearchWords(query).patterns
    }

    /// What a dossier is found by: its code, the applicant's and organisation's names folded, the citizen ID, tax
    /// code and phone digits (`dossiers.search_key`).
    static func searchKey(_ dossier: StoredDossier) -> String {
        let applicant = dossier.applicant
        let texts = [dossier.code, applicant.fullName, applicant.organisationName ?? "", applicant.citizenId ?? "", applicant.taxCode ?? "",
                     applicant.phone.filter(\.isNumber), applicant.proxy?.fullName ?? ""]
        // Punctuation separates words, as in a search: the code 000.55.01.H33-261207-0006 is found by "261207-0006".
        return " " + SearchWords.words(of: VietnameseText.searchKey(texts.joined(separator: " "))).joined(separator: " ") + " "
    }

    func apply(to select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select.where("agency_code", .equal, self.agency).where("status", .in, self.statuses)
        if let assignee { select = select.where("assigned_to", .equal, assignee) }
        if self.unassigned { select = select.where("assigned_to", .is, SQLLiteral.null) }
        if let sector {
            select = select.where(SQLQueryString("procedure_code IN (SELECT code FROM procedures WHERE sector = \(bind: sector))"))
        }
        if let step { select = select.where("step_title", .equal, step) }
        if let window = self.dueWindow {
            select = select.where("due_at", .lessThan, window.before).where("paused_at", .is, SQLLiteral.null)
            if let from = window.from { select = select.where("due_at", .greaterThanOrEqual, from) }
        }
        if let procedure { select = select.where("procedure_code", .equal, procedure) }
        if let channel { select = select.where("channel", .equal, channel.rawValue) }
        if let receivedFrom { select = select.where("received_at", .greaterThanOrEqual, receivedFrom) }
        if let receivedBefore { select = select.where("received_at", .lessThan, receivedBefore) }
        for pattern in self.patterns { select = select.where("search_key", .like, pattern) }
        return select
    }
}

/// The inbox's orders: the nearest due date first (the default; a dossier without one last), or by when it was handed
/// in, oldest or newest first; `-` turns an order round. Each ends on the id, so that every row has one place.
enum InboxSort: String, CaseIterable, Sendable {
    case due, dueDescending = "-due", submitted, submittedDescending = "-submitted"

    static let dueKey = SQLRaw("COALESCE(due_at, 9223372036854775807)")

    var descending: Bool { self == .dueDescending || self == .submittedDescending }

    /// The keys before the id, as expressions.
    var keys: [any SQLExpression] {
        switch self {
        case .due, .dueDescending: [Self.dueKey, SQLColumn("submitted_at")]
        case .submitted, .submittedDescending: [SQLColumn("submitted_at")]
        }
    }

    func apply(to select: SQLSelectBuilder) -> SQLSelectBuilder {
        let direction: SQLDirection = self.descending ? .descending : .ascending
        var select = select
        for key in self.keys { select = select.orderBy(key, direction) }
        return select.orderBy(SQLColumn("id"), direction)
    }
}

/// Where a page of the inbox ends: the last row's sort keys (its due date, or the largest value when it has none,
/// and its submission time; or only the submission time) and id, as one opaque URL-safe text. A made-up one, or one
/// of another order, is refused with 400.
struct InboxCursor: Sendable {
    let sort: InboxSort
    let values: [Int64]
    let id: String

    init(sort: InboxSort, dueKey: Int64, submittedAt: Int64, id: String) {
        self.sort = sort
        self.values = sort.keys.count == 2 ? [dueKey, submittedAt] : [submittedAt]
        self.id = id
    }

    init(text: String, sort: InboxSort) throws {
        let count = sort.keys.count
        let parts = text.split(separator: "~", maxSplits: count).map(String.init)
        let values = parts.prefix(count).compactMap { Int64($0) }
        guard parts.count == count + 1, values.count == count, let id = parts.last, !id.isEmpty, id.count <= 64,
              id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw Problem.badRequest("after must be the nextCursor of an earlier answer in the same order.")
        }
        self.sort = sort
        self.values = values
        self.id = id
    }

    var text: String { (self.values.map(String.init) + [self.id]).joined(separator: "~") }

    /// Rows after this one in the inbox's order: the first key past this row's, or equal and the next key past, … and
    /// at last the id.
    var condition: SQLQueryString {
        let after: SQLQueryString = self.sort.descending ? " < " : " > "
        var condition: SQLQueryString = "id\(after)\(bind: self.id)"
        for (key, value) in zip(self.sort.keys, self.values).reversed() {
            condition = "(\(key)\(after)\(bind: value) OR (\(key) = \(bind: value) AND \(condition)))"
        }
        return condition
    }
}

/// What an inbox row shows, kept as columns of `dossiers` beside the body so that a page of the list is read without
/// decoding each dossier: the procedure's and applicant's names and the step of the internal process it is at.
struct InboxColumns {
    let procedureName: String
    let applicantName: String
    let stepTitle: String?
    let stepDueAt: Int64?

    init(_ dossier: StoredDossier) {
        self.procedureName = dossier.procedureName
        self.applicantName = dossier.applicant.fullName
        let open = dossier.process.flatMap { $0.isFinished ? nil : $0 }
        self.stepTitle = open?.step.title
        self.stepDueAt = open?.dueAt.epochMilliseconds
    }
}
