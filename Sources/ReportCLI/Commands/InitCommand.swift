import ArgumentParser
import Foundation
import Store
import SyncCore
import SyncService

/// `report-cli init`: creates a new local replica, standalone for one unit or bound to a central.
struct InitCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a local replica (one SQLite file): for a unit, or for a device enrolled at a central.",
        discussion: """
            Standalone: report-cli init --unit squad-3 --unit-name 第三中队
            Bound to the bureau's central: report-cli init --central http://HOST:8080 --token TOKEN
            (the token comes from syncd enroll; the unit, members and policy come from the central).
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The unit's id, e.g. squad-3 (standalone replicas).") var unit: String?
    @Option(help: "The unit's name, e.g. 第三中队 (standalone replicas).") var unitName: String?
    @Option(help: "Unit kind: \(UnitKind.builtIn.map(\.rawValue).joined(separator: ", ")).") var kind: UnitKind = .squad
    @Option(help: "The parent unit's id, if any.") var parent: String?
    @Option(help: "The central server's URL, e.g. http://10.0.0.5:8080.") var central: String?
    @Option(help: "The device token printed by syncd enroll.") var token: String?

    func validate() throws {
        if central != nil, token == nil { throw ValidationError("--central needs --token (printed by syncd enroll)") }
        if token == nil, unit == nil || unitName == nil {
            throw ValidationError("give --unit and --unit-name for a standalone replica, or --central and --token")
        }
    }

    func execute(in context: CommandContext) async throws {
        let path = try global.databasePath(in: context)
        if let token {
            guard let central = try central ?? context.settings().central else {
                throw ReportSyncError(.invalidInput, "say where the central is: --central URL, or report-cli config set central URL")
            }
            if FileManager.default.fileExists(atPath: path) {
                throw ReportSyncError(.alreadyExists, "\(path) already exists; choose another --db")
            }
            let client = SyncClient(baseURL: central, token: token)
            try await client.probe()
            let me = try await client.whoami()
            let field = try FieldReplica.create(at: path, unit: me.unit, centralURL: central, token: token)
            let summary: SyncSummary
            do { summary = try await SyncRound.run(field, client: client) } catch {
                // Without its first pull the replica knows no unit or member: leave nothing half made.
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                throw error
            }
            context.print("created replica \(try field.replica.identity().replicaID) for \(me.unit) (device \(me.device)) at \(path)")
            context.print("pulled \(summary.pulled) changes: units, members, policy and the unit's reports")
            return
        }
        let replica = try Replica.create(
            at: path, unit: OrgUnit(id: unit ?? "", name: unitName ?? "", kind: try Policy.standard.unitKind(kind.rawValue), parent: parent))
        let identity = try replica.identity()
        if global.json {
            context.print(try Rendering.json(identity))
        } else {
            context.print("created replica \(identity.replicaID) for \(identity.unit.id) (\(identity.unit.name)) at \(path)")
            context.print("next: report-cli member add --id ID --name NAME --role drafter")
        }
    }
}
