import Store
import SyncCore

/// The central's own settings in `replica_meta`, as the SQLite store keeps them (`Meta.Key`).
extension PostgresDatabase {
    func meta(_ key: Meta.Key) async throws -> String? {
        try await rows("SELECT value FROM replica_meta WHERE key = $1", [key.rawValue], as: String.self).first
    }

    func requireMeta(_ key: Meta.Key) async throws -> String {
        guard let value = try await meta(key) else {
            throw ReportSyncError(.storage, "the central's database has no \(key.rawValue): it is not a central, or it is damaged")
        }
        return value
    }

    func setMeta(_ key: Meta.Key, _ value: String) async throws {
        try await setMeta([(key, value)])
    }

    /// Sets several settings in one statement.
    func setMeta(_ pairs: [(Meta.Key, String)]) async throws {
        try await run(
            "INSERT INTO replica_meta (key, value) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [pairs.map(\.0.rawValue), pairs.map(\.1)])
    }
}
