import Contracts
import DomainKit
import Foundation
import PageKit

/// The queue's columns after the dossier's code, which each person chooses for themselves (`StaffPreferences`,
/// "queue.columns"); everyone starts with all of them.
enum QueueColumn: String, CaseIterable, Sendable {
    case procedure, applicant, channel, received, due, status, assignee

    static let preference = "queue.columns"

    var label: Phrase {
        switch self {
        case .procedure: QueueController.Text.procedure
        case .applicant: QueueController.Text.applicant
        case .channel: QueueController.Text.channel
        case .received: QueueController.Text.received
        case .due: QueueController.Text.due
        case .status: QueueController.Text.status
        case .assignee: QueueController.Text.assignee
        }
    }

    /// The class its heading and cells carry.
    var className: String { "col-" + self.rawValue }

    /// The inbox orders its heading sorts by (ascending, descending), for the columns that sort.
    var sorts: (ascending: String, descending: String)? {
        switch self {
        case .due: ("due", "-due")
        case .received: ("submitted", "-submitted")
        default: nil
        }
    }

    /// The columns a stored choice names, in the table's order; all of them when there is none (or it names nothing known).
    static func chosen(_ stored: String?) -> [QueueColumn] {
        let names = Set((stored ?? "").split(separator: ",").map(String.init))
        let chosen = Self.allCases.filter { names.contains($0.rawValue) }
        return chosen.isEmpty ? Self.allCases : chosen
    }

    /// The choice as stored.
    static func stored(_ columns: [QueueColumn]) -> String { columns.map(\.rawValue).joined(separator: ",") }
}

/// A column's heading: a link that sorts by it (again: the other way round), marked with the order in force.
struct QueueHeader: Sendable {
    let label: String
    /// The column's class (`col-due`), as its cells have it; nil for the code's heading.
    let className: String?
    let href: String?
    let hint: String?
    let ariaSort: String?
    let arrow: String?

    static let sortBy = Phrase("Sắp xếp theo cột này", "Sort by this column")

    init(label: String) {
        (self.label, self.className, self.href, self.hint, self.ariaSort, self.arrow) = (label, nil, nil, nil, nil, nil)
    }

    init(_ column: QueueColumn, base: String, filters: Filters, language: Language) {
        self.label = column.label(language)
        self.className = column.className
        guard let sorts = column.sorts else {
            (self.href, self.hint, self.ariaSort, self.arrow) = (nil, nil, nil, nil)
            return
        }
        let current = filters.sort
        let next = current == sorts.ascending ? sorts.descending : sorts.ascending
        self.href = base + filters.query(with: "sort", next == filters.queue?.defaultSort ?? "due" ? nil : next)
        self.hint = Self.sortBy(language)
        self.ariaSort = current == sorts.ascending ? "ascending" : current == sorts.descending ? "descending" : nil
        self.arrow = current == sorts.ascending ? "▲" : current == sorts.descending ? "▼" : nil
    }
}

/// One cell of a queue row: its text, and a second line under it (the working days left, the step).
struct QueueCell: Sendable {
    let text: String
    /// Its classes: the column's (`col-due`, which the stylesheet hides on a phone for some) and the cell's own.
    var style: String
    let sub: String?
    let subStyle: String
}

/// The form that chooses the columns, folded under the table.
struct ColumnsForm: Sendable {
    struct Choice: Sendable { let name: String; let id: String; let label: String; let checked: Bool }
    let action: String
    let title: String
    let choices: [Choice]
    let button: String
    let csrf: String

    init(action: String, chosen: [QueueColumn], csrf: String, language: Language) {
        self.action = action
        self.title = Phrase("Chọn cột hiển thị", "Choose the columns")(language)
        self.choices = QueueColumn.allCases.map {
            Choice(name: "column-\($0.rawValue)", id: "column-\($0.rawValue)", label: $0.label(language), checked: chosen.contains($0))
        }
        self.button = Phrase("Lưu lựa chọn", "Keep this choice")(language)
        self.csrf = csrf
    }
}
