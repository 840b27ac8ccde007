import ArgumentParser
import Foundation
import Store
import SyncCore
import SyncService

/// `report-cli sync`: one sync round with the central; prints what moved.
struct SyncCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Push local changes to the central and pull the unit's changes back.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The central's URL, when it has moved; kept for later syncs.") var central: String?

    func execute(in context: CommandContext) async throws {
        let replica = try global.openReplica(in: context)
        if let central { try replica.setCentralURL(central) }
        let (url, token) = try replica.central()
        let summary = try await SyncRound.run(replica, client: SyncClient(baseURL: url, token: token)) { line in
            if isatty(STDERR_FILENO) != 0 { context.printError(line) }
        }
        if global.json { return context.print(try Rendering.json(summary)) }
        var line = "pushed \(summary.pushed) (accepted \(summary.accepted)"
        if summary.waitingAtCentral > 0 { line += ", waiting at central \(summary.waitingAtCentral)" }
        if summary.rejected > 0 { line += ", rejected \(summary.rejected): see report-cli list --rejected" }
        context.print(line + "), pulled \(summary.pulled)")
    }
}

/// `report-cli status`: what waits to go out, the last sync, and errors.
struct StatusCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show pending outgoing changes, the last successful sync and errors.")

    @OptionGroup var global: GlobalOptions

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let state = try replica.syncState()
        if global.json { return context.print(try Rendering.json(state)) }
        let timeZone = Rendering.timeZone(of: try replica.policy())
        context.print("central:              \(state.centralURL ?? "none (standalone replica)")")
        context.print("outgoing changes:     \(state.outgoing)")
        context.print("waiting for causes:   \(state.waiting)")
        context.print("rejected by central:  \(state.rejectedByCentral)\(state.rejectedByCentral > 0 ? " (report-cli list --rejected)" : "")")
        context.print("last successful sync: \(state.lastSyncAt.map { Rendering.local($0, in: timeZone) } ?? "never")")
        if let error = state.lastError { context.print("last error:           \(error)") }
    }
}
