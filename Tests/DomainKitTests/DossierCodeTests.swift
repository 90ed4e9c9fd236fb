import DomainKit
import Testing

@Suite("Dossier codes of Circular 01/2018")
struct DossierCodeTests {
    @Test func formatsAndParsesBack() throws {
        let code = try DossierCode(agencyCode: "000.00.12.H33", day: LocalDate(year: 2026, month: 3, day: 5)!, sequence: 42)
        #expect(code.description == "000.00.12.H33-260305-0042")
        #expect(try DossierCode(parsing: code.description) == code)
    }

    @Test func agencyCodesMayHoldHyphens() throws {
        let code = try DossierCode(parsing: "H33-STP-251231-9999")
        #expect(code.agencyCode == "H33-STP")
        #expect(code.day == LocalDate(year: 2025, month: 12, day: 31))
        #expect(code.sequence == 9999)
    }

    @Test("malformed codes are refused", arguments: ["", "H33", "H33-2503-0001", "H33-250230-0001", "H33-250101-001", "-250101-0001", "H33-250101-0000"])
    func malformed(text: String) {
        #expect(throws: DossierCode.Problem.self) { try DossierCode(parsing: text) }
    }

    @Test func sequenceHasFourDigits() {
        #expect(throws: DossierCode.Problem.sequenceOutOfRange(10000)) {
            try DossierCode(agencyCode: "H33", day: LocalDate(year: 2026, month: 1, day: 2)!, sequence: 10000)
        }
    }
}
