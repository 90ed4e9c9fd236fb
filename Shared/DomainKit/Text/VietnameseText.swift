import Foundation

/// Vietnamese text is data: stored NFC, searched without diacritics.
public enum VietnameseText {
    /// Canonical composition, so "ệ" typed as e + two marks equals the precomposed "ệ".
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// A search key: diacritics removed, đ as d, lower-cased, runs of white space folded to one space.
    /// "Đăng ký  KẾT HÔN" and "dang ky ket hon" have the same key. Latin letters (Vietnamese's among them) are
    /// folded through a table made from `searchKeyByDecomposition`; text with anything else takes that longer way.
    public static func searchKey(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let byte: UInt8
            if value < 0x80 {
                if value == 0x20 || (0x09...0x0D).contains(value) {
                    pendingSpace = !output.isEmpty
                    continue
                }
                byte = (0x41...0x5A).contains(value) ? UInt8(value) + 0x20 : UInt8(value)
            } else if (0x0300...0x036F).contains(value) {
                continue
            } else if let folded = Self.latinFold[value] {
                byte = folded
            } else {
                return self.searchKeyByDecomposition(text)
            }
            if pendingSpace {
                output.append(0x20)
                pendingSpace = false
            }
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Each precomposed Latin letter whose key is one ASCII letter ("Ế" → "e", "Đ" → "d"), by scalar.
    private static let latinFold = Self.latinTable(Self.searchKeyByDecomposition) { (0x61...0x7A).contains($0) }

    /// The precomposed Latin letters (Latin-1 to Latin Extended-B, and Latin Extended Additional, where Vietnamese's
    /// are) that `convert` turns into one ASCII byte that `keep` accepts, by scalar.
    private static func latinTable(_ convert: (String) -> String, keep: (UInt8) -> Bool) -> [UInt32: UInt8] {
        var table: [UInt32: UInt8] = [:]
        for value in Array(0x00C0...0x024F) + Array(0x1E00...0x1EFF) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let converted = Array(convert(String(Character(scalar))).utf8)
            if converted.count == 1, keep(converted[0]) { table[UInt32(value)] = converted[0] }
        }
        return table
    }

    /// The definition of a search key, through Unicode decomposition; `searchKey` gives the same answer faster.
    public static func searchKeyByDecomposition(_ text: String) -> String {
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

    /// Text safe for channels that carry only ASCII, such as a bank's order description or a non-Unicode SMS:
    /// marks removed, Đ as D, đ as d, case kept. Latin letters go through a table made from
    /// `withoutDiacriticsByDecomposition`; text with anything else takes that longer way.
    public static func withoutDiacritics(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                output.append(UInt8(value))
            } else if (0x0300...0x036F).contains(value) {
                continue
            } else if let plain = Self.latinPlain[value] {
                output.append(plain)
            } else {
                return self.withoutDiacriticsByDecomposition(text)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Each precomposed Latin letter that is one ASCII letter without its marks ("Ế" → "E", "đ" → "d"), by scalar.
    private static let latinPlain = Self.latinTable(Self.withoutDiacriticsByDecomposition) { $0 < 0x80 }

    /// The definition of `withoutDiacritics`, through Unicode decomposition; `withoutDiacritics` gives the same answer faster.
    public static func withoutDiacriticsByDecomposition(_ text: String) -> String {
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
