import Foundation

/// A dossier code per Circular 01/2018/TT-VPCP: `<agency code>-<yyMMdd>-<NNNN>`.
public struct DossierCode: Hashable, Sendable, Codable, CustomStringConvertible {
    public let agencyCode: String
    /// The receipt day in Vietnam time.
    public let day: LocalDate
    /// The day's sequence number at that agency, 1...9999.
    public let sequence: Int

    public enum Problem: Error, Equatable, Sendable {
        case malformed(String)
        case invalidAgencyCode(String)
        case sequenceOutOfRange(Int)
    }

    public init(agencyCode: String, day: LocalDate, sequence: Int) throws(Problem) {
        guard Self.isValidAgencyCode(agencyCode) else { throw .invalidAgencyCode(agencyCode) }
        guard (1...9999).contains(sequence) else { throw .sequenceOutOfRange(sequence) }
        self.agencyCode = agencyCode
        self.day = day
        self.sequence = sequence
    }

    /// Parses a code; the agency part may itself hold dots and hyphens, so it is read from the right.
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3,
              let sequencePart = parts.last, sequencePart.count == 4, sequencePart.allSatisfy(\.isASCIIDigit),
              let sequence = Int(sequencePart)
        else { throw .malformed(text) }
        let datePart = parts[parts.count - 2]
        guard datePart.count == 6, datePart.allSatisfy(\.isASCIIDigit),
              let yy = Int(datePart.prefix(2)), let mm = Int(datePart.dropFirst(2).prefix(2)), let dd = Int(datePart.suffix(2)),
              let day = LocalDate(year: 2000 + yy, month: mm, day: dd)
        else { throw .malformed(text) }
        try self.init(agencyCode: parts.dropLast(2).joined(separator: "-"), day: day, sequence: sequence)
    }

    public var description: String {
        let date = Digits.padded(self.day.year % 100, width: 2) + Digits.padded(self.day.month, width: 2) + Digits.padded(self.day.day, width: 2)
        return "\(self.agencyCode)-\(date)-\(Digits.padded(self.sequence, width: 4))"
    }

    /// Agency codes are letters, digits, dots and hyphens, as in "000.00.12.H33".
    public static func isValidAgencyCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 32
            && code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-") }
            && code.first != "-" && code.last != "-"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a dossier code"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

extension Character {
    /// 0-9 only (not other scripts' digits).
    public var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}
