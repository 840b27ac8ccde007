import ArgumentParser
import Store
import SyncCore

/// `report-cli list`: the reports of this replica, most recently changed first.
struct ListCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List reports.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only reports in this state.") var state: ApprovalState?
    @Option(help: "Only reports of this category.") var category: ReportCategory?
    @Option(help: "Only reports of this unit.") var unit: String?

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let reports = try replica.reports(matching: ReportFilter(state: state, category: category, unit: unit))
        if global.json { return context.print(try Rendering.json(reports.map(ReportView.init))) }
        let timeZone = Rendering.timeZone(of: try replica.policy())
        var table = TextTable(["ID", "STATE", "CATEGORY", "UNIT", "UPDATED", "TITLE"])
        for r in reports {
            table.add([
                r.id, r.state.rawValue, r.content.category.rawValue, r.unit, Rendering.local(r.updatedAt, in: timeZone),
                r.content.title,
            ])
        }
        context.print(reports.isEmpty ? "no reports" : table.render())
    }
}
