import Foundation
import SyncCore

/// The defaults a person sets once — which replica, who acts, which central — kept in a JSON file in the
/// XDG config folder. A flag wins over the environment, which wins over this file.
struct PersonalSettings: Codable, Equatable {
    /// The replica file (`--db`, `$REPORT_DB`), kept as an absolute path.
    var db: String?
    /// The acting member (`--as`, `$REPORT_AS`).
    var `as`: String?
    /// The central's URL, for `init --token` and `sync` when they are not given `--central`.
    var central: String?

    /// The keys the file may hold.
    static let keys = ["db", "as", "central"]

    /// Where the file is: `$REPORTSYNC_CONFIG`, else `$XDG_CONFIG_HOME/reportsync/config.json`, else
    /// `~/.config/reportsync/config.json`.
    static func path(environment: [String: String]) -> String {
        if let path = environment["REPORTSYNC_CONFIG"], !path.isEmpty { return path }
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config").path
        return URL(fileURLWithPath: base).appendingPathComponent("reportsync/config.json").path
    }

    /// The settings in the file at `path`; none when there is no file. A file that is not a JSON object
    /// of the known keys is refused, with the nearest key named for a misspelt one.
    static func load(from path: String) throws -> PersonalSettings {
        guard let data = FileManager.default.contents(atPath: path) else { return PersonalSettings() }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReportSyncError(.invalidInput, "the config file \(path) is not a JSON object; fix it, or remove it and use report-cli config set")
        }
        for key in object.keys.sorted() where !keys.contains(key) {
            let hint = KnownKeys.nearest(to: key, in: keys).map { ": did you mean \"\($0)\"?" } ?? " (known keys: \(keys.joined(separator: ", ")))"
            throw ReportSyncError(.invalidInput, "the config file \(path) has an unknown key \"\(key)\"\(hint)")
        }
        do {
            return try JSONDecoder().decode(PersonalSettings.self, from: data)
        } catch let error as DecodingError {
            throw ReportSyncError(.invalidInput, "the config file \(path): \(error.readableDescription)")
        }
    }

    /// Writes the settings to `path` whole (a new file moved into place), making its folder if needed.
    func save(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw ReportSyncError(.storage, "cannot write the config file \(path): check that its folder is writable")
        }
    }

    /// The value of `key`.
    func value(of key: String) -> String? {
        switch key {
        case "db": db
        case "as": `as`
        default: central
        }
    }

    /// These settings with `key` set to `value` (`nil` removes it).
    func setting(_ key: String, to value: String?) -> PersonalSettings {
        var copy = self
        switch key {
        case "db": copy.db = value
        case "as": copy.as = value
        default: copy.central = value
        }
        return copy
    }
}
