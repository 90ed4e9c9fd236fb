/// `application/x-www-form-urlencoded`, as HTML forms, query strings and the bank gateway's signatures use it.
public enum FormEncoding {
    /// UTF-8; letters, digits and `-_.*` kept; space as `+`; every other byte `%XX` in upper case (what Java's
    /// URLEncoder and the HTML standard write). Not URLComponents, which writes a space as `%20`.
    public static func encode(_ value: String) -> String {
        self.percentEncoded(value, spaceAsPlus: true) { $0 == UInt8(ascii: "*") }
    }

    /// A query string of the pairs, in their order, each name and value encoded as `encode` does.
    public static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { self.encode($0.0) + "=" + self.encode($0.1) }.joined(separator: "&")
    }

    /// RFC 3986's strict form: letters, digits and `-._~` kept, every other byte (space too) `%XX` in upper case.
    public static func encodeUnreserved(_ value: String) -> String {
        self.percentEncoded(value, spaceAsPlus: false) { $0 == UInt8(ascii: "~") }
    }

    /// Letters, digits, `-_.` and what `alsoKept` accepts as they are; every other byte `%XX`.
    private static func percentEncoded(_ value: String, spaceAsPlus: Bool, alsoKept: (UInt8) -> Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(value.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                out.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus:
                out.append(UInt8(ascii: "+"))
            case _ where alsoKept(byte):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A query string's (or form body's) parameters, decoded; a name given twice keeps its first value. Nil when
    /// any part cannot be decoded.
    public static func parameters(of query: String) -> [String: String]? {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else { return nil }
            if parameters[name] == nil { parameters[name] = value }
        }
        return parameters
    }

    /// "+" to a space and "%XX" to its byte, over UTF-8 bytes (this runs for every parameter of every request);
    /// nil for a broken escape or bytes that are not UTF-8.
    public static func decode(_ text: Substring) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let h = Self.hexValue(utf8[high]), let l = Self.hexValue(utf8[low]) else { return nil }
                bytes.append(h << 4 | l)
                index = low
            } else {
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
