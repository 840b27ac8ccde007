import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli score`: a unit's points for a month or quarter, and with `--explain` every line that makes them.
struct ScoreCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "score", abstract: "Points (积分) per unit for a month or quarter; --explain lists every line of the total.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this unit.") var unit: String?
    @OptionGroup var period: PeriodOptions
    @Flag(help: "List every line that makes the total.") var explain = false
    @Flag(help: "Score each person instead, ranked (先进个人): reports drafted, adopted, per-person quota, points.") var byPerson = false

    func execute(in context: CommandContext) async throws {
        let now = Date()
        let (period, unit, byPerson) = (period, unit, byPerson)
        let (cards, people) = try await OfficeScope.judge(global, in: context) { office in
            let p = try period.period(policy: try office.currentPolicy(), now: now)
            return byPerson
                ? ([], try office.personScores(period: p, unit: unit, now: now)) : (try office.scorecards(period: p, unit: unit, now: now), [])
        }
        if byPerson { return try printPeople(people, in: context) }
        if global.json { return context.print(try Rendering.json(unit == nil ? AnyEncodable(cards) : AnyEncodable(cards[0]))) }
        for card in cards {
            let target = card.pointsTarget.map { " (annual target \($0): \(card.total >= $0 ? "met" : "not met"))" } ?? ""
            context.print("\(card.unitName) (\(card.unit)) \(card.period): \(card.total) points\(target)")
            guard explain else { continue }
            var table = TextTable(["POINTS", "RULE", "WHAT"])
            for line in card.lines { table.add([String(format: "%+d", line.points), line.rule, line.detail]) }
            context.print(card.lines.isEmpty ? "  (no line earns or costs points)" : table.render())
            context.print("")
        }
    }
}

extension ScoreCommand {
    /// People ranked, with `--explain` the lines behind each one's points.
    func printPeople(_ people: [PersonScore], in context: CommandContext) throws {
        if global.json { return context.print(try Rendering.json(people)) }
        var table = TextTable(["RANK", "PERSON", "NAME", "UNIT", "SENT", "ADOPTED", "QUOTA", "SHORT BY", "POINTS"])
        for (i, p) in people.enumerated() {
            table.add([
                String(i + 1), p.member, p.name, p.unit, String(p.submitted), String(p.adopted), p.quota == 0 ? "-" : String(p.quota),
                p.shortBy == 0 ? "-" : String(p.shortBy), String(p.points),
            ])
        }
        context.print(people.isEmpty ? "no one drafts in these units" : table.render())
        guard explain else { return }
        for p in people where !p.lines.isEmpty {
            context.print("")
            context.print("\(p.name) (\(p.member)):")
            for line in p.lines { context.print("  \(String(format: "%+d", line.points))  \(line.rule)  \(line.detail)") }
        }
    }
}

/// Lets one command print either an array or a single object as JSON.
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// `report-cli quota`: who is short of the monthly quota (and, for a quarter, of research items).
struct QuotaCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota", abstract: "Reports sent against each unit's quota (每月报送不少于), shortest first.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions

    struct Row: Encodable {
        let unit: String
        let name: String
        let quota: Int
        let submitted: Int
        /// Those that count toward the quota (late or rejected ones may not: policy `quotas`).
        let counted: Int
        let shortBy: Int
        let research: Int
        let researchQuota: Int
    }

    func execute(in context: CommandContext) async throws {
        let now = Date()
        let period = period
        let (p, cards) = try await OfficeScope.judge(global, in: context) { office in
            let p = try period.period(policy: try office.currentPolicy(), now: now)
            return (p, try office.scorecards(period: p, now: now))
        }
        let rows = cards.map {
            Row(unit: $0.unit, name: $0.unitName, quota: $0.quota, submitted: $0.submitted, counted: $0.countedTowardQuota, shortBy: $0.shortBy, research: $0.research,
                researchQuota: $0.researchQuota)
        }.sorted { ($1.shortBy, $0.unit) < ($0.shortBy, $1.unit) }
        if global.json { return context.print(try Rendering.json(rows)) }
        var table = TextTable(["UNIT", "NAME", "QUOTA", "SENT", "COUNTED", "SHORT BY"] + (p.kind != .month ? ["RESEARCH"] : []))
        for r in rows {
            table.add(
                [r.unit, r.name, String(r.quota), String(r.submitted), String(r.counted), r.shortBy == 0 ? "-" : String(r.shortBy)]
                    + (p.kind != .month ? ["\(r.research)/\(r.researchQuota)"] : []))
        }
        context.print("\(p): reports signed off against the quota")
        context.print(table.render())
    }
}
