import ArgumentParser
import Store
import SyncCore

/// `report-cli init`: creates a new local replica for one unit.
struct InitCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a local replica (one SQLite file) for a unit.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The unit's id, e.g. squad-3.") var unit: String
    @Option(help: "The unit's name, e.g. 第三中队.") var unitName: String
    @Option(help: "Unit kind: \(UnitKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: UnitKind = .squad
    @Option(help: "The parent unit's id, if any.") var parent: String?

    func execute(in context: CommandContext) throws {
        let path = global.databasePath(in: context)
        let replica = try Replica.create(at: path, unit: OrgUnit(id: unit, name: unitName, kind: kind, parent: parent))
        let identity = try replica.identity()
        if global.json {
            context.print(try Rendering.json(identity))
        } else {
            context.print("created replica \(identity.replicaID) for \(unit) (\(unitName)) at \(path)")
            context.print("next: report-cli member add --id ID --name NAME --role drafter")
        }
    }
}
