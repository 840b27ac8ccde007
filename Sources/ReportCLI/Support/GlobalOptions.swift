import ArgumentParser
import Foundation
import Store
import StorePostgres
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
        let (db, source) = try databaseGiven(in: context)
        return (context.absolute(db), source)
    }

    /// `--db`, else `$REPORT_DB`, else the config file's, else `report.sqlite`, as given.
    private func databaseGiven(in context: CommandContext) throws -> (db: String, from: SettingSource) {
        if let db { return (db, .flag) }
        if let db = context.environment["REPORT_DB"], !db.isEmpty { return (db, .environment("REPORT_DB")) }
        if let db = try context.settings().db { return (db, .configFile) }
        return ("report.sqlite", .builtIn)
    }

    /// The central on PostgreSQL this command works on, when the database given is a URL
    /// (`postgres://…`); nil for a replica file.
    public func postgres(in context: CommandContext) throws -> PostgresAddress? {
        let db = try databaseGiven(in: context).db
        return PostgresAddress.isAddress(db) ? try PostgresAddress(parsing: db, environment: context.environment) : nil
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
    public func signer(for member: String, on replica: Replica, in context: CommandContext) async throws -> StepSigner {
        try await PINEntry(pinFile: pinFile, context: context).unlock(member, on: replica)
    }

    /// The acting member's key at a central on PostgreSQL, unlocked with their PIN.
    public func signer(for member: String, at central: PostgresAddress, in context: CommandContext) async throws -> StepSigner {
        try await PINEntry(pinFile: pinFile, context: context).unlock(member) { try await PostgresCentral.unlockKey(of: member, pin: $0, at: central) }
    }

    /// The member acting in this command: `--as`, else `$REPORT_AS`, else the replica's default
    /// (`member use`), else the config file's.
    public func actingMember(on replica: Replica, in context: CommandContext) throws -> String {
        if let actor = actor ?? context.environment["REPORT_AS"] { return actor }
        if let actor = try replica.defaultActor() { return actor }
        return try actingMember(in: context)
    }

    /// The member acting at a central on PostgreSQL (which keeps no default of its own): `--as`, else
    /// `$REPORT_AS`, else the config file's.
    public func actingMember(in context: CommandContext) throws -> String {
        if let actor = actor ?? context.environment["REPORT_AS"] { return actor }
        if let actor = try context.settings().as { return actor }
        throw ReportSyncError(
            .invalidInput, "say who is acting: --as MEMBER, or set a default with report-cli member use MEMBER")
    }
}
