import SyncCore

/// The period's totals as a horizontal bar chart, drawn as inline SVG by the server (no script, no
/// inline style: the page's content security policy allows neither).
struct PointsChart {
    struct Bar {
        let label: String
        let total: Int
        /// The bar's box and where its text goes, in SVG user units.
        let y: Int
        let textY: Int
        let x: Int
        let width: Int
        let valueX: Int
        let negative: Bool
    }

    static let rowHeight = 28
    static let labelWidth = 160
    static let plotWidth = 480

    let bars: [Bar]
    let width = PointsChart.labelWidth + PointsChart.plotWidth + 60
    let height: Int
    /// Where zero is, and the axis line's length.
    let zeroX: Int
    let empty: Bool

    /// Bars from the lowest total (or zero) to the highest (or zero), in the cards' order.
    init(_ cards: [Scorecard]) {
        let low = min(0, cards.map(\.total).min() ?? 0)
        let high = max(0, cards.map(\.total).max() ?? 0)
        let span = max(1, high - low)
        let scale = { (value: Int) in Self.labelWidth + (value - low) * Self.plotWidth / span }
        let zero = scale(0)
        zeroX = zero
        bars = cards.enumerated().map { i, card in
            let end = scale(card.total)
            return Bar(
                label: card.unitName, total: card.total, y: i * Self.rowHeight + 4, textY: i * Self.rowHeight + 19, x: min(zero, end),
                width: max(1, abs(end - zero)), valueX: max(zero, end) + 6, negative: card.total < 0)
        }
        height = max(1, cards.count) * Self.rowHeight + 8
        empty = cards.isEmpty
    }
}
