import GRDB
import SyncCore

/// What a replica keeps of a report whose text was withdrawn (`Redaction`, docs/bundles.md "Raising a
/// classification"). Every replica's record holds markers (`Withheld`), so digests agree; the text
/// itself stays only where it may: the device that raised the report keeps its log as it was, the
/// central keeps what that device's bundle brought (`withheld_originals`), every other replica nothing.
/// The same SQL serves the PostgreSQL central (`StorePostgres`).
public enum WithheldText {
    /// The log rows of `record` a redaction covering `covers` withholds: (seq, body) pairs in, the
    /// withheld copies of those that hold text out.
    /// Those `kept` covers (a redaction this replica wrote) stay as they are.
    public static func copies(
        of rows: [(seq: Int64, body: String)], covers: VersionVector, keeping kept: [VersionVector] = []
    ) throws -> [(seq: Int64, body: String)] {
        try rows.compactMap { row in
            let change = try JSONCoding.value(Change.self, from: row.body)
            guard covers.covers(change.dot), Withheld.holdsText(change), !kept.contains(where: { $0.covers(change.dot) }) else { return nil }
            return (row.seq, Withheld.change(change).canonicalJSON)
        }
    }

    /// Replaces the stored bodies of the writes of `record` that `covers` covers with their withheld
    /// copies (a redaction received from elsewhere), but for this replica's own writes and those a
    /// redaction written here covers: the device that raised a report keeps its text, and whoever wrote
    /// a text keeps it (a redaction from a device gone rogue cannot destroy it everywhere: its writer's
    /// bundle gives it back). With `keepingText` (the central, where the raise came first, by bundle)
    /// the text moves beside the log.
    static func withhold(record: String, covers: VersionVector, keepingText: Bool, _ db: Database) throws {
        let own = try String.fetchAll(
            db, sql: "SELECT body FROM changes WHERE record = ? AND withheld = 1 AND origin = 'local' AND kind = 'report'", arguments: [record]
        ).map { try JSONCoding.value(Change.self, from: $0) }.filter(\.isRedaction).map(\.context)
        let rows = try Row.fetchAll(
            db, sql: "SELECT seq, body FROM changes WHERE record = ? AND withheld = 0 AND kind = 'report' AND origin = 'remote'",
            arguments: [record]
        ).map { (seq: $0["seq"] as Int64, body: $0["body"] as String) }
        let originals = Dictionary(uniqueKeysWithValues: rows.map { ($0.seq, $0.body) })
        for copy in try copies(of: rows, covers: covers, keeping: own) {
            if keepingText, let body = originals[copy.seq] {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO withheld_originals(replica, counter, record, body)
                        SELECT replica, counter, record, ? FROM changes WHERE seq = ?
                        """,
                    arguments: [body, copy.seq])
            }
            try db.execute(sql: "UPDATE changes SET body = ?, withheld = 1 WHERE seq = ?", arguments: [copy.body, copy.seq])
        }
    }

    /// The writes of `record` whose values it holds withheld, as this replica holds them whole, by dot:
    /// its own log's where it kept them, else what a bundle brought. Empty on a replica that kept none.
    static func originals(of record: ReportRecord, _ db: Database) throws -> [Dot: Change] {
        let wanted = Set(
            record.versions.filter { $0.fields.values.contains(where: Withheld.isMarker) }.map(\.dot)
                + record.resolutions.filter { $0.value.map(Withheld.isMarker) ?? false }.map(\.dot))
        guard !wanted.isEmpty else { return [:] }
        var originals: [Dot: Change] = [:]
        let bodies = try String.fetchAll(
            db,
            sql: """
                SELECT body FROM changes WHERE record = ? AND withheld = 0 AND kind = 'report'
                UNION ALL SELECT body FROM withheld_originals WHERE record = ?
                """,
            arguments: [record.id, record.id])
        for body in bodies {
            let change = try JSONCoding.value(Change.self, from: body)
            if wanted.contains(change.dot), Withheld.holdsText(change) { originals[change.dot] = change }
        }
        return originals
    }

    /// `record` as this replica may show it: its withheld values put back where it holds their text.
    static func revealed(_ record: ReportRecord, _ db: Database) throws -> ReportRecord {
        record.redactions.isEmpty ? record : record.revealing(try originals(of: record, db))
    }

    /// Keeps `original` beside the log when the log holds its withheld copy (the central, given the text
    /// by the device that raised the report); returns whether it was kept. Anything else is ignored:
    /// a change the log holds whole, or other text under a withheld dot, proves nothing.
    @discardableResult
    static func keep(_ original: Change, body: String, _ db: Database) throws -> Bool {
        guard let held = try String.fetchOne(
            db, sql: "SELECT body FROM changes WHERE replica = ? AND counter = ? AND withheld = 1",
            arguments: [original.dot.replica, original.dot.counter]),
            Withheld.isCopy(held, of: original)
        else { return false }
        try db.execute(
            sql: "INSERT OR IGNORE INTO withheld_originals(replica, counter, record, body) VALUES (?, ?, ?, ?)",
            arguments: [original.dot.replica, original.dot.counter, original.record, body])
        return true
    }
}

extension Replica {
    /// The writes of `reports` whose text this replica keeps but other replicas hold withheld (the
    /// device that raised them): what its bundle gives the central back (`FieldBundle.withheld`).
    func withheldText(of reports: Set<String>) throws -> [Change] {
        try read { db in
            var originals: [Change] = []
            for id in reports.sorted() {
                guard let json = try String.fetchOne(db, sql: "SELECT record FROM reports WHERE id = ?", arguments: [id]) else { continue }
                let record = try JSONCoding.value(ReportRecord.self, from: json)
                guard !record.redactions.isEmpty else { continue }
                originals += try WithheldText.originals(of: record, db).values.sorted { $0.dot < $1.dot }
            }
            return originals
        }
    }

    /// Keeps the text of withheld writes a device's bundle gave back (`WithheldText.keep`), of reports
    /// of `units` only, and shows it in those reports' rows. Returns how many it kept.
    func keepWithheldText(_ originals: [Change], units: Set<String>) throws -> Int {
        guard !originals.isEmpty else { return 0 }
        return try write { db in
            var kept = 0
            var touched: Set<String> = []
            for original in originals {
                guard let unit = try String.fetchOne(db, sql: "SELECT unit FROM reports WHERE id = ?", arguments: [original.record]),
                    units.contains(unit), original.unit == unit
                else { continue }
                if try WithheldText.keep(original, body: original.canonicalJSON, db) {
                    kept += 1
                    touched.insert(original.record)
                }
            }
            for id in touched.sorted() {
                let json = try String.fetchOne(db, sql: "SELECT record FROM reports WHERE id = ?", arguments: [id]) ?? ""
                let record = try JSONCoding.value(ReportRecord.self, from: json)
                try ReportRows.save(record, shown: WithheldText.revealed(record, db), db)
            }
            return kept
        }
    }
}
