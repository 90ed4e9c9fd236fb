import DomainKit

/// Grows a catalog to the seed province's size — 1,475 procedures at levels 1-2, 409 at level 3, 310 at level 4 —
/// with generated but well-formed procedures, for demos and benchmarks. Deterministic: the same input gives the
/// same catalog.
enum CatalogGenerator {
    static let targets: [(levels: [ServiceLevel], count: Int)] = [([.information, .downloadableForms], 1_475), ([.onlineSubmission], 409), ([.fullyOnline], 310)]

    static let sectors = [
        "Hộ tịch", "Chứng thực", "Cư trú", "Đất đai", "Xây dựng", "Môi trường", "Tài nguyên nước", "Khoáng sản", "Giao thông vận tải",
        "Thương mại", "Công nghiệp", "Nông nghiệp", "Thủy sản", "Lâm nghiệp", "Y tế", "Dược phẩm", "Giáo dục và đào tạo", "Lao động",
        "Người có công", "Bảo trợ xã hội", "Văn hóa", "Thể thao", "Du lịch", "Thông tin và truyền thông", "Khoa học và công nghệ", "Nội vụ",
        "Tôn giáo", "Thi đua khen thưởng", "Tài chính", "Đầu tư", "Doanh nghiệp", "Hợp tác xã", "Tư pháp", "Ngoại vụ", "Dân tộc",
    ]
    static let actions = ["Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Xác nhận", "Thẩm định", "Công nhận", "Đăng ký"]
    static let objects = [
        "giấy phép hoạt động", "giấy chứng nhận đủ điều kiện", "chứng chỉ hành nghề", "giấy xác nhận đăng ký", "văn bản chấp thuận",
        "quyết định công nhận", "giấy phép kinh doanh", "thông báo tiếp nhận", "hồ sơ đề nghị hỗ trợ", "giấy chứng nhận đăng ký hoạt động",
        "văn bản thẩm định", "giấy phép tổ chức sự kiện",
    ]

    /// The procedures to add to `existing` so that each level group reaches its target.
    static func additions(to existing: [Procedure]) -> [Procedure] {
        var result: [Procedure] = []
        var serial = 0
        for target in self.targets {
            let have = existing.filter { target.levels.contains($0.serviceLevel) }.count
            for _ in 0..<max(0, target.count - have) {
                serial += 1
                // Levels 1 and 2 alternate four to one, as in published catalogs most level 1-2 services offer forms.
                let level = target.levels.count > 1 ? (serial % 5 == 0 ? target.levels[0] : target.levels[1]) : target.levels[0]
                result.append(self.procedure(serial, level: level))
            }
        }
        return result
    }

    static func procedure(_ serial: Int, level: ServiceLevel) -> Procedure {
        let sector = self.sectors[serial % self.sectors.count]
        let action = self.actions[(serial / self.sectors.count) % self.actions.count]
        let object = self.objects[(serial / (self.sectors.count * self.actions.count)) % self.objects.count]
        let agencyLevel: [AgencyLevel] = [[.commune], [.district], [.department], [.district, .commune]][serial % 4]
        let steps: [Procedure.Step] = agencyLevel.contains(.department) ? DemoProcedures.departmentSteps
            : agencyLevel == [.district] ? DemoProcedures.districtSteps : DemoProcedures.communeSteps
        let fee = serial % 3 == 0 ? [] : [Procedure.Fee(name: "Lệ phí", amount: VND(Int64(serial % 7 + 1) * 25_000))]
        return Procedure(
            code: "KG.\(serial)", name: "\(action) \(object) lĩnh vực \(sector.lowercasedFirst)", sector: sector, levels: agencyLevel,
            serviceLevel: level, processingDays: [1, 3, 5, 7, 10, 15, 20, 30][serial % 8], fees: fee,
            documents: DemoProcedures.documents("Đơn đề nghị theo mẫu", "~Giấy tờ tùy thân của người đề nghị", "Tài liệu chứng minh đủ điều kiện"),
            steps: steps, resultType: "Văn bản giải quyết", legalBasis: ["Văn bản quy phạm pháp luật chuyên ngành \(sector.lowercasedFirst)"]
        )
    }
}
