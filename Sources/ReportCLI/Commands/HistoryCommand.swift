import ArgumentParser
import Store
import SyncCore

/// `report-cli history`: every version and transition of a report, oldest first.
struct HistoryCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show every version and transition of a report: who, when, where.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let entries = try replica.history(of: id)
        if global.json { return context.print(try Rendering.json(entries)) }
        let timeZone = Rendering.timeZone(of: try replica.policy())
        var table = TextTable(["WHEN", "WHO", "REPLICA", "WHAT"])
        for e in entries {
            let what: String
            switch e.kind {
            case .version:
                what = "version \(e.version ?? 0): \((e.changedFields ?? []).joined(separator: ", "))"
            case .transition:
                let saw = e.version.map { " (saw version \($0))" } ?? ""
                what = "\(e.action?.rawValue ?? "?"): \(e.from?.rawValue ?? "?") → \(e.to?.rawValue ?? "?")\(saw)"
                    + (e.comment.map { " — \($0)" } ?? "")
            }
            table.add([Rendering.local(e.at, in: timeZone), e.actor, String(e.replica.suffix(12)), what])
        }
        context.print(table.render())
    }
}
