import Bulletin
import Foundation
import Store

/// A period's scores: the bulletin's ranked table and named items, with the bulletin to download.
struct ScoresPage {
    struct Row {
        let cells: [String]
    }

    let frame: PageFrame
    let period: String
    let title: String
    let orderNote: String
    let headers: [String]
    let rows: [Row]
    let namedHeading: String
    let named: [String]
    let hasNamed: Bool
    /// The download links' query (`period=…`).
    let query: String
    /// Each unit's points, line by line, highest total first.
    let units: [UnitPoints]
    let chart: PointsChart

    init(frame: PageFrame, document: BulletinDocument, scores: DeskScores) {
        self.frame = frame
        period = document.period
        title = document.wording.title(bureau: document.bureau, period: document.period)
        orderNote = document.wording.orderNote
        headers = document.wording.headers
        rows = document.rows.map { Row(cells: BulletinDocument.cells($0)) }
        namedHeading = document.wording.namedHeading
        named = document.named.flatMap { unit in unit.items.map { document.wording.namedLine($0, unit: unit.unit, name: unit.name) } }
        hasNamed = !named.isEmpty
        query = "period=" + document.period
        let cards = scores.cards.sorted { ($1.total, $0.unit) < ($0.total, $1.unit) }
        units = cards.map { UnitPoints($0, scores: scores) }
        chart = PointsChart(cards)
    }
}
