import DomainKit

/// A search turned into LIKE patterns over keys stored as " word word ": every word must appear as a whole
/// syllable, except the last, which may be a prefix (the person may still be typing it). "gia han" then finds
/// "Gia hạn giấy phép" but not "giấy phép … hàng hóa".
struct SearchWords: Sendable {
    /// The folded words; every one must be a whole word of the text, except the last, which may begin one.
    let words: [String]

    init(_ query: String?) {
        let folded = VietnameseText.searchKey(query ?? "").filter { $0 != "%" && $0 != "_" && $0 != "\\" }
        self.words = Array(Self.words(of: folded).prefix(8))
    }

    /// The words of a folded text: punctuation separates them like spaces, so "(lien thong)" holds "lien" and
    /// "thong" and a search for "lien" finds it.
    static func words(of key: some StringProtocol) -> [String] {
        key.split(whereSeparator: { (character: Character) in !(character.isLetter || character.isNumber) }).map { String($0) }
    }

    /// The same as SQL LIKE patterns over stored keys, for searches the database runs (agency names); the catalog
    /// is searched in memory with `WordIndex`.
    var patterns: [String] {
        self.words.enumerated().map { index, word in index == self.words.count - 1 ? "% \(word)%" : "% \(word) %" }
    }

    /// The key stored for a text: folded, with a space at each end so that whole words can be matched.
    static func storedKey(_ text: String) -> String { " " + VietnameseText.searchKey(text) + " " }
}

/// Which of a list of texts hold which words: the in-memory counterpart of the LIKE patterns, answering a search
/// with a bit per text instead of scanning each one.
struct WordIndex: Sendable {
    private let postings: [String: [Int]]
    /// Every word, sorted, so that the words a prefix begins are one range.
    private let vocabulary: [String]
    let count: Int

    /// - Parameter keys: the stored keys (`SearchWords.storedKey`), in the order positions are reported.
    init(keys: [String]) {
        var postings: [String: [Int]] = [:]
        for (position, key) in keys.enumerated() {
            for word in Set(SearchWords.words(of: key)) { postings[word, default: []].append(position) }
        }
        self.postings = postings
        self.vocabulary = postings.keys.sorted()
        self.count = keys.count
    }

    /// A bit per text, set when it holds every word of the search; nil when the search has no words (every text matches).
    func matching(_ search: SearchWords) -> Bits? {
        guard let lastWord = search.words.last else { return nil }
        var result = Bits(count: self.count, set: true)
        for word in search.words.dropLast() {
            var bits = Bits(count: self.count, set: false)
            for position in self.postings[word] ?? [] { bits.insert(position) }
            result.formIntersection(bits)
        }
        var prefixed = Bits(count: self.count, set: false)
        var index = self.lowerBound(lastWord)
        while index < self.vocabulary.count && self.vocabulary[index].hasPrefix(lastWord) {
            for position in self.postings[self.vocabulary[index]] ?? [] { prefixed.insert(position) }
            index += 1
        }
        result.formIntersection(prefixed)
        return result
    }

    private func lowerBound(_ word: String) -> Int {
        var low = 0, high = self.vocabulary.count
        while low < high {
            let middle = (low + high) / 2
            if self.vocabulary[middle] < word { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A fixed-size set of positions.
    struct Bits: Sendable {
        private var words: [UInt64]

        init(count: Int, set: Bool) {
            self.words = Array(repeating: set ? .max : 0, count: (count + 63) / 64)
        }

        mutating func insert(_ position: Int) { self.words[position >> 6] |= 1 << UInt64(position & 63) }
        func contains(_ position: Int) -> Bool { self.words[position >> 6] & (1 << UInt64(position & 63)) != 0 }
        mutating func formIntersection(_ other: Bits) {
            for index in self.words.indices { self.words[index] &= other.words[index] }
        }
    }
}
