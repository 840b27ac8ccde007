import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

extension ConflictEntry.Kind: ExpressibleByArgument {}

/// `report-cli conflicts list`: a table of conflicts, newest first.
struct ConflictsListCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List conflicts, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filter: ConflictFilterOptions
    @Flag(name: [.short, .long], help: "Print only the conflicts' ids, one a line, for scripts.") var quiet = false

    func execute(in context: CommandContext) async throws {
        let (entries, timeZone) = try await filter.entries(global, in: context)
        if global.json { return context.print(try Rendering.json(entries)) }
        if quiet { return entries.forEach { context.print($0.id) } }
        guard !entries.isEmpty else { return context.print("no conflicts") }
        var table = TextTable(["ID", "REPORT", "KIND", "STATUS", "WINNER", "WHEN", "REPLICAS"])
        table.maxCellWidth = 30
        for e in entries {
            table.add([
                e.id, e.title ?? e.report, e.kind.rawValue + (e.field.map { " (\($0))" } ?? ""), e.status.rawValue,
                ConflictText.winner(of: e), Rendering.local(e.at, in: timeZone), e.replicas.map(ConflictText.replica).joined(separator: ", "),
            ])
        }
        context.print(table.render())
        let open = entries.filter { $0.status == .open }.count
        context.print("\n\(entries.count) listed, \(open) open. Details: report-cli conflicts show ID")
    }
}

/// The filters `conflicts list` and `conflicts stats` share.
struct ConflictFilterOptions: ParsableArguments {
    @Option(help: "Only conflicts of this unit's reports.") var unit: String?
    @Option(help: "Only conflicts of this report (id or unique prefix).") var report: String?
    @Option(help: "Only this kind (repeatable): \(ConflictEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: [ConflictEntry.Kind] = []
    @Flag(help: "Only open conflicts.") var open = false
    @Flag(help: "Only resolved conflicts.") var resolved = false
    @Option(help: "Only conflicts that arose since this day or time, e.g. 2026-11-01 (bureau time).") var since: String?

    func validate() throws {
        if open, resolved { throw ValidationError("--open and --resolved exclude each other; leave both out to see all") }
    }

    /// The entries the filter admits in the store `global` names (a replica file or a central on
    /// PostgreSQL), and the bureau's time zone they are shown in.
    func entries(_ global: GlobalOptions, in context: CommandContext) async throws -> (entries: [ConflictEntry], timeZone: TimeZone) {
        if let central = try global.postgres(in: context) {
            let timeZone = Rendering.timeZone(of: try await PostgresCentral.policy(at: central))
            return (try await PostgresCentral.conflictEntries(matching: try filter(timeZone: timeZone), at: central), timeZone)
        }
        let replica = try global.openReplica(in: context)
        let timeZone = Rendering.timeZone(of: try replica.policy())
        return (try replica.conflictEntries(matching: try filter(timeZone: timeZone)), timeZone)
    }

    func filter(timeZone: TimeZone) throws -> ConflictFilter {
        let sinceDate = try since.map { try TimestampParser.require(dayOrTime: $0, timeZone: timeZone, what: "--since") }
        return ConflictFilter(
            unit: unit, report: report, kinds: Set(kind), status: open ? .open : resolved ? .resolved : nil, since: sinceDate)
    }
}
