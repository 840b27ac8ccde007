import SyncCore

/// A `--db` that names a database server rather than a file. Replicas are SQLite files; a central on
/// PostgreSQL is being built (docs/postgres.md: so far `syncd init`, `migrate`, `serve`, `unit add`,
/// `member add`, `member invite`, `member revoke-key`, `enroll`, `revoke` and `devices` take one), and every other command refuses such an address in one line rather than
/// taking it for a file name (which made a folder called `postgres:` or said "no replica").
enum ServerAddress {
    /// The schemes of a PostgreSQL connection URL.
    static let schemes = ["postgres://", "postgresql://"]

    /// Throws when `path` holds a PostgreSQL URL anywhere (a relative `--db` arrives joined to the
    /// working folder, and a file path with `postgres://` in it is no path a person means).
    static func refuse(_ path: String) throws {
        let lowered = path.lowercased()
        guard let start = schemes.compactMap({ lowered.range(of: $0)?.lowerBound }).min() else { return }
        let url = String(path[start...])
        throw ReportSyncError(
            .invalidInput,
            "\(url) is a PostgreSQL address, and this ReportSync keeps its replicas in SQLite files only (a central on PostgreSQL is being built: so far syncd init, migrate, serve, unit add, member add, member invite, member revoke-key, enroll, revoke and devices take one, docs/postgres.md); give --db a file path, such as central.sqlite"
        )
    }
}
