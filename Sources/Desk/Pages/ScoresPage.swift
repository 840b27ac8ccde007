import Bulletin
import Foundation

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

    init(frame: PageFrame, document: BulletinDocument) {
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
    }
}
