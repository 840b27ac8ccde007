import ArgumentParser
import Foundation
import Store
import SyncCore

/// The options every replica command takes: which file, who acts, and JSON output.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The replica file (default: $REPORT_DB, else the config file's db, else ./report.sqlite).")
    public var db: String?

    @Option(name: .customLong("as"), help: "The member who acts (default: $REPORT_AS, else the replica's default).")
    public var actor: String?

    @Flag(name: .long, help: "Print data as JSON for scripts.")
    public var json = false

    @Option(
        name: .customLong("pin-file"),
        help: "A file whose first line is the PIN of the acting member's key, for scripts (default: $REPORT_PIN_FILE, else asked at the terminal).")
    public var pinFile: String?

    public init() {}

    /// The replica file this command works on, and where that choice came from.
    func databaseChoice(in context: CommandContext) throws -> (path: String, from: SettingSource) {
        if let db { return (context.absolute(db), .flag) }
        if let db = context.environment["REPORT_DB"], !db.isEmpty { return (context.absolute(db), .environment("REPORT_DB")) }
        if let db = try context.settings().db { return (context.absolute(db), .configFile) }
        return (context.absolute("report.sqlite"), .builtIn)
    }

    /// The replica file this command works on.
    public func databasePath(in context: CommandContext) throws -> String {
        try databaseChoice(in: context).path
    }

    /// Opens the replica this command works on.
    public func openReplica(in context: CommandContext) throws -> Replica {
        try Replica.open(at: databasePath(in: context))
    }

    /// The acting member's key, unlocked with their PIN, to sign a step (`PINEntry`).
    public func signer(for member: String, on replica: Replica, in context: CommandContext) throws -> StepSigner {
        try PINEntry(pinFile: pinFile, context: context).unlock(member, on: replica)
    }

    /// The member acting in this command: `--as`, else `$REPORT_AS`, else the replica's default
    /// (`member use`), else the config file's.
    public func actingMember(on replica: Replica, in context: CommandContext) throws -> String {
        if let actor = actor ?? context.environment["REPORT_AS"] { return actor }
        if let actor = try replica.defaultActor() { return actor }
        if let actor = try context.settings().as { return actor }
        throw ReportSyncError(
            .invalidInput, "say who is acting: --as MEMBER, or set a default with report-cli member use MEMBER")
    }
}
