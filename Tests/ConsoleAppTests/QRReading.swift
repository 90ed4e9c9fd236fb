import Foundation
import ServiceTesting

/// Reads the QR code of a printed page with zbarimg (zbar-tools), a decoder no one here wrote: the page's SVG
/// modules are drawn into a greyscale image, four pixels a module, and zbarimg says what the code holds.
enum QRReading {
    struct Missing: Error, CustomStringConvertible { let description: String }

    static func decode(_ html: String) throws -> String {
        guard let svg = html.range(of: #"<svg[^>]*viewBox="0 0 (\d+) \d+"[^>]*class="qr".*?</svg>"#, options: .regularExpression).map({ String(html[$0]) }),
              let sizeMatch = svg.range(of: #"viewBox="0 0 \d+"#, options: .regularExpression),
              let size = Int(svg[sizeMatch].split(separator: " ").last ?? "") else { throw Missing(description: "the page has no QR code") }
        var grid = [[Bool]](repeating: [Bool](repeating: false, count: size), count: size)
        let regex = try NSRegularExpression(pattern: #"M(\d+) (\d+)h(\d+)"#)
        for match in regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)) {
            let numbers = (1...3).map { Int(svg[Range(match.range(at: $0), in: svg)!])! }
            for column in numbers[0]..<(numbers[0] + numbers[2]) { grid[numbers[1]][column] = true }
        }
        let scale = 4
        var pixels = "P2\n\(size * scale) \(size * scale)\n255\n"
        for row in grid {
            let line = row.flatMap { [String](repeating: $0 ? "0" : "255", count: scale) }.joined(separator: " ")
            for _ in 0..<scale { pixels += line + "\n" }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm")
        try pixels.write(to: file, atomically: true, encoding: .ascii)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try ExternalTool.run("/usr/bin/zbarimg", ["--raw", "-q", file.path], errors: false)
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, !text.isEmpty else { throw Missing(description: "zbarimg read no code (status \(status))") }
        return text
    }
}
