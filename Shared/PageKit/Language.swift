import DomainKit
import Foundation
import Hummingbird

/// The two languages of every page (DomainKit's `Language`): Vietnamese first, English by the toggle, remembered in a
/// cookie.
extension Language {
    public static let cookieName = "lang"

    /// The visitor's choice from the cookie; Vietnamese when there is none.
    public static func of(_ request: Request) -> Language {
        request.cookies[cookieName].flatMap { Language(rawValue: $0.value) } ?? .vi
    }

    public var other: Language { self == .vi ? .en : .vi }

    /// The name of the language in itself, for the toggle.
    public var ownName: String { self == .vi ? "Tiếng Việt" : "English" }
}

/// One user-facing string in both languages. Every string a page shows is a Phrase, so none is left untranslated.
public struct Phrase: Sendable, Equatable {
    public let vi: String
    public let en: String

    public init(_ vi: String, _ en: String) {
        self.vi = vi
        self.en = en
    }

    public func callAsFunction(_ language: Language) -> String { language == .vi ? self.vi : self.en }

    /// Fills `{0}`, `{1}`… with values (the same in both languages: codes, numbers, names).
    public func with(_ values: String...) -> Phrase {
        func fill(_ text: String) -> String {
            var text = text
            for (index, value) in values.enumerated() { text = text.replacingOccurrences(of: "{\(index)}", with: value) }
            return text
        }
        return Phrase(fill(self.vi), fill(self.en))
    }
}
