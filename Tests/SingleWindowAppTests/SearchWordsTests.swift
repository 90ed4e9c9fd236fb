@testable import SingleWindowApp
import Testing

@Suite("Search words")
struct SearchWordsTests {
    static let names = ["Đăng ký khai sinh (liên thông)", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Thủ tục 1.000894: đăng ký kết hôn"]
    static let index = WordIndex(keys: names.map(SearchWords.storedKey))

    func found(_ query: String) -> [String] {
        guard let bits = Self.index.matching(SearchWords(query)) else { return Self.names }
        return Self.names.indices.filter { bits.contains($0) }.map { Self.names[$0] }
    }

    @Test func punctuationSeparatesWordsAsSpacesDo() {
        #expect(found("lien") == ["Đăng ký khai sinh (liên thông)"])
        #expect(found("khai sinh lien thong") == ["Đăng ký khai sinh (liên thông)"])
        #expect(found("(liên thông)") == ["Đăng ký khai sinh (liên thông)"])
        #expect(found("1.000894") == ["Thủ tục 1.000894: đăng ký kết hôn"])
        #expect(found("dang ky") == ["Đăng ký khai sinh (liên thông)", "Thủ tục 1.000894: đăng ký kết hôn"])
        // A word must still be whole, except the last one typed.
        #expect(found("lie thong").isEmpty)
        #expect(found("giay ph") == ["Cấp giấy phép xây dựng nhà ở riêng lẻ"])
    }
}
