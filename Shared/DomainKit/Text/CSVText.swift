/// CSV fields as RFC 4180 writes them, for files people open in Excel or LibreOffice.
public enum CSVText {
    /// The field, in quotes when it holds a comma, a quote or a line break (quotes doubled).
    public static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The same for a file a spreadsheet opens: a field that a spreadsheet would take for a formula (it begins with
    /// = + - @, a tab or a carriage return) is written with an apostrophe first, so an applicant's name cannot run
    /// as a formula on an officer's computer.
    public static func cell(_ field: String) -> String {
        guard let first = field.first, "=+-@\t\r".contains(first) else { return self.quoted(field) }
        return self.quoted("'" + field)
    }

    /// A row of cells, ended as RFC 4180 ends them.
    public static func row(_ fields: [String]) -> String { fields.map(self.cell).joined(separator: ",") + "\r\n" }

    /// The byte-order mark that makes Excel read a CSV file as UTF-8 (Vietnamese intact).
    public static let byteOrderMark = "\u{FEFF}"
}
