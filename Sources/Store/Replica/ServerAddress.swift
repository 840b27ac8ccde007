import SyncCore

/// A `--db` that names a database server rather than a file, given to a command that works on replica
/// files only (docs/postgres.md lists those that take a central on PostgreSQL): refused in one line rather
/// than taken for a file name (which made a folder called `postgres:` or said "no replica").
public enum ServerAddress {
    /// The schemes of a PostgreSQL connection URL.
    static let schemes = ["postgres://", "postgresql://"]

    /// Throws when `path` holds a PostgreSQL URL anywhere (a relative `--db` arrives joined to the
    /// working folder, and a file path with `postgres://` in it is no path a person means).
    static func refuse(_ path: String) throws {
        let lowered = path.lowercased()
        guard let start = schemes.compactMap({ lowered.range(of: $0)?.lowerBound }).min() else { return }
        let url = redacted(String(path[start...]))
        throw ReportSyncError(
            .invalidInput,
            "\(url) is a PostgreSQL address, and this command works on SQLite replica files only (at a central on PostgreSQL: syncd init, migrate, serve, restore, unit, member add/invite/revoke-key, enroll, revoke, devices; the central office's report-cli commands: key setup, the steps, list, show, history, conflicts, deadlines, score, quota, bulletin, solicit, digest, bundle import and export --unit, policy; docs/postgres.md); give --db a file path, such as central.sqlite"
        )
    }

    /// `text` (a URL) with any password between `:` and `@` replaced, so that no message repeats it.
    public static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":…" + String(text[at...])
    }
}
