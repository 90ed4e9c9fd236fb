import DomainKit
import Testing

@Suite("SMS length by encoding")
struct SMSTextTests {
    @Test func plainTextIsGSM7WithOneSegmentUpTo160() {
        #expect(SMSText(String(repeating: "a", count: 160)) == SMSText(String(repeating: "a", count: 160)))
        #expect(SMSText(String(repeating: "a", count: 160)).encoding == .gsm7)
        #expect(SMSText(String(repeating: "a", count: 160)).segments == 1)
        #expect(SMSText(String(repeating: "a", count: 161)).segments == 2)
        #expect(SMSText(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSText(String(repeating: "a", count: 307)).segments == 3)
    }

    @Test func extensionCharactersTakeTwoSeptets() {
        let text = SMSText("Phí 50€ [x]")
        #expect(text.encoding == .ucs2) // í is not in the 7-bit alphabet
        let plain = SMSText("Phi 50€ [x]")
        #expect(plain.encoding == .gsm7)
        #expect(plain.units == 14)
    }

    @Test func vietnameseIsUCS2With70And67() {
        let text = "Hồ sơ 000.55.01.H33-261129-0001 đã có kết quả. Mời ông/bà đến nhận tại Bộ phận một cửa."
        let sms = SMSText(text)
        #expect(sms.encoding == .ucs2)
        #expect(sms.units == text.utf16.count)
        #expect(sms.segments == 2)
        #expect(SMSText(String(repeating: "ồ", count: 70)).segments == 1)
        #expect(SMSText(String(repeating: "ồ", count: 71)).segments == 2)
        #expect(SMSText(String(repeating: "ồ", count: 135)).segments == 3)
    }

    @Test func strippingDiacriticsMakesItGSM7() {
        let sms = SMSText.forGSM("Hồ sơ đã có kết quả, mời Ông/Bà đến nhận.")
        #expect(sms.text == "Ho so da co ket qua, moi Ong/Ba den nhan.")
        #expect(sms.encoding == .gsm7)
        #expect(sms.segments == 1)
    }

    @Test func anEmptyMessageIsStillOneSMS() {
        #expect(SMSText("").segments == 1)
    }

    @Test func lineEndsCountAsTheirCharactersAndACombiningMarkNeedsUnicode() {
        // CR LF is one Character to Swift but two characters of the 7-bit alphabet on the air.
        #expect(SMSText("a\r\nb") == SMSText("a\r\nb"))
        #expect(SMSText("a\r\nb").encoding == .gsm7)
        #expect(SMSText("a\r\nb").units == 4)
        // é precomposed is in the alphabet; e with a combining acute is not.
        #expect(SMSText("caf\u{E9}").encoding == .gsm7)
        #expect(SMSText("cafe\u{301}").encoding == .ucs2)
        #expect(SMSText("{x}").units == 5)
    }
}

@Suite("SMS segment limit")
struct SMSLimitTests {
    @Test func aTextOverTheLimitSaysHowManySegmentsItNeeds() {
        let long = String(repeating: "Hồ sơ đã có kết quả. ", count: 8)
        #expect(SMSText.prepare(long, unicode: true, maximumSegments: 2) == .failure(SMSText.TooLong(segments: 3, limit: 2)))
        // Without diacritics the same words fit in GSM-7's longer segments.
        #expect((try? SMSText.prepare(long, unicode: false, maximumSegments: 2).get())?.segments == 2)
    }
}
