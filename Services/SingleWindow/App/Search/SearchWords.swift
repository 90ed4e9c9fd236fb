import DomainKit

/// A search turned into LIKE patterns over keys stored as " word word ": every word must appear as a whole
/// syllable, except the last, which may be a prefix (the person may still be typing it). "gia han" then finds
/// "Gia hạn giấy phép" but not "giấy phép … hàng hóa".
struct SearchWords {
    let patterns: [String]

    init(_ query: String?) {
        let folded = VietnameseText.searchKey(query ?? "").filter { $0 != "%" && $0 != "_" && $0 != "\\" }
        let words = Array(folded.split(separator: " ").map(String.init).prefix(8))
        self.patterns = words.enumerated().map { index, word in index == words.count - 1 ? "% \(word)%" : "% \(word) %" }
    }

    /// The key stored for a text: folded, with a space at each end so that whole words can be matched.
    static func storedKey(_ text: String) -> String { " " + VietnameseText.searchKey(text) + " " }
}
