import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli config`: the defaults a person sets once (`PersonalSettings`).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or set your defaults: the replica file (db), the acting member (as), the central's URL (central).",
        discussion: """
            They are kept in $XDG_CONFIG_HOME/reportsync/config.json (else ~/.config/reportsync/config.json; \
            $REPORTSYNC_CONFIG names another file). A flag wins over the environment ($REPORT_DB, $REPORT_AS), \
            which wins over the file.
            """,
        subcommands: [ConfigShowCommand.self, ConfigSetCommand.self, ConfigUnsetCommand.self])
}

/// `report-cli config show`: every setting in effect and where it comes from.
struct ConfigShowCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show every default in effect and where it comes from.")

    @OptionGroup var global: GlobalOptions

    func execute(in context: CommandContext) throws {
        let path = PersonalSettings.path(environment: context.environment)
        let settings = try context.settings()
        let db = try global.databaseChoice(in: context)
        let actor: (String?, SettingSource) =
            if let actor = global.actor { (actor, .flag) }
            else if let actor = context.environment["REPORT_AS"] { (actor, .environment("REPORT_AS")) }
            else if let actor = try? Replica.open(at: db.path).defaultActor() { (actor, .replica) }
            else if let actor = settings.as { (actor, .configFile) }
            else { (nil, .unset) }
        let central: (String?, SettingSource) = settings.central.map { ($0, .configFile) } ?? (nil, .unset)
        let rows: [(String, String?, SettingSource)] = [("db", db.path, db.from), ("as", actor.0, actor.1), ("central", central.0, central.1)]
        if global.json {
            var object: [String: String] = ["file": path]
            for (key, value, _) in rows { if let value { object[key] = value } }
            return context.print(try Rendering.json(object))
        }
        context.print("config file: \(path)\(FileManager.default.fileExists(atPath: path) ? "" : " (none yet)")")
        var table = TextTable(["KEY", "VALUE", "FROM"])
        for (key, value, source) in rows { table.add([key, value ?? "-", source.description]) }
        context.print(table.render())
    }
}

/// `report-cli config set KEY VALUE`.
struct ConfigSetCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a default: db PATH, as MEMBER or central URL.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "db, as or central.") var key: String
    @Argument(help: "The value (a db path is kept absolute).") var value: String

    func execute(in context: CommandContext) throws {
        try ConfigKey.check(key)
        let path = PersonalSettings.path(environment: context.environment)
        let stored = key == "db" ? context.absolute(value) : value
        if key == "central", URL(string: value)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ReportSyncError(.invalidInput, "central takes a URL such as http://10.0.0.5:8080")
        }
        try context.settings().setting(key, to: stored).save(to: path)
        context.print("\(key) = \(stored) (in \(path))")
    }
}

/// `report-cli config unset KEY`.
struct ConfigUnsetCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove a default.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "db, as or central.") var key: String

    func execute(in context: CommandContext) throws {
        try ConfigKey.check(key)
        let path = PersonalSettings.path(environment: context.environment)
        try context.settings().setting(key, to: nil).save(to: path)
        context.print("\(key) removed (from \(path))")
    }
}

/// The check that a config key is one of `PersonalSettings.keys`.
enum ConfigKey {
    static func check(_ key: String) throws {
        guard PersonalSettings.keys.contains(key) else {
            let hint = KnownKeys.nearest(to: key, in: PersonalSettings.keys).map { "did you mean \($0)? " } ?? ""
            throw ReportSyncError(.invalidInput, "unknown setting \(key): \(hint)the settings are \(PersonalSettings.keys.joined(separator: ", "))")
        }
    }
}
