import DomainKit
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

    @Test func decomposedInputIsStoredComposed() {
        let decomposed = "Vie\u{0323}\u{0302}t"
        #expect(VietnameseText.normalized(decomposed) == "Việt")
        #expect(VietnameseText.normalized(decomposed).unicodeScalars.count == 4)
    }
}
