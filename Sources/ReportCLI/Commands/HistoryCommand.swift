import Foundation
import ArgumentParser
import Store
import StorePostgres
import SyncCore

/// `report-cli history`: everything that happened to a report, in causal order, and why it stands where it does.
struct HistoryCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every version and transition of a report — who, when, where — including conflict losers and refusals.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String

    func execute(in context: CommandContext) async throws {
        let (history, policy): (ReportHistory, Policy)
        if let central = try global.postgres(in: context) {
            (history, policy) = (try await PostgresCentral.history(of: id, at: central), try await PostgresCentral.policy(at: central))
        } else {
            let replica = try global.openReplica(in: context)
            (history, policy) = (try replica.history(of: id), try replica.policy())
        }
        if global.json { return context.print(try Rendering.json(history)) }
        let timeZone = Rendering.timeZone(of: policy)
        context.print("\(history.report)  \(history.title)")
        context.print("state: \(history.state.rawValue) — \(history.because)")
        context.print("")
        var table = TextTable(["WHEN", "WHO", "REPLICA", "OUTCOME", "WHAT"])
        for e in history.entries {
            table.add([
                Rendering.local(e.at, in: timeZone, seconds: true), e.actor, ConflictText.replica(e.replica), e.outcome.rawValue,
                Self.describe(e, in: timeZone) + (e.note.map { " — \($0)" } ?? "") + (e.signature.map { " [\($0)]" } ?? "")
                    + (e.kind == .resolution ? "" : e.conflict.map { " [conflict \($0)]" } ?? ""),
            ])
        }
        context.print(table.render())
    }

    static func describe(_ e: HistoryEntry, in timeZone: TimeZone) -> String {
        let detail = e.detail.map { " (\(ResultText.describe($0, in: timeZone)))" } ?? ""
        switch e.kind {
        case .version:
            let what = e.version == 1 ? "created" : "edited"
            return "\(what) (v\(e.version ?? 0)): \(Self.fieldList(e.changedFields ?? []))"
        case .transition:
            let saw = e.version.map { " (saw version \($0))" } ?? ""
            return "\(e.action?.rawValue ?? "?"): \(e.from?.rawValue ?? "?") → \(e.to?.rawValue ?? "?")\(detail)\(saw)"
                + (e.comment.map { " “\($0)”" } ?? "")
        case .resolution:
            return "resolution"
        case .refused, .waiting:
            if let action = e.action { return "\(action.rawValue): \(e.from?.rawValue ?? "?") → \(e.to?.rawValue ?? "?")\(detail)" }
            return "write of \(Self.fieldList(e.changedFields ?? []))"
        }
    }

    /// Up to five field names, title and body first, then how many more (`history --json` gives them all).
    static func fieldList(_ fields: [String]) -> String {
        let first = ["title", "body", "category"]
        let ordered = first.filter(fields.contains) + fields.filter { !first.contains($0) }
        let shown = ordered.prefix(5).joined(separator: ", ")
        return ordered.count > 5 ? "\(shown) +\(ordered.count - 5) more" : shown
    }
}
