import DomainKit
import Foundation
import ServiceKit

/// What the `layout` template needs around every screen: language, title, navigation with counts, who is signed in,
/// the CSRF token for the sign-out form, and a notice or alert to show once.
public struct PageFrame: Sendable {
    public struct NavItem: Sendable {
        public var href: String
        public var label: String
        /// Shown as a badge beside the label ("12"); nil shows none.
        public var count: String?
        public var current: Bool
        /// `aria-keyshortcuts`, when the page's script binds a key to it.
        public var shortcut: String?

        public init(href: String, label: String, count: Int? = nil, current: Bool = false, shortcut: String? = nil) {
            self.href = href
            self.label = label
            self.count = count.map(String.init)
            self.current = current
            self.shortcut = shortcut
        }
    }

    public struct Link: Sendable {
        public var href: String
        public var label: String
        /// The language of the label, when it is not the page's (the language toggle's); "" otherwise.
        public var lang: String

        public init(href: String, label: String, lang: String = "") {
            self.href = href
            self.label = label
            self.lang = lang
        }
    }

    /// Links on a line of their own under the footer's text, separated by dots.
    public struct FooterLinks: Sendable {
        public struct Item: Sendable {
            public var href: String
            public var label: String
            /// Every link but the first has a dot before it.
            public var separator: Bool
        }
        public var links: [Item]

        public init(_ links: [(href: String, label: String)]) {
            self.links = links.enumerated().map { Item(href: $0.element.href, label: $0.element.label, separator: $0.offset > 0) }
        }
    }

    public struct Action: Sendable {
        public var action: String
        public var label: String
    }

    public var lang: String
    public var title: String
    public var siteName: String
    public var homeHref: String
    public var stylesheet: String
    public var script: String?
    public var bodyClass: String
    public var csrf: String
    public var skipLabel: String
    public var navLabel: String
    public var nav: [NavItem]
    public var user: String?
    public var signOut: Action?
    public var languageToggle: Link
    public var notice: String?
    public var alert: String?
    public var footer: String
    public var footerLinks: FooterLinks?
    /// Seconds after which the browser loads the page again (a payment still waiting for the bank); nil for never.
    public var refresh: Int?
    /// The keyboard shortcuts, shown by the "?" key (and the button beside the navigation) when the site has any.
    public var help: Help?

    public struct Help: Sendable {
        public struct Key: Sendable {
            public var keys: String
            public var does: String
            public init(keys: String, does: String) { self.keys = keys; self.does = does }
        }
        public var title: String
        public var open: String
        public var close: String
        public var keys: [Key]
        public init(title: String, open: String, close: String, keys: [Key]) {
            self.title = title
            self.open = open
            self.close = close
            self.keys = keys
        }
    }

    public init(language: Language, title: Phrase, siteName: Phrase, homeHref: String, stylesheet: String, script: String?, csrf: String,
                path: String, nav: [NavItem], user: String?, signOut: String?, footer: Phrase, notice: String? = nil, alert: String? = nil,
                bodyClass: String = "") {
        self.lang = language.rawValue
        self.title = title(language)
        self.siteName = siteName(language)
        self.homeHref = homeHref
        self.stylesheet = stylesheet
        self.script = script
        self.bodyClass = bodyClass
        self.csrf = csrf
        self.skipLabel = Phrase("Bỏ qua, đến nội dung chính", "Skip to main content")(language)
        self.navLabel = Phrase("Điều hướng chính", "Main navigation")(language)
        self.nav = nav
        self.user = user
        self.signOut = signOut.map { Action(action: $0, label: Phrase("Đăng xuất", "Sign out")(language)) }
        let other = language.other
        self.languageToggle = Link(href: "/language/\(other.rawValue)?next=" + FormEncoding.encode(path),
                                   label: other.ownName, lang: other.rawValue)
        self.notice = notice
        self.alert = alert
        self.footer = footer(language)
        self.footerLinks = nil
        self.refresh = nil
        self.help = nil
    }
}

/// One form field for the `field` partial: label, hint and error tied to the input by `aria-describedby`.
public struct FormField: Sendable {
    public var name: String
    public var label: String
    public var hint: String?
    public var error: String?
    public var value: String
    public var type: String
    public var autocomplete: String?
    public var inputmode: String?
    public var required: Bool
    public var textarea: Bool
    /// A choice among these, drawn as a `<select>` (`select` says there is one, for the template).
    public var options: [Option]
    public var select: Bool
    /// The hint's and the error's ids, for `aria-describedby` (stored: templates see stored properties only).
    public var describedBy: String?
    /// A file input's types offered (`.pdf,.png`).
    public var accept: String?
    /// A textarea's height in lines.
    public var rows: Int
    /// Choices under headings (`<optgroup>`), after the `options` without one.
    public var groups: [OptionGroup]

    public init(_ name: String, label: Phrase, language: Language, value: String = "", hint: Phrase? = nil, type: String = "text",
                autocomplete: String? = nil, inputmode: String? = nil, required: Bool = false, textarea: Bool = false, rows: Int = 3,
                options: [Option] = [], groups: [OptionGroup] = [], accept: String? = nil, issues: [FieldIssue] = []) {
        func chosen(_ options: [Option]) -> [Option] { options.map { Option(value: $0.value, label: $0.label, selected: $0.value == value) } }
        self.accept = accept
        self.rows = rows
        self.options = chosen(options)
        self.groups = groups.map { OptionGroup(label: $0.label, options: chosen($0.options)) }
        self.select = !options.isEmpty || !groups.isEmpty
        self.name = name
        self.label = label(language)
        self.hint = hint?(language)
        self.error = issues.first { $0.field == name }.map { language == .vi ? $0.vi : $0.en }
        self.value = value
        self.type = type
        self.autocomplete = autocomplete
        self.inputmode = inputmode
        self.required = required
        self.textarea = textarea
        let ids = [self.hint.map { _ in "f-\(name)-hint" }, self.error.map { _ in "f-\(name)-error" }].compactMap { $0 }
        self.describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

extension FormField {
    /// One choice of a `<select>`; the one whose value is the field's is selected.
    public struct Option: Sendable {
        public var value: String
        public var label: String
        public var selected: Bool

        public init(value: String, label: String, selected: Bool = false) {
            self.value = value
            self.label = label
            self.selected = selected
        }
    }
}

extension FormField {
    /// Choices under one heading of a `<select>`.
    public struct OptionGroup: Sendable {
        public var label: String
        public var options: [Option]

        public init(label: String, options: [Option]) {
            self.label = label
            self.options = options
        }

        /// The agencies by level (the province, its departments, the districts), each level a heading, for a choice of agency.
        public static func agencies(_ agencies: [Agency], language: Language) -> [OptionGroup] {
            [AgencyLevel.province, .department, .district].compactMap { level in
                let group = agencies.filter { $0.level == level }
                guard !group.isEmpty else { return nil }
                return OptionGroup(label: Display.agencyLevel(level)(language), options: group.map { Option(value: $0.code, label: $0.name) })
            }
        }
    }
}

/// One labelled value of a table of facts about a thing (a dossier, a procedure, an account), a row of the `fact`
/// partial; `strong` for the one or two the reader looks for first (the code, the status).
public struct Fact: Sendable {
    public var label: String
    public var value: String
    public var strong: Bool

    public init(label: String, value: String, strong: Bool = false) {
        self.label = label
        self.value = value
        self.strong = strong
    }
}

/// The list of problems at the top of a form that was refused, each linking to its field (the `errors` partial).
public struct ErrorSummary: Sendable {
    public struct Item: Sendable {
        public var field: String
        public var message: String
    }

    public var title: String
    public var items: [Item]

    public static let cannotSave = Phrase("Chưa thể lưu: xin sửa các mục sau", "This could not be saved: please correct the following")

    /// nil when there is nothing to say, so the partial shows nothing. `title` heads the list (a form that saves
    /// nothing, such as a sign-in, says so in its own words).
    public init?(_ issues: [FieldIssue], language: Language, title: Phrase = cannotSave) {
        guard !issues.isEmpty else { return nil }
        self.title = title(language)
        self.items = issues.map { Item(field: $0.field, message: language == .vi ? $0.vi : $0.en) }
    }
}
