import CQRencode

/// A QR code (libqrencode, error correction M) as an inline SVG that prints sharp at any size: the slips' link to
/// the public look-up. The SVG is made here from numbers only, so a template may write it raw (`{{{qr}}}`).
public enum QRCode {
    /// The modules of `text`'s code, row by row (true: dark); nil when libqrencode refuses it (too long).
    public static func modules(_ text: String) -> [[Bool]]? {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        return (0..<width).map { row in (0..<width).map { column in data[row * width + column] & 1 == 1 } }
    }

    /// An SVG of the code with the four-module quiet zone the standard asks for; `label` is its accessible name.
    public static func svg(_ text: String, label: String) -> String? {
        guard let modules = self.modules(text) else { return nil }
        let size = modules.count + 8
        var path = ""
        for (row, line) in modules.enumerated() {
            var column = 0
            while column < line.count {
                guard line[column] else { column += 1; continue }
                let start = column
                while column < line.count && line[column] { column += 1 }
                path += "M\(start + 4) \(row + 4)h\(column - start)v1h-\(column - start)z"
            }
        }
        let name = label.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(size) \(size)\" class=\"qr\" role=\"img\" aria-label=\"\(name)\" "
            + "shape-rendering=\"crispEdges\"><rect width=\"\(size)\" height=\"\(size)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }
}
