import DomainKit
import PropertyBased
import Foundation
import Testing

@Suite("Money and Vietnamese text")
struct MoneyAndTextTests {
    @Test("VND is written with dots between thousands and the đồng sign after", arguments: [
        (Int64(0), "0 ₫"), (500, "500 ₫"), (1000, "1.000 ₫"), (1_250_000, "1.250.000 ₫"), (-25_000, "-25.000 ₫"),
    ])
    func formatting(amount: Int64, expected: String) {
        #expect(VND(amount).formatted == expected)
    }

    @Test("counts are grouped the same way, as the reports print them", arguments: [
        (0, "0"), (999, "999"), (73_094, "73.094"), (367_510, "367.510"), (-1_000, "-1.000"),
    ])
    func counts(value: Int, expected: String) {
        #expect(Digits.grouped(value) == expected)
    }

    @Test func moneyIsABareJSONInteger() throws {
        let data = try JSONEncoder().encode([VND(1_250_000)])
        #expect(String(decoding: data, as: UTF8.self) == "[1250000]")
        #expect(try JSONDecoder().decode([VND].self, from: data) == [VND(1_250_000)])
        #expect([VND(100), VND(250)].total() == VND(350))
    }

    @Test("search keys ignore diacritics, đ, case and spacing")
    func searchKeys() {
        #expect(VietnameseText.searchKey("Đăng ký  KẾT HÔN") == "dang ky ket hon")
        #expect(VietnameseText.searchKey("dang ky ket hon") == VietnameseText.searchKey("Đăng ký kết hôn"))
        #expect(VietnameseText.searchKey("Cấp giấy phép xây dựng") == "cap giay phep xay dung")
        #expect(VietnameseText.withoutDiacritics("Thanh toán hồ sơ Đất đai") == "Thanh toan ho so Dat dai")
    }

    @Test func a128BitIdIsItsBytesInHexadecimalHighHalfFirst() {
        let (high, low): (UInt64, UInt64) = (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210)
        #expect(Digits.hex(high, low) == "0123456789abcdeffedcba9876543210")
        for _ in 0..<100 {
            let (a, b) = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
            let bytes = withUnsafeBytes(of: a.bigEndian) { Array($0) } + withUnsafeBytes(of: b.bigEndian) { Array($0) }
            #expect(Digits.hex(a, b) == Digits.hex(bytes))
        }
    }

    @Test func decomposedInputIsStoredComposed() {
        let decomposed = "Vie\u{0323}\u{0302}t"
        #expect(VietnameseText.normalized(decomposed) == "Việt")
        #expect(VietnameseText.normalized(decomposed).unicodeScalars.count == 4)
    }
}

@Suite("Times as the APIs write them")
struct TimeFormattingTests {
    @Test func vietnamTimeIsWrittenWithItsOffset() {
        let instant = Date(timeIntervalSince1970: 1_772_420_400.25)  // 2026-03-02 03:00:00.250 UTC
        #expect(VietnamTime.rfc3339(instant) == "2026-03-02T10:00:00+07:00")
        #expect(VietnamTime.rfc3339Milliseconds(instant) == "2026-03-02T10:00:00.250+07:00")
        #expect(VietnamTime.rfc3339(Date(timeIntervalSince1970: 0)) == "1970-01-01T07:00:00+07:00")
    }

    @Test func theFastFormatterAgreesWithFoundation() async {
        let foundation = ISO8601DateFormatter()
        foundation.timeZone = VietnamTime.timeZone
        foundation.formatOptions = [.withInternetDateTime]
        await propertyCheck(count: 500, input: Gen.int(in: -2_000_000_000...4_000_000_000)) { seconds in
            let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(VietnamTime.rfc3339(instant) == foundation.string(from: instant))
        }
    }
}

@Suite("Identifiers")
struct IdentifierTests {
    enum Dossier {}
    enum Payment {}

    @Test func identifiersAreBareJSONStringsAndRandomOnesDiffer() throws {
        let id = Identifier<Dossier>("d-1")
        #expect(String(decoding: try JSONEncoder().encode([id]), as: UTF8.self) == "[\"d-1\"]")
        #expect(try JSONDecoder().decode([Identifier<Dossier>].self, from: Data("[\"d-1\"]".utf8)) == [id])
        #expect(Identifier<Payment>.random() != Identifier<Payment>.random())
        #expect(Identifier<Payment>.random().rawValue.count == 36)
    }
}

@Suite("The fast search key")
struct FastSearchKeyTests {
    /// A small deterministic generator, so a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return self.state
        }
    }

    static let alphabet: [String] = Array("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠỀẾỂỄỆỲÝỸ0123456789.,-/()")
        .map(String.init) + [" ", "  ", "\t", "\n", "\r\n", "\u{00A0}", "\u{0301}", "\u{0323}", "ß", "Ǆ", "İ", "Ω", "日", "🙂", "e\u{0302}\u{0301}"]

    @Test func itAgreesWithTheDefinitionOnVietnameseAndOddText() {
        var generator = Generator(state: 20_261_129)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }.joined()
            #expect(VietnameseText.searchKey(text) == VietnameseText.searchKeyByDecomposition(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(VietnameseText.searchKey("  Đăng ký\tKẾT  HÔN ") == "dang ky ket hon")
    }

    @Test func textWithoutDiacriticsAgreesWithTheDefinitionToo() {
        var generator = Generator(state: 20_261_204)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }.joined()
            #expect(VietnameseText.withoutDiacritics(text) == VietnameseText.withoutDiacriticsByDecomposition(text),
                    "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(VietnameseText.withoutDiacritics("Hồ sơ ĐÃ được tiếp nhận") == "Ho so DA duoc tiep nhan")
    }
}
