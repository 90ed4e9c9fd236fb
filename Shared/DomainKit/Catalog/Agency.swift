/// An administrative body that receives and settles dossiers: the province, a department, a district or a commune.
public struct Agency: Codable, Sendable, Equatable, Hashable {
    /// Its code in the national catalog of administrative bodies, used in dossier codes ("000.00.21.H33").
    public var code: String
    public var name: String
    public var level: AgencyLevel
    /// The agency above it; nil for the province.
    public var parentCode: String?
    /// Official e-mail for documents between agencies.
    public var email: String
    public var address: String
    public var phone: String?

    public init(code: String, name: String, level: AgencyLevel, parentCode: String?, email: String, address: String, phone: String? = nil) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.email = email
        self.address = address
        self.phone = phone
    }

    /// What is wrong with it, field by field (empty when nothing is).
    public func problems() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !DossierCode.isValidAgencyCode(self.code) {
            issues.append(FieldIssue(field: "code", code: "agency.code",
                                     vi: "Mã cơ quan chỉ gồm chữ, số, dấu chấm và gạch ngang (tối đa 32 ký tự).",
                                     en: "An agency code has letters, digits, dots and hyphens only (at most 32)."))
        }
        if self.name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "name", code: "required", vi: "Cần có tên cơ quan.", en: "The agency needs a name."))
        }
        if (self.level == .province) != (self.parentCode == nil) {
            issues.append(FieldIssue(field: "parentCode", code: "agency.parent",
                                     vi: "Chỉ cấp tỉnh không có cơ quan cấp trên.", en: "Only the province has no parent agency."))
        }
        if case .failure(let issue) = Validate.email(self.email) { issues.append(issue) }
        return issues
    }
}

import Foundation
