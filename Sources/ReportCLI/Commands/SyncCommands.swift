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
        let field = try FieldReplica(global.openReplica(in: context))
        if let central { try field.setCentralURL(central) }
        let (url, token) = try field.central()
        let progress = ProgressLine()
        defer { progress.finish() }
        let summary = try await SyncRound.run(field, client: SyncClient(baseURL: url, token: token)) { so in
            progress.show([("pushed", so.pushed), ("pulled", so.pulled)])
        }
        progress.finish()
        if global.json { return context.print(try Rendering.json(summary)) }
        for notice in summary.recovery { context.print(notice) }
        var line = "pushed \(summary.pushed) (accepted \(summary.accepted)"
        if summary.waitingAtCentral > 0 { line += ", waiting at central \(summary.waitingAtCentral)" }
        if summary.rejected > 0 { line += ", rejected \(summary.rejected): see report-cli list --rejected" }
        if summary.unanswered > 0 { line += ", not answered \(summary.unanswered): kept in the outbox for the next sync" }
        if summary.heldByCentral > 0 { line += ", held \(summary.heldByCentral): the report would be secret at the central; kept here" }
        context.print(line + "), pulled \(summary.pulled)")
        let files = summary.files
        if files.sent + files.fetched + files.waiting > 0 || files.sentBytes + files.fetchedBytes > 0 {
            context.print(
                "files: sent \(files.sent) (\(files.sentBytes.bytesText)), fetched \(files.fetched) (\(files.fetchedBytes.bytesText))"
                    + (files.waiting > 0 ? ", \(files.waiting) not movable yet (their report is not at the central, or the file not yet)" : ""))
        }
        for notice in files.notices { context.print(notice) }
    }
}

/// `report-cli status`: what waits to go out, the last sync, and errors.
struct StatusCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show pending outgoing changes, the last successful sync and errors.")

    @OptionGroup var global: GlobalOptions

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        guard try replica.role() == .field else {
            let what = try replica.role() == .central ? "the central replica: devices push to it" : "none (standalone replica: nothing leaves this file)"
            let secret = try replica.secretReportCount()
            if global.json { return context.print(try Rendering.json(StatusView(role: try replica.role(), secretReports: secret))) }
            context.print("central:              \(what)")
            return context.print("secret reports:       \(secret)\(secret > 0 ? " (never sent over the network; they go to their unit by report-cli bundle export --unit)" : "")")
        }
        let field = try FieldReplica(replica)
        let state = try field.syncState()
        if global.json {
            return context.print(try Rendering.json(StatusView(role: .field, secretReports: try replica.secretReportCount(), sync: state)))
        }
        let timeZone = Rendering.timeZone(of: try replica.policy())
        context.print("central:              \(state.centralURL ?? "none")")
        context.print("outgoing changes:     \(state.outgoing)")
        context.print(
            "held (secret):        \(state.heldSecret) changes of \(state.heldSecretReports) reports"
                + (state.heldSecret > 0 ? " (never over the network: they go by report-cli bundle export, or once declassified)" : ""))
        context.print("files to send:        \(state.filesToSend.files) (\(state.filesToSend.bytes.bytesText))")
        context.print("files to fetch:       \(state.filesToFetch.files) (\(state.filesToFetch.bytes.bytesText))")
        context.print("waiting for causes:   \(state.waiting)")
        context.print("rejected by central:  \(state.rejectedByCentral)\(state.rejectedByCentral > 0 ? " (report-cli list --rejected)" : "")")
        context.print("last successful sync: \(state.lastSyncAt.map { Rendering.local($0, in: timeZone) } ?? "never")")
        if let error = state.lastError { context.print("last error:           \(error)") }
        if let epoch = state.lastEpoch {
            context.print("new replica id:       \(Rendering.local(epoch.at, in: timeZone)): \(epoch.reason) (was \(epoch.old), now \(epoch.new))")
        }
    }
}

/// What `status --json` says: the replica's role and the secret reports it keeps, and on a field
/// its sync state beside them.
struct StatusView: Encodable {
    let role: ReplicaRole
    let secretReports: Int
    var sync: SyncState? = nil

    enum Keys: String, CodingKey { case role, secretReports }

    func encode(to encoder: any Encoder) throws {
        try sync?.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(role.rawValue, forKey: .role)
        try container.encode(secretReports, forKey: .secretReports)
    }
}
