import Foundation

/// A language a message can be shown in.
public enum Language: String, Codable, Sendable, CaseIterable {
    case vi
    case en
}

/// One problem with one input field, explained in both languages so any screen can show it.
public struct FieldIssue: Error, Hashable, Sendable, Codable {
    /// The field, as named in the request (a JSON pointer-ish path such as "applicant.phone").
    public var field: String
    /// A stable code for programs: "phone.invalid", "citizenId.length", ...
    public var code: String
    public var vi: String
    public var en: String

    public init(field: String, code: String, vi: String, en: String) {
        self.field = field
        self.code = code
        self.vi = vi
        self.en = en
    }

    public func message(_ language: Language) -> String { language == .vi ? self.vi : self.en }

    /// The same issue about the field as a form names it (`supplement.deadline` → `requestSupplement-deadline`).
    public func named(_ field: String) -> FieldIssue { FieldIssue(field: field, code: self.code, vi: self.vi, en: self.en) }

    /// The same issue reported under another field name.
    public func at(_ field: String) -> FieldIssue {
        FieldIssue(field: field, code: self.code, vi: self.vi, en: self.en)
    }
}

/// Checks of the identifiers Vietnamese citizens give, returning the normalised value or the issue.
public enum Validate {
    /// Vietnamese mobile prefixes in use since the 2018 renumbering (03x, 05x, 07x, 08x, 09x).
    private static let mobilePrefixes: Set<Character> = ["3", "5", "7", "8", "9"]

    /// A mobile number as 0xxxxxxxxx or +84xxxxxxxxx (spaces, dots and dashes allowed), normalised to 0xxxxxxxxx.
    public static func mobilePhone(_ input: String, field: String = "phone") -> Result<String, FieldIssue> {
        var digits = input.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") {
            digits = "0" + digits.dropFirst(3)
        } else if digits.hasPrefix("84") && digits.count == 11 {
            digits = "0" + digits.dropFirst(2)
        }
        guard digits.count == 10, digits.allSatisfy(\.isASCIIDigit), digits.first == "0",
              let second = digits.dropFirst().first, self.mobilePrefixes.contains(second)
        else {
            return .failure(FieldIssue(
                field: field, code: "phone.invalid",
                vi: "Số điện thoại di động phải có 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (hoặc +84).",
                en: "A mobile number has 10 digits starting 03, 05, 07, 08 or 09 (or +84 instead of the leading 0)."
            ))
        }
        return .success(digits)
    }

    /// A 12-digit citizen identity number (CCCD): province code 001-096, then a century-and-sex digit.
    public static func citizenID(_ input: String, field: String = "citizenId") -> Result<String, FieldIssue> {
        let digits = input.filter { $0 != " " }
        guard digits.count == 12, digits.allSatisfy(\.isASCIIDigit) else {
            return .failure(FieldIssue(
                field: field, code: "citizenId.format",
                vi: "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.",
                en: "A citizen identity number has exactly 12 digits."
            ))
        }
        guard let province = Int(digits.prefix(3)), (1...96).contains(province) else {
            return .failure(FieldIssue(
                field: field, code: "citizenId.province",
                vi: "Ba chữ số đầu của số định danh phải là mã tỉnh từ 001 đến 096.",
                en: "The first three digits of a citizen identity number are a province code from 001 to 096."
            ))
        }
        return .success(digits)
    }

    /// An e-mail address: one @, a non-empty local part, a dotted domain, no spaces. Lower-cases the domain.
    public static func email(_ input: String, field: String = "email") -> Result<String, FieldIssue> {
        let trimmed = input.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let failure = FieldIssue(
            field: field, code: "email.invalid",
            vi: "Địa chỉ thư điện tử không hợp lệ (ví dụ đúng: ten@example.vn).",
            en: "This is not an e-mail address (for example: name@example.vn)."
        )
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, trimmed.count <= 254,
              !trimmed.contains(where: \.isWhitespace)
        else { return .failure(failure) }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
              parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
        else { return .failure(failure) }
        return .success("\(parts[0])@\(parts[1].lowercased())")
    }
}
