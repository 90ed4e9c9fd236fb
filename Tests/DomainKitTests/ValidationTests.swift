import DomainKit
import Testing

@Suite("Validation of what citizens type")
struct ValidationTests {
    @Test("mobile numbers are normalised to 0xxxxxxxxx", arguments: [
        ("0912345678", "0912345678"), ("+84912345678", "0912345678"), ("84 912 345 678", "0912345678"),
        ("091.234.5678", "0912345678"), ("0338-123-456", "0338123456"),
    ])
    func validPhones(input: String, expected: String) throws {
        #expect(try Validate.mobilePhone(input).get() == expected)
    }

    @Test("wrong mobile numbers are refused in both languages", arguments: ["0212345678", "091234567", "09123456789", "abc", "", "+1 912345678"])
    func invalidPhones(input: String) {
        guard case .failure(let issue) = Validate.mobilePhone(input, field: "applicant.phone") else {
            Issue.record("\(input) was accepted")
            return
        }
        #expect(issue.field == "applicant.phone")
        #expect(issue.code == "phone.invalid")
        #expect(issue.message(.vi).contains("10 chữ số"))
        #expect(issue.message(.en).contains("10 digits"))
    }

    @Test func citizenIDs() throws {
        #expect(try Validate.citizenID("091 095 000 123").get() == "091095000123")
        #expect(throws: FieldIssue.self) { try Validate.citizenID("12345678901").get() }
        #expect(throws: FieldIssue.self) { try Validate.citizenID("09109500012a").get() }
        if case .failure(let issue) = Validate.citizenID("097095000123") {
            #expect(issue.code == "citizenId.province")
        } else {
            Issue.record("province code 097 was accepted")
        }
    }

    @Test func emails() throws {
        #expect(try Validate.email(" Ten.Ho@KienGiang.GOV.vn ").get() == "Ten.Ho@kiengiang.gov.vn")
        for bad in ["plain", "a@b", "a b@c.vn", "@c.vn", "a@@c.vn", "a@-c.vn", "a@c..vn"] {
            #expect(throws: FieldIssue.self, "\(bad)") { try Validate.email(bad).get() }
        }
    }
}
