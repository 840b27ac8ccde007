import PostgresNIO
import SyncCore

/// The digest of a central held in PostgreSQL, computed as the SQLite replica's `digest()` is (every
/// report and every reference record's winning change), but from the records themselves: each hash is
/// recomputed from the stored canonical JSON rather than read from a column, so two equal digests
/// mean the bytes that matter arrived whole.
enum PostgresDigest {
    /// The digest of the whole central, or of one unit's reports (as the SQLite `digest(unit:)`).
    static func whole(_ db: PostgresDatabase, unit: String? = nil) async throws -> String {
        var pairs: [(id: String, hash: String)] = []
        let reports =
            if let unit { try await db.randomAccessRows("SELECT id, record FROM reports WHERE unit = $1", [unit]) } else {
                try await db.randomAccessRows("SELECT id, record FROM reports")
            }
        for row in reports {
            let record = try JSONCoding.value(ReportRecord.self, from: try row["record"].decode(String.self))
            pairs.append((try row["id"].decode(String.self), StateDigest.hash(record)))
        }
        if unit != nil { return StateDigest.combine(pairs) }
        let references = try await db.randomAccessRows(
            """
            SELECT v.record, c.body, v.digest FROM reference_versions v
            LEFT JOIN changes c ON c.replica = v.replica AND c.counter = v.counter
            """)
        for row in references {
            let hash =
                if let body = try row["body"].decode(String?.self) {
                    StateDigest.hash(try JSONCoding.value(Change.self, from: body))
                } else {
                    try row["digest"].decode(String.self)
                }
            pairs.append((try row["record"].decode(String.self), hash))
        }
        return StateDigest.combine(pairs)
    }
}

extension PostgresDatabase {
    /// The digest of the central this database holds, or of one unit's reports (`PostgresDigest`), equal
    /// to the SQLite replica's `digest(unit:)` for the same state.
    public func digest(unit: String? = nil) async throws -> String { try await PostgresDigest.whole(self, unit: unit) }
}
