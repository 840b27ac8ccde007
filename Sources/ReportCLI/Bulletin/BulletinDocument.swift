import Foundation
import SyncCore

/// A bulletin (通报): the period's table of ranked units, ready to render as Markdown, CSV or HTML.
struct BulletinDocument: Encodable {
    /// One unit's line.
    struct Row: Encodable, Equatable {
        let rank: Int
        let unit: String
        let name: String
        let submitted: Int
        let quota: Int
        /// Adoptions by level, in the order county, city, province, national.
        let adopted: [Int]
        let adoptionRate: Double
        let instructions: Int
        let points: Int
        let late: Int
        let missing: Int
        let solicitationsAnswered: Int
        let solicitationsDue: Int
    }

    let bureau: String
    let period: String
    let rows: [Row]

    /// Ranks units as `BulletinRanking` orders them: the share of the quota met, then points.
    init(bureau: String, period: Period, cards: [Scorecard]) {
        self.bureau = bureau
        self.period = period.description
        let ranked = BulletinRanking.ranked(cards)
        rows = ranked.enumerated().map { i, c in
            Row(
                rank: i + 1, unit: c.unit, name: c.unitName, submitted: c.submitted, quota: c.quota,
                adopted: AdoptionLevel.allCases.map { c.adoptions[$0.rawValue] ?? 0 }, adoptionRate: c.adoptionRate,
                instructions: c.instructions, points: c.total, late: c.late, missing: c.missing,
                solicitationsAnswered: c.solicitationsAnswered, solicitationsDue: c.solicitationsDue)
        }
    }

    static let headers = [
        "rank", "unit", "name", "submitted", "quota", "adopted county", "adopted city", "adopted province", "adopted national",
        "adoption rate", "instructions", "points", "late", "missing", "solicitations answered/due",
    ]

    /// The cells of a row, as every format shows them.
    static func cells(_ r: Row) -> [String] {
        [String(r.rank), r.unit, r.name, String(r.submitted), String(r.quota)] + r.adopted.map(String.init)
            + [String(format: "%.0f%%", r.adoptionRate * 100), String(r.instructions), String(r.points), String(r.late), String(r.missing),
                "\(r.solicitationsAnswered)/\(r.solicitationsDue)"]
    }

    /// The sentence under the title that says how the table is ordered.
    static let orderNote = "Units ranked by the share of their quota met, then by points (积分)."

    var markdown: String {
        var lines = ["# \(bureau) 信息报送通报 \(period)", "", Self.orderNote, ""]
        lines.append("| " + Self.headers.joined(separator: " | ") + " |")
        lines.append("|" + Self.headers.map { _ in " --- |" }.joined())
        for row in rows {
            lines.append("| " + Self.cells(row).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var csv: String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([Self.headers] + rows.map(Self.cells)).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
