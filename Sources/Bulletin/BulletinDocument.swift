import Foundation
import SyncCore

/// A bulletin (通报): the period's table of ranked units, ready to render as Markdown, CSV or HTML.
public struct BulletinDocument: Encodable, Sendable {
    /// One unit's line.
    public struct Row: Encodable, Equatable, Sendable {
        public let rank: Int
        public let unit: String
        public let name: String
        public let submitted: Int
        public let quota: Int
        /// Adoptions by level, in the order county, city, province, national.
        public let adopted: [Int]
        public let adoptionRate: Double
        public let instructions: Int
        public let points: Int
        public let late: Int
        public let missing: Int
        public let solicitationsAnswered: Int
        public let solicitationsDue: Int
    }

    public let bureau: String
    public let period: String
    public let rows: [Row]
    /// The language and time zone it is written in (not part of `--json`).
    public let wording: BulletinWording
    /// The late, missing and false items, by unit in rank order (点名).
    public let named: [(unit: String, name: String, items: [Scorecard.NamedItem])]

    enum Keys: String, CodingKey { case bureau, period, rows, named }

    /// One unit's named items, as `--json` gives them.
    struct NamedUnit: Encodable {
        let unit: String
        let name: String
        let items: [Scorecard.NamedItem]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(bureau, forKey: .bureau)
        try container.encode(period, forKey: .period)
        try container.encode(rows, forKey: .rows)
        try container.encode(named.map { NamedUnit(unit: $0.unit, name: $0.name, items: $0.items) }, forKey: .named)
    }

    /// Ranks units as `BulletinRanking` orders them: the share of the quota met, then points.
    public init(bureau: String, period: Period, cards: [Scorecard], wording: BulletinWording) {
        self.bureau = bureau
        self.wording = wording
        self.period = period.description
        let ranked = BulletinRanking.ranked(cards)
        named = ranked.filter { !$0.named.isEmpty }.map { ($0.unit, $0.unitName, $0.named) }
        rows = ranked.enumerated().map { i, c in
            Row(
                rank: i + 1, unit: c.unit, name: c.unitName, submitted: c.submitted, quota: c.quota,
                adopted: AdoptionLevel.allCases.map { c.adoptions[$0.rawValue] ?? 0 }, adoptionRate: c.adoptionRate,
                instructions: c.instructions, points: c.total, late: c.late, missing: c.missing,
                solicitationsAnswered: c.solicitationsAnswered, solicitationsDue: c.solicitationsDue)
        }
    }

    /// The cells of a row, as every format shows them.
    public static func cells(_ r: Row) -> [String] {
        [String(r.rank), r.unit, r.name, String(r.submitted), String(r.quota)] + r.adopted.map(String.init)
            + [String(format: "%.0f%%", r.adoptionRate * 100), String(r.instructions), String(r.points), String(r.late), String(r.missing),
                "\(r.solicitationsAnswered)/\(r.solicitationsDue)"]
    }

    public var markdown: String {
        var lines = ["# " + wording.title(bureau: bureau, period: period), "", wording.orderNote, ""]
        lines.append("| " + wording.headers.joined(separator: " | ") + " |")
        lines.append("|" + wording.headers.map { _ in " --- |" }.joined())
        for row in rows {
            lines.append("| " + Self.cells(row).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        if !named.isEmpty {
            lines += ["", "## " + wording.namedHeading, ""]
            for unit in named {
                lines += unit.items.map { "- " + wording.namedLine($0, unit: unit.unit, name: unit.name) }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var csv: String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([wording.headers] + rows.map(Self.cells)).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
