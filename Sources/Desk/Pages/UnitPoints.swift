import Store
import SyncCore

/// One unit's points for the period, explained line by line (as `report-cli score --explain`), each
/// report named as the desk names it.
struct UnitPoints {
    struct Line {
        let points: String
        let negative: Bool
        let rule: String
        let subject: String
        let href: String?
    }

    let unit: String
    let name: String
    let total: Int
    let lines: [Line]
    let empty: Bool

    init(_ card: Scorecard, scores: DeskScores) {
        unit = card.unit
        name = card.unitName
        total = card.total
        lines = card.lines.map { line in
            // A line about a report names it by its desk title; the others (quota, solicitations) say what they count.
            let subject = line.report.map { scores.reportTitles[$0] ?? DeskReport.unsentTitle } ?? line.detail
            return Line(
                points: line.points > 0 ? "+\(line.points)" : String(line.points), negative: line.points < 0,
                rule: DeskWording.scoreRule(line.rule), subject: subject,
                href: line.report.flatMap { scores.linkable.contains($0) ? "/desk/reports/\($0)" : nil })
        }
        empty = lines.isEmpty
    }
}
