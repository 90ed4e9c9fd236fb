import DomainKit
import HTTPTypes
import Hummingbird
import PageKit

/// A page of one form (sign-in, registration, a code, a new password), drawn by `form.mustache`: the errors at the
/// top linking to their fields, a notice, a lead, the fields with their errors beside them, and links on.
struct FormPage {
    struct Hidden { var name: String; var value: String }
    /// A second form of one button under the first (send the code again).
    struct ButtonForm { var action: String; var hidden: [Hidden]; var label: String }

    var frame: PageFrame
    var heading: String
    var errorSummary: ErrorSummary?
    var notice: String?
    var lead: String?
    var action: String
    var csrf: String
    var hidden: [Hidden]
    var fields: [FormField]
    var submit: String
    var also: ButtonForm?
    var links: [PageFrame.Link]

    init(_ visitor: Visitor, title: Phrase, action: String, state: FormState, fields: [FormField], submit: Phrase, notice: Phrase? = nil,
         lead: Phrase? = nil, hidden: [Hidden] = [], also: ButtonForm? = nil, links: [(String, Phrase)] = []) {
        let l = visitor.language
        self.frame = Layout.frame(visitor, title: title)
        self.heading = title(l)
        self.errorSummary = state.summary(l)
        self.notice = notice?(l)
        self.lead = lead?(l)
        self.action = action
        self.csrf = visitor.csrfToken
        self.hidden = hidden
        self.fields = fields
        self.submit = submit(l)
        self.also = also
        self.links = links.map { PageFrame.Link(href: $0.0, label: $0.1(l)) }
    }

    func response(_ visitor: Visitor, status: HTTPResponse.Status = .ok) throws -> Response {
        try Layout.render(visitor, "form", self, status: status)
    }
}

extension FormState {
    /// A field for the `field` partial: the value sent back (never a password's or a code's) and its error.
    func field(_ name: String, _ label: Phrase, _ language: Language, _ input: FieldInput = FieldInput()) -> FormField {
        FormField(name, label: label, language: language, value: input.keepsValue ? self[name] : "", hint: input.hint, type: input.type,
                  autocomplete: input.autocomplete, inputmode: input.inputmode, required: input.required, textarea: input.lines != nil,
                  rows: input.lines ?? 3, options: input.options, accept: input.accept, issues: self.issues)
    }

    /// The list of errors at the top of the form; nil when there are none.
    func summary(_ language: Language) -> ErrorSummary? {
        ErrorSummary(self.issues, language: language, title: .errorSummary)
    }
}
