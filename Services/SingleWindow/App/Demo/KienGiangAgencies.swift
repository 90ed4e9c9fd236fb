import DomainKit

/// Kiên Giang's administration as demo data: the province, its departments, its 15 district-level units and some
/// of their communes. Codes follow the national scheme of administrative-body codes ("…H33" is Kiên Giang).
enum KienGiangAgencies {
    static let provinceCode = "H33"

    static let province = Agency(code: provinceCode, name: "Ủy ban nhân dân tỉnh Kiên Giang", level: .province, parentCode: nil,
                                 email: "ubnd@kiengiang.gov.vn", address: "06 Nguyễn Công Trứ, phường Vĩnh Thanh, TP Rạch Giá, Kiên Giang",
                                 phone: "0297 3862 118")

    static let departments: [(String, String)] = [
        ("vpubnd", "Văn phòng Ủy ban nhân dân tỉnh"), ("stp", "Sở Tư pháp"), ("skhdt", "Sở Kế hoạch và Đầu tư"), ("stc", "Sở Tài chính"),
        ("sxd", "Sở Xây dựng"), ("stnmt", "Sở Tài nguyên và Môi trường"), ("sgtvt", "Sở Giao thông vận tải"), ("sct", "Sở Công Thương"),
        ("snnptnt", "Sở Nông nghiệp và Phát triển nông thôn"), ("syt", "Sở Y tế"), ("sgddt", "Sở Giáo dục và Đào tạo"),
        ("sldtbxh", "Sở Lao động - Thương binh và Xã hội"), ("svhtt", "Sở Văn hóa và Thể thao"), ("sdl", "Sở Du lịch"),
        ("stttt", "Sở Thông tin và Truyền thông"), ("skhcn", "Sở Khoa học và Công nghệ"), ("snv", "Sở Nội vụ"), ("sngv", "Sở Ngoại vụ"),
        ("bdt", "Ban Dân tộc"), ("bqlkkt", "Ban Quản lý Khu kinh tế tỉnh"), ("tttinh", "Thanh tra tỉnh"),
    ]

    /// District-level units and some of their communes and wards.
    static let districts: [(name: String, kind: String, slug: String, communes: [String])] = [
        ("Rạch Giá", "Thành phố", "rachgia", ["Phường Vĩnh Thanh Vân", "Phường Vĩnh Thanh", "Phường Vĩnh Lạc", "Phường An Hòa", "Phường Vĩnh Bảo",
                                              "Phường Rạch Sỏi", "Phường Vĩnh Quang", "Phường Vĩnh Thông", "Phường An Bình", "Xã Phi Thông"]),
        ("Hà Tiên", "Thành phố", "hatien", ["Phường Đông Hồ", "Phường Bình San", "Phường Pháo Đài", "Phường Tô Châu", "Xã Mỹ Đức", "Xã Tiên Hải",
                                            "Xã Thuận Yên"]),
        ("Phú Quốc", "Thành phố", "phuquoc", ["Phường Dương Đông", "Phường An Thới", "Xã Cửa Cạn", "Xã Gành Dầu", "Xã Bãi Thơm", "Xã Hàm Ninh",
                                              "Xã Cửa Dương", "Xã Dương Tơ", "Xã Hòn Thơm", "Xã Thổ Châu"]),
        ("Kiên Lương", "Huyện", "kienluong", ["Thị trấn Kiên Lương", "Xã Bình An", "Xã Bình Trị", "Xã Hòa Điền", "Xã Kiên Bình", "Xã Dương Hòa",
                                              "Xã Hòn Nghệ", "Xã Sơn Hải"]),
        ("Hòn Đất", "Huyện", "hondat", ["Thị trấn Hòn Đất", "Thị trấn Sóc Sơn", "Xã Bình Giang", "Xã Bình Sơn", "Xã Mỹ Lâm", "Xã Mỹ Hiệp Sơn",
                                        "Xã Nam Thái Sơn", "Xã Sơn Kiên", "Xã Thổ Sơn", "Xã Lình Huỳnh"]),
        ("Tân Hiệp", "Huyện", "tanhiep", ["Thị trấn Tân Hiệp", "Xã Tân Hiệp A", "Xã Tân Hiệp B", "Xã Thạnh Đông", "Xã Thạnh Trị", "Xã Tân Hội"]),
        ("Châu Thành", "Huyện", "chauthanh", ["Thị trấn Minh Lương", "Xã Mong Thọ", "Xã Giục Tượng", "Xã Vĩnh Hòa Hiệp", "Xã Bình An", "Xã Thạnh Lộc"]),
        ("Giồng Riềng", "Huyện", "giongrieng", ["Thị trấn Giồng Riềng", "Xã Thạnh Hưng", "Xã Long Thạnh", "Xã Bàn Tân Định", "Xã Hòa Hưng"]),
        ("Gò Quao", "Huyện", "goquao", ["Thị trấn Gò Quao", "Xã Vĩnh Hòa Hưng Bắc", "Xã Định An", "Xã Thới Quản", "Xã Thủy Liễu"]),
        ("An Biên", "Huyện", "anbien", ["Thị trấn Thứ Ba", "Xã Đông Thái", "Xã Nam Yên", "Xã Tây Yên", "Xã Hưng Yên"]),
        ("An Minh", "Huyện", "anminh", ["Thị trấn Thứ Mười Một", "Xã Đông Hòa", "Xã Thuận Hòa", "Xã Vân Khánh"]),
        ("Vĩnh Thuận", "Huyện", "vinhthuan", ["Thị trấn Vĩnh Thuận", "Xã Vĩnh Bình Bắc", "Xã Tân Thuận", "Xã Phong Đông"]),
        ("U Minh Thượng", "Huyện", "uminhthuong", ["Xã Thạnh Yên", "Xã An Minh Bắc", "Xã Minh Thuận", "Xã Vĩnh Hòa"]),
        ("Giang Thành", "Huyện", "giangthanh", ["Xã Tân Khánh Hòa", "Xã Phú Lợi", "Xã Phú Mỹ", "Xã Vĩnh Điều", "Xã Vĩnh Phú"]),
        ("Kiên Hải", "Huyện", "kienhai", ["Xã Hòn Tre", "Xã Lại Sơn", "Xã An Sơn", "Xã Nam Du"]),
    ]

    /// Department n has the code 000.00.nn.H33; district n 000.00.(40+n).H33; commune m of district n 000.(n).(m).H33.
    static func departmentCode(_ index: Int) -> String { "000.00.\(two(index + 1)).\(provinceCode)" }
    static func districtCode(_ index: Int) -> String { "000.00.\(two(index + 41)).\(provinceCode)" }
    static func communeCode(district: Int, commune: Int) -> String { "000.\(two(district + 41)).\(two(commune + 1)).\(provinceCode)" }

    static var all: [Agency] {
        var agencies = [province]
        for (index, department) in departments.enumerated() {
            agencies.append(Agency(code: departmentCode(index), name: department.1, level: .department, parentCode: provinceCode,
                                   email: "\(department.0)@kiengiang.gov.vn", address: "TP Rạch Giá, Kiên Giang"))
        }
        for (index, district) in districts.enumerated() {
            let code = districtCode(index)
            agencies.append(Agency(code: code, name: "Ủy ban nhân dân \(district.kind.lowercased()) \(district.name)", level: .district,
                                   parentCode: provinceCode, email: "ubnd.\(district.slug)@kiengiang.gov.vn",
                                   address: "\(district.kind) \(district.name), Kiên Giang"))
            for (communeIndex, commune) in district.communes.enumerated() {
                agencies.append(Agency(code: communeCode(district: index, commune: communeIndex), name: "Ủy ban nhân dân \(commune.lowercasedFirst)",
                                       level: .commune, parentCode: code,
                                       email: "ubnd.\(district.slug).\(communeIndex + 1)@kiengiang.gov.vn",
                                       address: "\(commune), \(district.kind.lowercased()) \(district.name), Kiên Giang"))
            }
        }
        return agencies
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}

extension String {
    /// "Xã Hòn Tre" → "xã Hòn Tre", as the name follows "Ủy ban nhân dân".
    var lowercasedFirst: String { self.prefix(1).lowercased() + self.dropFirst() }
}
