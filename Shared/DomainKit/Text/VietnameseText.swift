import Foundation

/// Vietnamese text is data: stored NFC, searched without diacritics.
public enum VietnameseText {
    /// Canonical composition, so "ệ" typed as e + two marks equals the precomposed "ệ".
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// A search key: diacritics removed, đ as d, lower-cased, runs of white space folded to one space.
    /// "Đăng ký  KẾT HÔN" and "dang ky ket hon" have the same key.
    public static func searchKey(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue
            case 0x0110, 0x0111: scalars.append("d")
            default: scalars.append(scalar)
            }
        }
        return String(scalars).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Text safe for channels that carry only ASCII, such as a bank's order description or a non-Unicode SMS.
    public static func withoutDiacritics(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue
            case 0x0110: scalars.append("D")
            case 0x0111: scalars.append("d")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
