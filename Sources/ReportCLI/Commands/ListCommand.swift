import Foundation
import ArgumentParser
import Store
import StorePostgres
import SyncCore

/// `report-cli list`: the reports of this replica, most recently changed first.
struct ListCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List reports.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only reports in this state.") var state: ApprovalState?
    @Option(help: "Only reports of this category.") var category: ReportCategory?
    @Option(help: "Only reports of this unit.") var unit: String?
    @Flag(help: "List the local changes the central refused, with its reasons, instead.") var rejected = false

    func execute(in context: CommandContext) async throws {
        let filter = ReportFilter(state: state, category: category, unit: unit)
        if let central = try global.postgres(in: context) {
            // A central refuses changes; it keeps none of its own refused.
            if rejected { return context.print(global.json ? "[]" : "the central has refused nothing") }
            return try show(try await PostgresCentral.reports(matching: filter, at: central), policy: try await PostgresCentral.policy(at: central), in: context)
        }
        let replica = try global.openReplica(in: context)
        if rejected { return try listRejected(replica, in: context) }
        try show(try replica.reports(matching: filter), policy: try replica.policy(), in: context)
    }

    private func show(_ reports: [Report], policy: Policy, in context: CommandContext) throws {
        if global.json { return context.print(try Rendering.json(reports.map { ReportView(report: $0) })) }
        let timeZone = Rendering.timeZone(of: policy)
        var table = TextTable(["ID", "STATE", "CATEGORY", "UNIT", "UPDATED", "TITLE"])
        for r in reports {
            table.add([
                r.id, r.state.rawValue, r.content.category.rawValue, r.unit, Rendering.local(r.updatedAt, in: timeZone),
                r.content.title,
            ])
        }
        context.print(reports.isEmpty ? "no reports" : table.render())
    }

    func listRejected(_ replica: Replica, in context: CommandContext) throws {
        let rejections = try replica.role() == .field ? FieldReplica(replica).pushRejections() : []
        if global.json {
            struct Row: Encodable {
                let report: String
                let dot: String
                let reason: String
                let at: Date
            }
            return context.print(try Rendering.json(rejections.map { Row(report: $0.record, dot: $0.dot.description, reason: $0.reason, at: $0.at) }))
        }
        guard !rejections.isEmpty else { return context.print("the central has refused nothing") }
        let timeZone = Rendering.timeZone(of: try replica.policy())
        var table = TextTable(["REPORT", "WHEN", "CHANGE", "REASON"])
        for r in rejections { table.add([r.record, Rendering.local(r.at, in: timeZone), r.dot.description, r.reason]) }
        context.print(table.render())
    }
}
