import Foundation

/// Charts drawn on the server as SVG: no script, no library, readable by screen readers (a title, a description, and
/// the figures in text beside every bar and point).
enum Charts {
    struct Bar {
        let label: String
        let value: Int
        /// A colour with at least 3:1 contrast on white (WCAG's non-text contrast).
        let colour: String
    }

    /// Horizontal bars, one per row, each with its label and value written out.
    static func bars(_ bars: [Bar], title: String, id: String, width: Int = 640) -> String {
        let rowHeight = 34, labelWidth = 200, valueWidth = 70
        let height = rowHeight * max(1, bars.count) + 8
        let largest = max(1, bars.map(\.value).max() ?? 1)
        let room = width - labelWidth - valueWidth
        var rows = ""
        for (index, bar) in bars.enumerated() {
            let y = 4 + index * rowHeight
            let length = bar.value == 0 ? 0 : max(2, room * bar.value / largest)
            rows += "<text x=\"0\" y=\"\(y + 21)\" font-size=\"14\" fill=\"#1b1f24\">\(HTML.escape(bar.label))</text>"
                + "<rect x=\"\(labelWidth)\" y=\"\(y + 6)\" width=\"\(length)\" height=\"20\" fill=\"\(bar.colour)\"/>"
                + "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 21)\" font-size=\"14\" fill=\"#1b1f24\">\(bar.value)</text>"
        }
        let summary = bars.map { "\($0.label): \($0.value)" }.joined(separator: "; ")
        return """
            <svg class="chart" role="img" viewBox="0 0 \(width) \(height)" width="100%" aria-labelledby="\(id)-title">\
            <title id="\(id)-title">\(HTML.escape(title))</title><desc>\(HTML.escape(summary))</desc>\(rows)</svg>
            """
    }

    /// A line over labelled points (months of a year), the value written above each point.
    static func line(_ points: [(label: String, value: Int)], title: String, id: String, width: Int = 640, height: Int = 220) -> String {
        guard !points.isEmpty else { return "" }
        let left = 10, right = 10, top = 24, bottom = 28
        let largest = max(1, points.map(\.value).max() ?? 1)
        let step = points.count > 1 ? Double(width - left - right) / Double(points.count - 1) : 0
        func x(_ index: Int) -> Int { left + Int((Double(index) * step).rounded()) }
        func y(_ value: Int) -> Int { top + (height - top - bottom) - (height - top - bottom) * value / largest }
        let path = points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(x($0.offset)),\(y($0.element.value))" }.joined(separator: " ")
        var marks = ""
        for (index, point) in points.enumerated() {
            marks += "<circle cx=\"\(x(index))\" cy=\"\(y(point.value))\" r=\"4\" fill=\"#7d0f12\"/>"
                + "<text x=\"\(x(index))\" y=\"\(y(point.value) - 8)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1b1f24\">\(point.value)</text>"
                + "<text x=\"\(x(index))\" y=\"\(height - 8)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#4f5863\">\(HTML.escape(point.label))</text>"
        }
        let summary = points.map { "\($0.label): \($0.value)" }.joined(separator: "; ")
        return """
            <svg class="chart" role="img" viewBox="0 0 \(width) \(height)" width="100%" aria-labelledby="\(id)-title">\
            <title id="\(id)-title">\(HTML.escape(title))</title><desc>\(HTML.escape(summary))</desc>\
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="#c9d0d8"/>\
            <path d="\(path)" fill="none" stroke="#7d0f12" stroke-width="2"/>\(marks)</svg>
            """
    }
}
