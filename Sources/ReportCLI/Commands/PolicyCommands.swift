import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli policy`: the numbers in force (deadlines, limits, quotas, points).
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show or load the policy (deadlines, length limits, quotas, points).",
        subcommands: [PolicyShow.self, PolicyLoad.self])
}

/// `report-cli policy show`: prints the policy as JSON (the form `policy load` reads).
struct PolicyShow: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the policy in force as JSON.")
    @OptionGroup var global: GlobalOptions
    func execute(in context: CommandContext) throws {
        context.print(try Rendering.json(try global.openReplica(in: context).policy()))
    }
}

/// `report-cli policy load`: replaces the policy from a JSON file; keys left out keep their defaults.
struct PolicyLoad: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load a policy JSON file; keys left out keep DOMAIN.md's defaults.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The policy file.") var file: String
    func execute(in context: CommandContext) throws {
        let path = context.absolute(file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportSyncError(.notFound, "cannot read \(path): check the path")
        }
        let policy: Policy
        do { policy = try Policy.decode(json: data) } catch let error as ReportSyncError {
            throw ReportSyncError(error.code, "\(file): \(error.message)")
        }
        try global.openReplica(in: context).setPolicy(policy)
        context.print("loaded policy from \(file)")
    }
}
