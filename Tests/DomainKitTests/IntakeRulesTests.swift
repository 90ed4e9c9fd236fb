import DomainKit
import Testing

@Suite("Intake rules: documents, channels, and which agencies handle a procedure")
struct IntakeRulesTests {
    /// Land-use certificate: district level, one named district office, a step done by the tax department.
    static let landUse = Procedure(
        code: "1.004227", name: "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", sector: "Đất đai", levels: [.district, .commune],
        agencyCodes: ["VPDK.PQ"], serviceLevel: .onlineSubmission, processingDays: 30,
        fees: [Procedure.Fee(name: "Lệ phí cấp giấy", amount: VND(100_000))],
        documents: [.init(name: "Đơn đăng ký"), .init(name: "Giấy tờ về quyền sử dụng đất", form: .certifiedCopy)],
        steps: [.init(title: "Thẩm định", performer: "officer", sharePercent: 60), .init(title: "Xác định nghĩa vụ tài chính", performer: "CT.KG", sharePercent: 20),
                .init(title: "Ký", performer: "leader", sharePercent: 20)],
        resultType: "Giấy chứng nhận", legalBasis: ["Luật Đất đai 2024"], allowsPostalIntake: false, allowsPostalDelivery: true
    )

    static func agency(_ code: String, _ level: AgencyLevel) -> Agency {
        Agency(code: code, name: code, level: level, parentCode: nil, email: "\(code)@kiengiang.gov.vn", address: "Kiên Giang")
    }

    @Test func missingDocumentsAreMatchedWithoutDiacriticsOrCase() {
        let given = [Attachment(documentName: "DON DANG KY", fileId: "a")]
        #expect(IntakeRules.missingDocuments(Self.landUse, attachments: given) == ["Giấy tờ về quyền sử dụng đất"])
        #expect(IntakeRules.missingDocuments(Self.landUse, attachments: given + [Attachment(documentName: "giay to ve quyen su dung dat", fileId: nil)]).isEmpty)
    }

    @Test func channelsAndDeliveryFollowTheProcedure() {
        #expect(IntakeRules.channelProblems(Self.landUse, channel: .online, delivery: .counter, deliveryAddress: nil).isEmpty)
        #expect(IntakeRules.channelProblems(Self.landUse, channel: .post, delivery: .counter, deliveryAddress: nil).map(\.code) == ["procedure.noPostalIntake"])
        #expect(IntakeRules.channelProblems(Self.landUse, channel: .counter, delivery: .post, deliveryAddress: " ").map(\.code) == ["required"])
        #expect(IntakeRules.channelProblems(Self.landUse, channel: .counter, delivery: .online, deliveryAddress: nil).map(\.code)
                == ["procedure.noOnlineDelivery"])
        var information = Self.landUse
        information.serviceLevel = .downloadableForms
        #expect(IntakeRules.channelProblems(information, channel: .online, delivery: .counter, deliveryAddress: nil).map(\.code) == ["procedure.notOnline"])
    }

    @Test func aNamedAgencyReplacesTheOthersAtItsLevelOnly() {
        let named: [String: AgencyLevel] = ["VPDK.PQ": .district]
        #expect(IntakeRules.handles(Self.landUse, agency: Self.agency("VPDK.PQ", .district), namedAgencyLevels: named))
        #expect(!IntakeRules.handles(Self.landUse, agency: Self.agency("UBND.HT", .district), namedAgencyLevels: named))
        #expect(IntakeRules.handles(Self.landUse, agency: Self.agency("UBND.XA", .commune), namedAgencyLevels: named))
        #expect(!IntakeRules.handles(Self.landUse, agency: Self.agency("SO.TP", .department), namedAgencyLevels: named))
    }

    @Test func aTransferMayGoToAStepsPerformerThatDoesNotHandleIntake() {
        let named: [String: AgencyLevel] = ["VPDK.PQ": .district]
        let tax = Self.agency("CT.KG", .department)
        #expect(!IntakeRules.handles(Self.landUse, agency: tax, namedAgencyLevels: named))
        #expect(IntakeRules.takesPart(Self.landUse, agency: tax, namedAgencyLevels: named))
        #expect(!IntakeRules.takesPart(Self.landUse, agency: Self.agency("SO.TP", .department), namedAgencyLevels: named))
    }
}
