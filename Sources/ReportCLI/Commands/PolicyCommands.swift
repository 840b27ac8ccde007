import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli policy`: the numbers in force (deadlines, limits, quotas, points) and their versions.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show, load or trace the policy (deadlines, length limits, quotas, points).",
        subcommands: [PolicyShow.self, PolicyLoad.self, PolicyHistory.self])
}

/// `report-cli policy show`: prints the policy in force as JSON (the form `policy load` reads).
struct PolicyShow: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the policy in force (today, or on --on DAY) as JSON.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The day to show the policy of (YYYY-MM-DD, bureau time).") var on: String?
    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        guard let on else { return context.print(try Rendering.json(try replica.policy())) }
        guard let day = CalendarDay(on) else { throw ReportSyncError(.invalidInput, "--on '\(on)' is not a day: write it YYYY-MM-DD") }
        let zone = Rendering.timeZone(of: try replica.policy())
        let noon = TimestampParser.parse("\(day)T12:00", timeZone: zone)!
        context.print(try Rendering.json(try replica.policy(at: noon)))
    }
}

/// `report-cli policy load`: records a new version of the policy from a JSON file; keys left out keep their defaults.
struct PolicyLoad: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a policy JSON file as a new version (an admin, on the central); keys left out keep DOMAIN.md's defaults.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The policy file.") var file: String
    @Option(help: "The day it takes effect (YYYY-MM-DD, bureau time; default today). Never a day already past.") var effective: String?
    func execute(in context: CommandContext) throws {
        let path = context.absolute(file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportSyncError(.notFound, "cannot read \(path): check the path")
        }
        let effectiveFrom = try effective.map { text in
            guard let day = CalendarDay(text) else { throw ReportSyncError(.invalidInput, "--effective '\(text)' is not a day: write it YYYY-MM-DD") }
            return day
        }
        let policy: Policy
        do { policy = try Policy.decode(json: data) } catch let error as ReportSyncError {
            throw ReportSyncError(error.code, "\(file): \(error.message)")
        }
        let replica = try global.openReplica(in: context)
        let admin = try global.actingMember(on: replica, in: context)
        let version = try replica.setPolicy(policy, effectiveFrom: effectiveFrom, by: admin)
        context.print("loaded policy from \(file), in force from \(version.effectiveFrom ?? "today")")
    }
}

/// `report-cli policy history`: every version, when it took effect, who loaded it and what it changed.
struct PolicyHistory: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List the policy's versions: effective day, the admin who loaded it, what changed.")
    @OptionGroup var global: GlobalOptions

    /// One version as `--json` gives it.
    struct Row: Encodable {
        let effectiveFrom: String?
        let loadedBy: String?
        /// The settings that differ from the version before (from the defaults for the first).
        let changed: [String]
        let policy: Policy
    }

    func execute(in context: CommandContext) throws {
        var previous = Policy.standard
        var rows: [Row] = []
        for version in try global.openReplica(in: context).policyHistory() {
            rows.append(Row(effectiveFrom: version.effectiveFrom, loadedBy: version.loadedBy, changed: try PolicyDifference.keys(from: previous, to: version), policy: version))
            previous = version
        }
        if global.json { return context.print(try Rendering.json(rows)) }
        if rows.isEmpty { return context.print("no policy loaded: DOMAIN.md's defaults are in force (report-cli policy show)") }
        var table = TextTable(["EFFECTIVE", "LOADED BY", "CHANGED"])
        for row in rows {
            table.add([row.effectiveFrom ?? "(from the start)", row.loadedBy ?? "-", row.changed.isEmpty ? "-" : row.changed.joined(separator: ", ")])
        }
        context.print(table.render())
    }
}
