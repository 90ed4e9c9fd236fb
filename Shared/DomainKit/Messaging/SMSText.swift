/// How long an SMS is on the air: GSM 03.38's 7-bit alphabet when every character is in it (160 characters in one
/// message, 153 a part once it is split), UCS-2 otherwise (70, and 67 a part). Vietnamese with its diacritics is
/// UCS-2; brandname routes that carry only the 7-bit alphabet get the text without diacritics (`forGSM`).
public struct SMSText: Sendable, Equatable {
    public enum Encoding: String, Sendable, Codable {
        case gsm7
        case ucs2
    }

    public let text: String
    public let encoding: Encoding
    /// Septets for GSM-7 (characters of the extension table take two), UTF-16 code units for UCS-2.
    public let units: Int

    public init(_ text: String) {
        self.text = text
        if let septets = Self.septets(text) {
            self.encoding = .gsm7
            self.units = septets
        } else {
            self.encoding = .ucs2
            self.units = text.utf16.count
        }
    }

    /// The text as a non-Unicode route carries it: Vietnamese letters without their marks, đ as d.
    public static func forGSM(_ text: String) -> SMSText {
        SMSText(VietnameseText.withoutDiacritics(text))
    }

    /// How many messages the network sends: one up to 160 (GSM-7) or 70 (UCS-2), else parts of 153 or 67.
    public var segments: Int {
        let (single, part) = self.encoding == .gsm7 ? (160, 153) : (70, 67)
        if self.units == 0 { return 1 }
        return self.units <= single ? 1 : (self.units + part - 1) / part
    }

    /// The text as a route sends it — as written on Unicode routes, without diacritics on 7-bit ones — or how
    /// many segments it would take when that is over the limit.
    public static func prepare(_ text: String, unicode: Bool, maximumSegments: Int) -> Result<SMSText, TooLong> {
        let sms = unicode ? SMSText(text) : SMSText.forGSM(text)
        return sms.segments <= maximumSegments ? .success(sms) : .failure(TooLong(segments: sms.segments, limit: maximumSegments))
    }

    /// An SMS over the segment limit.
    public struct TooLong: Error, Sendable, Equatable {
        public let segments: Int
        public let limit: Int

        public init(segments: Int, limit: Int) {
            self.segments = segments
            self.limit = limit
        }
    }

    /// The GSM 03.38 basic character set.
    static let basic: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà".unicodeScalars
    )
    /// Characters of the extension table, each sent as an escape and itself.
    static let extended: Set<Unicode.Scalar> = Set("^{}\\[~]|€\u{0C}".unicodeScalars)
    /// Septets of each ASCII character: 1 in the basic set, 2 in the extension table, 0 in neither.
    static let asciiSeptets: [UInt8] = (0..<128).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        return Self.basic.contains(scalar) ? 1 : Self.extended.contains(scalar) ? 2 : 0
    }

    /// Septets needed in GSM-7, or nil when some character is not in its alphabet. Counted by Unicode scalar: a
    /// letter with a combining mark is not in the alphabet, and CR LF is two septets as it is two characters on the air.
    static func septets(_ text: String) -> Int? {
        var count = 0
        for scalar in text.unicodeScalars {
            let septets: UInt8
            if scalar.value < 0x80 {
                septets = Self.asciiSeptets[Int(scalar.value)]
            } else {
                septets = Self.basic.contains(scalar) ? 1 : Self.extended.contains(scalar) ? 2 : 0
            }
            guard septets > 0 else { return nil }
            count += Int(septets)
        }
        return count
    }
}
