import DomainKit

/// Hand-written demo procedures, modelled on Kiên Giang's published catalog. Codes follow the national catalog's
/// form; fees and time limits are those commonly published, for demonstration, not legal reference.
enum DemoProcedures {
    static var all: [Procedure] { civil + business }

    static let communeSteps = [
        Procedure.Step(title: "Tiếp nhận, kiểm tra hồ sơ", performer: "officer", sharePercent: 10),
        Procedure.Step(title: "Công chức chuyên môn thẩm định", performer: "officer", sharePercent: 60),
        Procedure.Step(title: "Chủ tịch UBND cấp xã ký", performer: "leader", sharePercent: 20),
        Procedure.Step(title: "Trả kết quả", performer: "officer", sharePercent: 10),
    ]

    static let districtSteps = [
        Procedure.Step(title: "Bộ phận một cửa tiếp nhận", performer: "officer", sharePercent: 5),
        Procedure.Step(title: "Phòng chuyên môn thẩm định", performer: "officer", sharePercent: 65),
        Procedure.Step(title: "Lãnh đạo UBND cấp huyện ký", performer: "leader", sharePercent: 20),
        Procedure.Step(title: "Trả kết quả", performer: "officer", sharePercent: 10),
    ]

    static let departmentSteps = [
        Procedure.Step(title: "Bộ phận một cửa tiếp nhận", performer: "officer", sharePercent: 5),
        Procedure.Step(title: "Chuyên viên thẩm định", performer: "officer", sharePercent: 60),
        Procedure.Step(title: "Lãnh đạo phòng xem xét", performer: "officer", sharePercent: 15),
        Procedure.Step(title: "Lãnh đạo Sở ký duyệt", performer: "leader", sharePercent: 15),
        Procedure.Step(title: "Trả kết quả", performer: "officer", sharePercent: 5),
    ]

    static func documents(_ names: String...) -> [Procedure.RequiredDocument] {
        names.map { name in
            if name.hasPrefix("~") { return .init(name: String(name.dropFirst()), form: .copyWithOriginal) }
            if name.hasPrefix("*") { return .init(name: String(name.dropFirst()), form: .certifiedCopy) }
            return .init(name: name)
        }
    }

    static func fee(_ amount: Int64, _ name: String = "Lệ phí") -> [Procedure.Fee] { [.init(name: name, amount: VND(amount))] }

    /// Department n of `KienGiangAgencies.departments`, as the agency list of a provincial procedure.
    static func department(_ slug: String) -> [String] {
        guard let index = KienGiangAgencies.departments.firstIndex(where: { $0.0 == slug }) else { return [] }
        return [KienGiangAgencies.departmentCode(index)]
    }

    static let civil: [Procedure] = [
        Procedure(code: "1.001193", name: "Đăng ký khai sinh", sector: "Hộ tịch", levels: [.commune], serviceLevel: .fullyOnline, processingDays: 1,
                  documents: documents("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "~Giấy tờ tùy thân của người đi đăng ký"),
                  steps: communeSteps, resultType: "Giấy khai sinh",
                  legalBasis: ["Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP", "Thông tư 04/2020/TT-BTP"]),
        Procedure(code: "1.000894", name: "Đăng ký kết hôn", sector: "Hộ tịch", levels: [.commune], serviceLevel: .onlineSubmission, processingDays: 5,
                  documents: documents("Tờ khai đăng ký kết hôn", "~Giấy tờ tùy thân của hai bên", "Giấy xác nhận tình trạng hôn nhân (nếu thường trú nơi khác)"),
                  steps: communeSteps, resultType: "Giấy chứng nhận kết hôn",
                  legalBasis: ["Luật Hôn nhân và gia đình 2014", "Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP"], allowsPostalDelivery: false),
        Procedure(code: "1.000656", name: "Đăng ký khai tử", sector: "Hộ tịch", levels: [.commune], serviceLevel: .fullyOnline, processingDays: 1,
                  documents: documents("Tờ khai đăng ký khai tử", "Giấy báo tử hoặc giấy tờ thay giấy báo tử"),
                  steps: communeSteps, resultType: "Trích lục khai tử", legalBasis: ["Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP"]),
        Procedure(code: "1.001022", name: "Đăng ký nhận cha, mẹ, con", sector: "Hộ tịch", levels: [.commune], serviceLevel: .onlineSubmission,
                  processingDays: 3, fees: fee(15_000),
                  documents: documents("Tờ khai đăng ký nhận cha, mẹ, con", "Chứng cứ chứng minh quan hệ cha, mẹ, con"),
                  steps: communeSteps, resultType: "Trích lục đăng ký nhận cha, mẹ, con", legalBasis: ["Luật Hộ tịch 2014"]),
        Procedure(code: "2.000635", name: "Cấp bản sao trích lục hộ tịch", sector: "Hộ tịch", levels: [.commune, .district], serviceLevel: .fullyOnline,
                  processingDays: 1, fees: fee(8_000, "Phí cấp bản sao (mỗi bản)"), documents: documents("Tờ khai cấp bản sao trích lục hộ tịch"),
                  steps: communeSteps, resultType: "Bản sao trích lục hộ tịch", legalBasis: ["Luật Hộ tịch 2014", "Thông tư 281/2016/TT-BTC"]),
        Procedure(code: "1.004873", name: "Cấp Giấy xác nhận tình trạng hôn nhân", sector: "Hộ tịch", levels: [.commune], serviceLevel: .fullyOnline,
                  processingDays: 3, fees: fee(15_000), documents: documents("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),
                  steps: communeSteps, resultType: "Giấy xác nhận tình trạng hôn nhân", legalBasis: ["Nghị định 123/2015/NĐ-CP"]),
        Procedure(code: "1.004859", name: "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", sector: "Hộ tịch", levels: [.commune],
                  serviceLevel: .onlineSubmission, processingDays: 3, fees: fee(15_000),
                  documents: documents("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "~Giấy tờ làm căn cứ thay đổi, cải chính"),
                  steps: communeSteps, resultType: "Trích lục thay đổi, cải chính hộ tịch", legalBasis: ["Luật Hộ tịch 2014"]),
        Procedure(code: "2.000528", name: "Đăng ký khai sinh có yếu tố nước ngoài", sector: "Hộ tịch", levels: [.district],
                  serviceLevel: .onlineSubmission, processingDays: 3, fees: fee(75_000),
                  documents: documents("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "*Văn bản thỏa thuận chọn quốc tịch cho con"),
                  steps: districtSteps, resultType: "Giấy khai sinh", legalBasis: ["Luật Hộ tịch 2014", "Luật Quốc tịch Việt Nam"]),
        Procedure(code: "2.000806", name: "Đăng ký kết hôn có yếu tố nước ngoài", sector: "Hộ tịch", levels: [.district],
                  serviceLevel: .onlineSubmission, processingDays: 15, fees: fee(1_000_000),
                  documents: documents("Tờ khai đăng ký kết hôn", "*Giấy xác nhận tình trạng hôn nhân của người nước ngoài",
                                       "*Giấy xác nhận không mắc bệnh tâm thần", "~Hộ chiếu"),
                  steps: districtSteps, resultType: "Giấy chứng nhận kết hôn", legalBasis: ["Luật Hộ tịch 2014", "Nghị định 123/2015/NĐ-CP"],
                  allowsPostalDelivery: false),
        Procedure(code: "2.000815", name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản", sector: "Chứng thực", levels: [.commune, .district],
                  serviceLevel: .downloadableForms, processingDays: 1, fees: fee(2_000, "Lệ phí (mỗi trang)"),
                  documents: documents("Bản chính giấy tờ, văn bản cần chứng thực", "Bản sao cần chứng thực"),
                  steps: communeSteps, resultType: "Bản sao có chứng thực", legalBasis: ["Nghị định 23/2015/NĐ-CP"], allowsPostalIntake: false),
        Procedure(code: "2.000884", name: "Chứng thực chữ ký trong các giấy tờ, văn bản", sector: "Chứng thực", levels: [.commune, .district],
                  serviceLevel: .downloadableForms, processingDays: 1, fees: fee(10_000),
                  documents: documents("~Giấy tờ tùy thân của người yêu cầu", "Giấy tờ, văn bản cần chứng thực chữ ký"),
                  steps: communeSteps, resultType: "Văn bản được chứng thực chữ ký", legalBasis: ["Nghị định 23/2015/NĐ-CP"], allowsPostalIntake: false),
        Procedure(code: "2.001035", name: "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", sector: "Chứng thực",
                  levels: [.commune], serviceLevel: .downloadableForms, processingDays: 2, fees: fee(50_000),
                  documents: documents("Dự thảo hợp đồng, giao dịch", "~Giấy tờ tùy thân của các bên", "~Giấy tờ chứng minh quyền sở hữu tài sản"),
                  steps: communeSteps, resultType: "Hợp đồng được chứng thực", legalBasis: ["Nghị định 23/2015/NĐ-CP"], allowsPostalIntake: false),
        Procedure(code: "1.004194", name: "Đăng ký thường trú", sector: "Cư trú", levels: [.commune], serviceLevel: .fullyOnline, processingDays: 7,
                  fees: fee(20_000), documents: documents("Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "~Giấy tờ chứng minh chỗ ở hợp pháp"),
                  steps: communeSteps, resultType: "Thông báo kết quả đăng ký thường trú", legalBasis: ["Luật Cư trú 2020", "Thông tư 55/2021/TT-BCA"]),
        Procedure(code: "1.004222", name: "Đăng ký tạm trú", sector: "Cư trú", levels: [.commune], serviceLevel: .fullyOnline, processingDays: 3,
                  fees: fee(15_000), documents: documents("Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "~Giấy tờ chứng minh chỗ ở hợp pháp"),
                  steps: communeSteps, resultType: "Thông báo kết quả đăng ký tạm trú", legalBasis: ["Luật Cư trú 2020"]),
        Procedure(code: "1.004212", name: "Xác nhận thông tin về cư trú", sector: "Cư trú", levels: [.commune], serviceLevel: .fullyOnline,
                  processingDays: 1, documents: documents("Tờ khai thay đổi thông tin cư trú (mẫu CT01)"),
                  steps: communeSteps, resultType: "Giấy xác nhận thông tin về cư trú", legalBasis: ["Luật Cư trú 2020"]),
        Procedure(code: "2.000488", name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", sector: "Lý lịch tư pháp", levels: [.department],
                  agencyCodes: department("stp"), serviceLevel: .fullyOnline, processingDays: 10, fees: fee(200_000, "Phí cung cấp thông tin lý lịch tư pháp"),
                  documents: documents("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "~Căn cước công dân"),
                  steps: departmentSteps, resultType: "Phiếu lý lịch tư pháp", legalBasis: ["Luật Lý lịch tư pháp 2009", "Thông tư 244/2016/TT-BTC"]),
        Procedure(code: "1.001699", name: "Trợ cấp xã hội hằng tháng đối với người cao tuổi", sector: "Bảo trợ xã hội", levels: [.commune],
                  serviceLevel: .onlineSubmission, processingDays: 20, documents: documents("Tờ khai đề nghị trợ giúp xã hội (mẫu số 1a)"),
                  steps: communeSteps, resultType: "Quyết định hưởng trợ cấp xã hội", legalBasis: ["Nghị định 20/2021/NĐ-CP"]),
        Procedure(code: "1.001978", name: "Giải quyết hưởng trợ cấp thất nghiệp", sector: "Việc làm", levels: [.department], agencyCodes: department("sldtbxh"),
                  serviceLevel: .onlineSubmission, processingDays: 20,
                  documents: documents("Đề nghị hưởng trợ cấp thất nghiệp", "*Quyết định thôi việc hoặc chấm dứt hợp đồng lao động", "Sổ bảo hiểm xã hội"),
                  steps: departmentSteps, resultType: "Quyết định hưởng trợ cấp thất nghiệp", legalBasis: ["Luật Việc làm 2013", "Nghị định 28/2015/NĐ-CP"]),
        Procedure(code: "1.000459", name: "Cấp giấy phép lao động cho người lao động nước ngoài", sector: "Việc làm", levels: [.department],
                  agencyCodes: department("sldtbxh"), serviceLevel: .fullyOnline, processingDays: 5, fees: fee(600_000),
                  documents: documents("Văn bản đề nghị cấp giấy phép lao động", "*Giấy chứng nhận sức khỏe", "*Phiếu lý lịch tư pháp", "~Hộ chiếu"),
                  steps: departmentSteps, resultType: "Giấy phép lao động", legalBasis: ["Bộ luật Lao động 2019", "Nghị định 152/2020/NĐ-CP"]),
        Procedure(code: "1.001212", name: "Chuyển trường đối với học sinh trung học phổ thông", sector: "Giáo dục trung học", levels: [.department],
                  agencyCodes: department("sgddt"), serviceLevel: .onlineSubmission, processingDays: 3,
                  documents: documents("Đơn xin chuyển trường", "Học bạ", "*Giấy chứng nhận trúng tuyển"),
                  steps: departmentSteps, resultType: "Giấy giới thiệu chuyển trường", legalBasis: ["Thông tư 32/2020/TT-BGDĐT"]),
        Procedure(code: "1.005092", name: "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", sector: "Văn bằng, chứng chỉ", levels: [.department],
                  agencyCodes: department("sgddt"), serviceLevel: .onlineSubmission, processingDays: 1, documents: documents("Đơn đề nghị cấp bản sao"),
                  steps: departmentSteps, resultType: "Bản sao văn bằng, chứng chỉ", legalBasis: ["Nghị định 23/2015/NĐ-CP"]),
    ]
}
