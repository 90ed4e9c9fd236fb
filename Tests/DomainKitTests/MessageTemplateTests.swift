import DomainKit
import Testing

@Suite("Message templates")
struct MessageTemplateTests {
    static let resultReady = MessageTemplate(
        id: "dossier.result-ready.email.vi", version: 3, channel: .email, language: "vi",
        subject: "Hồ sơ ((code)) đã có kết quả",
        body: "Kính gửi ((name)), hồ sơ ((code)) đã có kết quả tại ((agency)).",
        html: "<p>Kính gửi <b>((name))</b>, hồ sơ ((code)) đã có kết quả tại ((agency)).</p>"
    )

    @Test func placeholdersAreListedOnceInOrder() {
        #expect(Self.resultReady.placeholders == ["code", "name", "agency"])
    }

    @Test func valuesAreFilledInAndEscapedInHTMLOnly() throws {
        let message = try Self.resultReady.render(["code": "000.55.01.H33-261129-0001", "name": "Trần <Bình>", "agency": "UBND xã Hòn Tre"]).get()
        #expect(message.subject == "Hồ sơ 000.55.01.H33-261129-0001 đã có kết quả")
        #expect(message.body == "Kính gửi Trần <Bình>, hồ sơ 000.55.01.H33-261129-0001 đã có kết quả tại UBND xã Hòn Tre.")
        #expect(message.html == "<p>Kính gửi <b>Trần &lt;Bình&gt;</b>, hồ sơ 000.55.01.H33-261129-0001 đã có kết quả tại UBND xã Hòn Tre.</p>")
    }

    @Test func everyMissingValueIsNamed() {
        #expect(Self.resultReady.render(["code": "X", "agency": ""]) == .failure(MissingValues(names: ["name", "agency"])))
    }

    @Test func bracketsAroundAPlaceholderAreText() throws {
        let template = MessageTemplate(id: "t", channel: .sms, language: "vi", body: "Hồ sơ ((code)) (((procedure)))")
        #expect(template.placeholders == ["code", "procedure"])
        #expect(try template.render(["code": "A1", "procedure": "Khai sinh"]).get().body == "Hồ sơ A1 (Khai sinh)")
    }

    @Test func spacesAroundANameAreNotPartOfIt() throws {
        let template = MessageTemplate(id: "t", channel: .sms, language: "vi", body: "Mã (( code )), ((\u{00A0}name\t)), ((a(b)) hết")
        #expect(template.placeholders == ["code", "name"])
        #expect(try template.render(["code": "A1", "name": "Bình"]).get().body == "Mã A1, Bình, ((a(b)) hết")
    }

    @Test func textWithoutPlaceholdersAndStrayBracketsIsLeftAlone() throws {
        let template = MessageTemplate(id: "t", channel: .sms, language: "en", body: "Call (028) 3822 (( or ((  )) now")
        #expect(template.placeholders.isEmpty)
        #expect(try template.render([:]).get().body == "Call (028) 3822 (( or ((  )) now")
    }
}
