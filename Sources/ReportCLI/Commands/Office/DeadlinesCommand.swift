import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli deadlines`: overdue and due-soon items (时限), judged by event and sign-off times.
struct DeadlinesCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines",
        abstract: "Overdue and due-soon reports and solicitations; a field replica sees its unit, the central all units.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this unit.") var unit: String?
    @Flag(help: "Also list items already met, late, declined or with time left.") var all = false
    @Option(help: "Judge as of this time instead of now, e.g. 2026-10-15T09:00 (bureau time).") var at: String?

    func execute(in context: CommandContext) async throws {
        let (at, unit, all) = (at, unit, all)
        let (zone, items) = try await OfficeScope.judge(global, in: context) { office in
            let zone = Rendering.timeZone(of: try office.currentPolicy())
            let now = try at.map { try TimestampParser.require($0, timeZone: zone, what: "--at") } ?? Date()
            return (zone, try office.deadlines(now: now, unit: unit, openOnly: !all))
        }
        if global.json { return context.print(try Rendering.json(items)) }
        guard !items.isEmpty else { return context.print("nothing overdue or due soon") }
        var table = TextTable(["STATUS", "DUE", "UNIT", "RULE", "SIGNED OFF", "ARRIVED", "REPORT"])
        for d in items {
            table.add([
                d.status.rawValue, BureauTime.dueText(d.due, in: zone), d.unit, d.rule, Rendering.local(d.signedAt, in: zone),
                Rendering.local(d.receivedAt, in: zone), "\(d.report.count == 36 ? String(d.report.prefix(13)) : d.report) \(d.title)",
            ])
        }
        context.print(table.render())
    }
}
