import Store
import ArgumentParser

/// `report-cli conflicts`: why two copies disagree, who decided, what was lost — and settling it.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Inspect and resolve sync conflicts, refused changes and changes waiting for their causes.",
        discussion: "Kinds: \(ConflictEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")). See docs/conflict-policy.md.",
        subcommands: [ConflictsListCommand.self, ConflictsShowCommand.self, ConflictsResolveCommand.self, ConflictsStatsCommand.self],
        defaultSubcommand: ConflictsListCommand.self)
}
