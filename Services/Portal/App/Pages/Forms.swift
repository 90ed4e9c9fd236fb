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

/// Form parts written once: a labelled input with its hint and error tied to it by `aria-describedby`, the CSRF
/// field, and the summary of errors at the top that links to each field.
enum FormHTML {
    struct Input {
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

    static func field(_ name: String, _ label: Phrase, _ state: FormState, _ language: Language, _ input: Input = Input()) -> String {
        let id = "f-" + name
        var described: [String] = []
        var parts = "<label for=\"\(id)\">\(HTML.escape(label(language)))</label>"
        if let hint = input.hint {
            parts += "<span class=\"hint\" id=\"\(id)-hint\">\(HTML.escape(hint(language)))</span>"
            described.append("\(id)-hint")
        }
        let issue = state.issue(name)
        if let issue {
            parts += "<span class=\"error\" id=\"\(id)-error\">\(HTML.escape(issue.text(language)))</span>"
            described.append("\(id)-error")
        }
        var attributes = "id=\"\(id)\" name=\"\(name)\" type=\"\(input.type)\""
        if input.keepsValue { attributes += " value=\"\(HTML.escape(state[name]))\"" }
        if let autocomplete = input.autocomplete { attributes += " autocomplete=\"\(autocomplete)\"" }
        if let inputmode = input.inputmode { attributes += " inputmode=\"\(inputmode)\"" }
        if let accept = input.accept { attributes += " accept=\"\(accept)\"" }
        if input.required { attributes += " required" }
        if !described.isEmpty { attributes += " aria-describedby=\"\(described.joined(separator: " "))\"" }
        if issue != nil { attributes += " aria-invalid=\"true\"" }
        return "<div class=\"field\(issue == nil ? "" : " invalid")\">\(parts)<input \(attributes)></div>"
    }

    static func csrf(_ visitor: Visitor) -> String {
        "<input type=\"hidden\" name=\"\(CSRFGuard.fieldName)\" value=\"\(visitor.csrfToken)\">"
    }

    static func summary(_ state: FormState, _ language: Language) -> String {
        guard !state.issues.isEmpty else { return "" }
        let items = state.issues.map { "<li><a href=\"#f-\($0.field)\">\(HTML.escape($0.text(language)))</a></li>" }.joined()
        return "<div class=\"alert\" role=\"alert\" tabindex=\"-1\"><h2>\(HTML.escape(Phrase.errorSummary(language)))</h2><ul>\(items)</ul></div>"
    }

    static func notice(_ phrase: Phrase, _ language: Language) -> String {
        "<div class=\"notice\" role=\"status\">\(HTML.escape(phrase(language)))</div>"
    }
}
