import SyncCore

/// A `--db` that names a database server rather than a file. Replicas are SQLite files; a central on
/// PostgreSQL is being built (docs/postgres.md: so far `syncd migrate` copies a central into one), and
/// until it serves, such an address is refused in one line rather than taken for a file name (which
/// made a folder called `postgres:` or said "no replica").
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
            "\(url) is a PostgreSQL address, and this ReportSync keeps its replicas in SQLite files only (a central on PostgreSQL is being built: syncd migrate copies a central into one, but nothing serves or reads it yet, docs/postgres.md); give --db a file path, such as central.sqlite"
        )
    }
}
