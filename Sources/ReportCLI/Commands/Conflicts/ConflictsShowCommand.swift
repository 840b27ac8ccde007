import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `report-cli conflicts show`: both sides of one conflict side by side, the rule, and a word diff.
struct ConflictsShowCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show both sides of a conflict, the rule that decided, and what changed word by word.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Conflict id (or a unique prefix) from conflicts list.") var id: String

    /// `show --json`: the entry, plus the word diff for text fields.
    struct View: Encodable {
        let entry: ConflictEntry
        let diff: WordDiff?

        enum Keys: String, CodingKey { case diff }

        func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(diff?.segments, forKey: .diff)
        }
    }

    func execute(in context: CommandContext) async throws {
        let entry: ConflictEntry
        let policy: Policy
        if let central = try global.postgres(in: context) {
            (entry, policy) = (try await PostgresCentral.conflictEntry(id, at: central), try await PostgresCentral.policy(at: central))
        } else {
            let replica = try global.openReplica(in: context)
            (entry, policy) = (try replica.conflictEntry(id), try replica.policy())
        }
        let diff = Self.diff(entry)
        if global.json { return context.print(try Rendering.json(View(entry: entry, diff: diff))) }
        let timeZone = Rendering.timeZone(of: policy)
        context.print("conflict  \(entry.id)  \(entry.kind.rawValue)\(entry.field.map { " (\($0))" } ?? "")  \(entry.status.rawValue)")
        context.print("report    \(entry.report)  \(entry.title ?? "")  (unit \(entry.unit))")
        context.print("rule      \(entry.rule)")
        context.print("why       \(entry.reason)")
        context.print("")
        var table = TextTable(["", "WINNER", "LOSER"])
        table.maxCellWidth = 50
        let sides = [entry.winner, Optional(entry.loser)]
        func row(_ label: String, _ value: (ConflictEntry.Side) -> String?) {
            let cells = sides.map { side in side.flatMap(value) ?? "" }
            if cells.contains(where: { !$0.isEmpty }) { table.add([label] + cells) }
        }
        if entry.winner == nil { table.add(["", ConflictText.winner(of: entry), ""]) }
        row("value") { $0.value }
        row("step") { side in side.action.map { "\($0.rawValue)" + (side.role.map { " as \($0.rawValue)" } ?? "") } }
        row("author") { $0.actor }
        row("replica") { $0.replica }
        row("change") { $0.dot }
        row("time") { Rendering.local($0.at, in: timeZone, seconds: true) }
        context.print(table.render())
        if let diff {
            context.print("")
            context.print("word diff, loser → winner:")
            context.print("  " + diff.marked)
        }
        context.print("")
        if let resolution = entry.resolution {
            context.print("resolved: \(resolution.how) by \(resolution.actor) at \(Rendering.local(resolution.at, in: timeZone))\(resolution.dot.map { " (\($0))" } ?? "")")
        } else {
            context.print("to settle: " + Self.advice(for: entry))
        }
    }

    /// A word diff when both sides of a field conflict are text.
    static func diff(_ entry: ConflictEntry) -> WordDiff? {
        guard entry.kind == .fieldValue, let old = entry.loser.value, let new = entry.winner?.value else { return nil }
        return WordDiff(from: old, to: new)
    }

    static func advice(for entry: ConflictEntry) -> String {
        switch entry.kind {
        case .fieldValue: "report-cli conflicts resolve \(entry.id) --keep winner|loser|value [--value TEXT]"
        case .approvalTransition, .staleApproval: "report-cli conflicts resolve \(entry.id) --keep winner|loser"
        case .rejectedByCentral, .rejectedOnReceipt:
            "make the write again in a form that is accepted, then report-cli conflicts resolve \(entry.id) --keep winner"
        case .pendingDependency: "nothing to do here; it applies when the writes it needs arrive (report-cli sync)"
        }
    }
}
