import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `report-cli policy`: the numbers in force (deadlines, limits, quotas, points) and their versions.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show, load or trace the policy (deadlines, length limits, quotas, points).",
        subcommands: [PolicyShow.self, PolicyLoad.self, PolicyHistory.self])
}

/// `report-cli policy show`: prints the policy in force as JSON (the form `policy load` reads).
struct PolicyShow: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the policy in force (today, or on --on DAY) as JSON.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The day to show the policy of (YYYY-MM-DD, bureau time).") var on: String?
    func execute(in context: CommandContext) async throws {
        let central = try global.postgres(in: context)
        let replica = central == nil ? try global.openReplica(in: context) : nil
        func policy(at date: Date) async throws -> Policy {
            if let central { return try await PostgresCentral.policy(on: date, at: central) }
            return try replica!.policy(at: date)
        }
        let now = try await policy(at: Date())
        guard let on else { return context.print(try Rendering.json(now)) }
        guard let day = CalendarDay(on) else { throw ReportSyncError(.invalidInput, "--on '\(on)' is not a day: write it YYYY-MM-DD") }
        let noon = TimestampParser.parse("\(day)T12:00", timeZone: Rendering.timeZone(of: now))!
        context.print(try Rendering.json(try await policy(at: noon)))
    }
}

/// `report-cli policy load`: records a new version of the policy from a JSON file; keys left out keep their defaults.
struct PolicyLoad: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a policy JSON file as a new version (an admin, on the central); keys left out keep DOMAIN.md's defaults.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The policy file.") var file: String
    @Option(help: "The day it takes effect (YYYY-MM-DD, bureau time; default today). Never a day already past.") var effective: String?
    func execute(in context: CommandContext) async throws {
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
        let version: Policy
        if let central = try global.postgres(in: context) {
            version = try await PostgresCentral.setPolicy(policy, effectiveFrom: effectiveFrom, by: try global.actingMember(in: context), at: central)
        } else {
            let replica = try global.openReplica(in: context)
            version = try replica.setPolicy(policy, effectiveFrom: effectiveFrom, by: try global.actingMember(on: replica, in: context))
        }
        context.print("loaded policy from \(file), in force from \(version.effectiveFrom ?? "today")")
    }
}

/// `report-cli policy history`: every version, when it took effect, who loaded it and what it changed.
struct PolicyHistory: AsyncReplicaCommand {
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

    func execute(in context: CommandContext) async throws {
        var previous = Policy.standard
        var rows: [Row] = []
        let versions =
            if let central = try global.postgres(in: context) { try await PostgresCentral.policyHistory(at: central) } else {
                try global.openReplica(in: context).policyHistory()
            }
        for version in versions {
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
