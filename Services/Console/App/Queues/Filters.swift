import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The queue's filters as the officer set them in the form above the list (a GET form, so a filtered list has an
/// address to keep or share): the search, channel, status, sector, the step it is at, assignee, procedure and
/// received-date range. A filter the queue itself fixes (the status of "in progress", the assignee of "assigned to
/// me") is neither offered nor passed on. Single-window checks them.
struct Filters: Sendable {
    static let names = ["q", "channel", "status", "sector", "step", "assignedTo", "procedure", "from", "to", "sort"]
    let values: [String: String]
    /// The queue they narrow, whose own filter and order come first (`inboxPairs`).
    let queue: Queue?

    init(_ request: Request, queue: Queue?) {
        self.queue = queue
        var values: [String: String] = [:]
        for name in Self.names where !(queue?.fixes(name) ?? false) {
            if let value = request.query(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty { values[name] = String(value.prefix(200)) }
        }
        self.values = values
    }

    /// As inbox parameters, in a fixed order.
    var pairs: [(String, String)] { Self.names.compactMap { name in self.values[name].map { (name, $0) } } }
    var query: String { FormEncoding.query(self.pairs) }

    /// What single-window's inbox is asked: the queue's filter, these, and the queue's order unless one was chosen.
    var inboxPairs: [(String, String)] {
        let sort = self.values["sort"] == nil ? self.queue.map { [("sort", $0.defaultSort)] } ?? [] : []
        return (self.queue?.inboxQuery ?? []) + self.pairs + sort
    }

    /// The order in force.
    var sort: String { self.values["sort"] ?? self.queue?.defaultSort ?? "due" }

    /// The same filters with one changed (nil: dropped), as a query.
    func query(with name: String, _ value: String?) -> String {
        var values = self.values
        values[name] = value
        return FormEncoding.query(Self.names.compactMap { name in values[name].map { (name, $0) } })
    }

    enum Text {
        static let search = Phrase("Tìm hồ sơ", "Find a dossier")
        static let searchHint = Phrase("Mã hồ sơ, tên người nộp (gõ không dấu cũng được), số định danh, mã số thuế hoặc số điện thoại. Phím /",
                                       "Code, applicant's name (diacritics optional), citizen ID, tax code or phone. Key /")
        static let channel = Phrase("Kênh", "Channel")
        static let anyChannel = Phrase("Mọi kênh", "Any channel")
        static let status = Phrase("Trạng thái", "Status")
        static let anyStatus = Phrase("Mọi trạng thái", "Any status")
        static let sector = Phrase("Lĩnh vực", "Sector")
        static let anySector = Phrase("Mọi lĩnh vực", "Any sector")
        static let step = Phrase("Bước xử lý", "Step")
        static let anyStep = Phrase("Mọi bước", "Any step")
        static let assignee = Phrase("Người xử lý", "Assignee")
        static let anyone = Phrase("Bất kỳ ai", "Anyone")
        static let nobody = Phrase("Chưa giao", "Unassigned")
        static let me = Phrase("Tôi", "Me")
        static let procedure = Phrase("Mã thủ tục", "Procedure code")
        static let from = Phrase("Tiếp nhận từ ngày", "Received from")
        static let to = Phrase("đến ngày", "to")
        static let apply = Phrase("Lọc", "Filter")
        // Short, so that on a phone the list starts on the first screen; the choices are one tap away.
        static let more = Phrase("Bộ lọc khác", "More filters")
        static let clear = Phrase("Bỏ lọc", "Clear")
    }

    /// What the selects offer besides the fixed lists: the catalog's sectors, the steps the agency's open dossiers are
    /// at (with how many), and the agency's staff.
    struct Choices {
        var sectors: [String] = []
        var steps: [String: Int] = [:]
        var staff: [StaffMember] = []
    }

    func form(action: String, choices: Choices, language: Language) -> FilterForm {
        func select(_ name: String, _ label: Phrase, any: Phrase, _ options: [(value: String, label: String)]) -> FilterForm.Select? {
            guard self.queue?.fixes(name) != true else { return nil }
            let chosen = self.values[name]
            // A value typed into the address that the list does not offer is still shown as chosen.
            var all = options
            if let chosen, !options.contains(where: { $0.value == chosen }) { all.append((chosen, chosen)) }
            return FilterForm.Select(id: "f-\(name)", name: name, label: label(language),
                                     options: [FilterForm.Option(value: "", label: any(language), selected: chosen == nil)]
                                        + all.map { FilterForm.Option(value: $0.value, label: $0.label, selected: chosen == $0.value) })
        }
        let open: [DossierStatus] = [.submitted, .received, .processing, .supplementRequested, .awaitingFee, .resultReady]
        let selects = [
            select("channel", Text.channel, any: Text.anyChannel, IntakeChannel.allCases.map { ($0.rawValue, Display.channel($0)(language)) }),
            select("status", Text.status, any: Text.anyStatus, open.map { (String($0.rawValue), Display.status($0, language)) }),
            select("sector", Text.sector, any: Text.anySector, choices.sectors.map { ($0, $0) }),
            select("step", Text.step, any: Text.anyStep, choices.steps.sorted { $0.key < $1.key }.map { ($0.key, "\($0.key) (\($0.value))") }),
            select("assignedTo", Text.assignee, any: Text.anyone,
                   [("none", Text.nobody(language)), ("me", Text.me(language))] + choices.staff.map { ($0.id, $0.fullName) }),
        ].compactMap { $0 }
        return FilterForm(action: action, search: FormField("q", label: Text.search, language: language, value: self.values["q"] ?? "",
                                                            hint: Text.searchHint, type: "search"),
                          selects: selects,
                          procedure: FormField("procedure", label: Text.procedure, language: language, value: self.values["procedure"] ?? ""),
                          from: FormField("from", label: Text.from, language: language, value: self.values["from"] ?? "", type: "date"),
                          to: FormField("to", label: Text.to, language: language, value: self.values["to"] ?? "", type: "date"),
                          sort: self.values["sort"],
                          apply: Text.apply(language), clear: self.values.isEmpty ? nil : Text.clear(language),
                          more: Text.more(language), narrowed: self.values.keys.contains { $0 != "q" && $0 != "sort" })
    }
}

/// The filter form's view (the `queue` template).
struct FilterForm: Sendable {
    struct Option: Sendable { let value: String; let label: String; let selected: Bool }
    struct Select: Sendable { let id: String; let name: String; let label: String; let options: [Option] }
    let action: String
    let search: FormField
    let selects: [Select]
    let procedure: FormField
    let from: FormField
    let to: FormField
    /// The order chosen by a column's heading, kept when the filters change.
    let sort: String?
    let apply: String
    let clear: String?
    /// The filters past the search are folded away until one is set.
    let more: String
    let narrowed: Bool
}
