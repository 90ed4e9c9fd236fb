/// The kinds of file the platform keeps, told apart by their first bytes rather than by a name or a header a client
/// chose: PDF, PNG, JPEG, Word and Excel documents (Office Open XML, which are ZIP archives) and XML.
enum ContentType: String, Codable, Sendable, CaseIterable {
    case pdf = "application/pdf"
    case png = "image/png"
    case jpeg = "image/jpeg"
    case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    case xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    case xml = "application/xml"

    /// How many leading bytes `sniff` wants: enough for an Office archive's first entries.
    static let headLength = 64 * 1024

    var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .png: "png"
        case .jpeg: "jpg"
        case .docx: "docx"
        case .xlsx: "xlsx"
        case .xml: "xml"
        }
    }

    /// The type the content is, from its first bytes; nil when it is none of the allowed ones.
    static func sniff(_ head: [UInt8]) -> ContentType? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<(offset + magic.count)]) == magic
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // An Office document is a ZIP whose entries name its part folder; any other archive is refused.
            guard contains(head, Array("[Content_Types].xml".utf8)) else { return nil }
            if contains(head, Array("word/".utf8)) { return .docx }
            if contains(head, Array("xl/".utf8)) { return .xlsx }
            return nil
        }
        var start = 0
        if starts([0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[start]) { start += 1 }
        if starts(Array("<?xml".utf8), at: start) { return .xml }
        return nil
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, Array(haystack[index..<(index + needle.count)]) == needle { return true }
            index += 1
        }
        return false
    }
}
