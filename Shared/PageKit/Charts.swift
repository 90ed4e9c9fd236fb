import Foundation

/// Charts drawn on the server as SVG by the `bar-chart` and `line-chart` partials: no script, no library, readable
/// by screen readers (a title, a description with every figure, and the figures in text beside every bar and point).
/// The geometry is worked out here; the partials only write it, escaped like any other value.
public enum Charts {
    public struct Bar: Sendable {
        public let label: String
        public let value: Int
        /// A colour with at least 3:1 contrast on white (WCAG's non-text contrast).
        public let colour: String

        public init(label: String, value: Int, colour: String) {
            self.label = label
            self.value = value
            self.colour = colour
        }
    }

    /// Horizontal bars, one per row, each with its label and value written out.
    public struct BarChart: Sendable {
        public struct Row: Sendable {
            public var label: String
            public var value: Int
            public var colour: String
            public var textY: Int
            public var barX: Int
            public var barY: Int
            /// The bar's length: the largest value fills the room, any other value at least 2 units so that it shows.
            public var length: Int
            public var valueX: Int
        }

        public var id: String
        public var title: String
        public var summary: String
        public var width: Int
        public var height: Int
        public var rows: [Row]

        public init(_ bars: [Bar], title: String, id: String, width: Int = 640) {
            let rowHeight = 34, labelWidth = 200, valueWidth = 70
            let largest = max(1, bars.map(\.value).max() ?? 1)
            let room = width - labelWidth - valueWidth
            self.id = id
            self.title = title
            self.summary = bars.map { "\($0.label): \($0.value)" }.joined(separator: "; ")
            self.width = width
            self.height = rowHeight * max(1, bars.count) + 8
            self.rows = bars.enumerated().map { index, bar in
                let y = 4 + index * rowHeight
                let length = bar.value == 0 ? 0 : max(2, room * bar.value / largest)
                return Row(label: bar.label, value: bar.value, colour: bar.colour, textY: y + 21, barX: labelWidth, barY: y + 6, length: length,
                           valueX: labelWidth + length + 6)
            }
        }
    }

    /// A line over labelled points (the months of a year), the value written above each point.
    public struct LineChart: Sendable {
        public struct Point: Sendable {
            public var label: String
            public var value: Int
            public var x: Int
            public var y: Int
            public var valueY: Int
        }

        public var id: String
        public var title: String
        public var summary: String
        public var width: Int
        public var height: Int
        /// Where the axis runs and the labels stand.
        public var left: Int
        public var right: Int
        public var baseline: Int
        public var labelY: Int
        /// The SVG path through the points (`M10,20 L60,40 …`).
        public var path: String
        public var points: [Point]

        public init(_ points: [(label: String, value: Int)], title: String, id: String, width: Int = 640, height: Int = 220) {
            let left = 10, right = 10, top = 24, bottom = 28
            let largest = max(1, points.map(\.value).max() ?? 1)
            let step = points.count > 1 ? Double(width - left - right) / Double(points.count - 1) : 0
            func x(_ index: Int) -> Int { left + Int((Double(index) * step).rounded()) }
            func y(_ value: Int) -> Int { top + (height - top - bottom) - (height - top - bottom) * value / largest }
            self.id = id
            self.title = title
            self.summary = points.map { "\($0.label): \($0.value)" }.joined(separator: "; ")
            self.width = width
            self.height = height
            self.left = left
            self.right = width - right
            self.baseline = height - bottom
            self.labelY = height - 8
            self.path = points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(x($0.offset)),\(y($0.element.value))" }.joined(separator: " ")
            self.points = points.enumerated().map { index, point in
                Point(label: point.label, value: point.value, x: x(index), y: y(point.value), valueY: y(point.value) - 8)
            }
        }
    }
}
