import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The queue's filters as the officer set them in the form above the list (a GET form, so a filtered list has an
/// address to keep or share): the search, channel, procedure and received-date range. Single-window checks them.
struct Filters: Sendable {
    static let names = ["q", "channel", "procedure", "from", "to"]
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for name in Self.names {
            if let value = request.query(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty { values[name] = String(value.prefix(200)) }
        }
        self.values = values
    }

    /// As inbox parameters, in a fixed order.
    var pairs: [(String, String)] { Self.names.compactMap { name in self.values[name].map { (name, $0) } } }
    var query: String { FormEncoding.query(self.pairs) }

    enum Text {
        static let search = Phrase("Tìm hồ sơ", "Find a dossier")
        static let searchHint = Phrase("Mã hồ sơ, tên người nộp (gõ không dấu cũng được), số định danh, mã số thuế hoặc số điện thoại. Phím /",
                                       "Code, applicant's name (diacritics optional), citizen ID, tax code or phone. Key /")
        static let channel = Phrase("Kênh", "Channel")
        static let anyChannel = Phrase("Mọi kênh", "Any channel")
        static let procedure = Phrase("Mã thủ tục", "Procedure code")
        static let from = Phrase("Tiếp nhận từ ngày", "Received from")
        static let to = Phrase("đến ngày", "to")
        static let apply = Phrase("Lọc", "Filter")
        static let more = Phrase("Lọc theo kênh, thủ tục, ngày tiếp nhận", "Filter by channel, procedure, date received")
        static let clear = Phrase("Bỏ lọc", "Clear")
    }

    func form(action: String, language: Language) -> FilterForm {
        let channels = [FilterForm.Option(value: "", label: Text.anyChannel(language), selected: self.values["channel"] == nil)]
            + IntakeChannel.allCases.map { FilterForm.Option(value: $0.rawValue, label: Display.channel($0)(language),
                                                             selected: self.values["channel"] == $0.rawValue) }
        return FilterForm(action: action, search: FormField("q", label: Text.search, language: language, value: self.values["q"] ?? "",
                                                            hint: Text.searchHint, type: "search"),
                          channelLabel: Text.channel(language), channels: channels,
                          procedure: FormField("procedure", label: Text.procedure, language: language, value: self.values["procedure"] ?? ""),
                          from: FormField("from", label: Text.from, language: language, value: self.values["from"] ?? "", type: "date"),
                          to: FormField("to", label: Text.to, language: language, value: self.values["to"] ?? "", type: "date"),
                          apply: Text.apply(language), clear: self.values.isEmpty ? nil : Text.clear(language),
                          more: Text.more(language), narrowed: self.values.keys.contains { $0 != "q" })
    }
}

/// The filter form's view (the `queue` template).
struct FilterForm: Sendable {
    struct Option: Sendable { let value: String; let label: String; let selected: Bool }
    let action: String
    let search: FormField
    let channelLabel: String
    let channels: [Option]
    let procedure: FormField
    let from: FormField
    let to: FormField
    let apply: String
    let clear: String?
    /// The filters past the search are folded away until one is set.
    let more: String
    let narrowed: Bool
}
