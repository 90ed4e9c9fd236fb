import DomainKit
import PageKit

/// What a form was sent with and what was wrong with it, to show it again with each error next to its field.
struct FormState: Sendable {
    var values: [String: String] = [:]
    var issues: [FieldIssue] = []

    func issue(_ field: String) -> FieldIssue? { self.issues.first { $0.field == field } }
    subscript(_ field: String) -> String { self.values[field] ?? "" }
}

extension FieldIssue {
    func text(_ language: Language) -> String { language == .vi ? self.vi : self.en }
}

extension Phrase {
    static let errorSummary = Phrase("Có lỗi cần sửa", "There is a problem")
}

/// How a field is drawn by PageKit's `field` partial (`FormState.field`): its input's type, hints to the browser, and
/// whether what was typed is sent back.
struct FieldInput {
    var type = "text"
    var autocomplete: String?
    var inputmode: String?
    var hint: Phrase?
    var required = true
    /// Passwords are never sent back into the page.
    var keepsValue = true
    /// File inputs: the types offered.
    var accept: String?
    /// A textarea of this many lines instead of an input.
    var lines: Int?
    /// A choice among these, as a `<select>`.
    var options: [FormField.Option] = []
}
