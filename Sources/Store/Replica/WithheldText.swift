import GRDB
import SyncCore

/// What a replica keeps of a report whose text was withdrawn (`Redaction`, docs/bundles.md "Raising a
/// classification"). Every replica's record holds markers (`Withheld`), so digests agree; the text
/// itself stays only where it may: the device that raised the report keeps its log as it was, every
/// replica keeps the text of its own writes, the central keeps all it held beside its log
/// (`withheld_originals`, never served), every other replica nothing. The same plan serves the
/// PostgreSQL central (`StorePostgres`).
public enum WithheldText {
    /// What a redaction covering `covers` does to one row of the log: its body becomes `copy` (a write
    /// that held text, whose `original` moves beside the log where the text is kept), and where the row
    /// then holds none of the report's content (`Withheld.carriesNoContent`) it is marked `withheld`:
    /// the feed sends it, as the copies, to a device that needs the report's history to take the redaction.
    public struct Step: Sendable {
        public let seq: Int64
        public let copy: String?
        public let original: String
        public let marked: Bool
    }

    /// The steps for `rows` (seq, body) of one report's log not withheld yet: those `redaction` withholds,
    /// but for those `kept` covers (a redaction this replica wrote: it keeps the text).
    public static func plan(
        _ rows: [(seq: Int64, body: String)], redaction: RedactionEvent, keeping kept: [VersionVector] = []
    ) throws -> [Step] {
        try rows.compactMap { row in
            let change = try JSONCoding.value(Change.self, from: row.body)
            guard redaction.withholds(change.dot), !kept.contains(where: { $0.covers(change.dot) }) else { return nil }
            let copy = Withheld.holdsText(change) ? redaction.copy(of: change).canonicalJSON : nil
            let marked = Withheld.carriesNoContent(change)
            guard copy != nil || marked else { return nil }
            return Step(seq: row.seq, copy: copy, original: row.body, marked: marked)
        }
    }

    /// Withholds what a redaction received from elsewhere covers in `record`'s log (`plan`): on a field
    /// device the writes received from others (its own keep their text, and so do all if it wrote a
    /// redaction covering them: a redaction from a device gone rogue cannot destroy a text everywhere);
    /// at the central every write, its text moved beside the log.
    static func withhold(record: String, redaction: RedactionEvent, atCentral: Bool, _ db: Database) throws {
        let own = try String.fetchAll(
            db, sql: "SELECT body FROM changes WHERE record = ? AND withheld = 1 AND origin = 'local' AND kind = 'report'", arguments: [record]
        ).map { try JSONCoding.value(Change.self, from: $0) }.filter(\.isRedaction).map(\.context)
        let rows = try Row.fetchAll(
            db, sql: "SELECT seq, body FROM changes WHERE record = ? AND withheld = 0 AND kind = 'report' AND (origin = 'remote' OR ?)",
            arguments: [record, atCentral]
        ).map { (seq: $0["seq"] as Int64, body: $0["body"] as String) }
        for step in try plan(rows, redaction: redaction, keeping: own) {
            guard let copy = step.copy else {
                try db.execute(sql: "UPDATE changes SET withheld = 1 WHERE seq = ?", arguments: [step.seq])
                continue
            }
            if atCentral {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO withheld_originals(replica, counter, record, body)
                        SELECT replica, counter, record, ? FROM changes WHERE seq = ?
                        """,
                    arguments: [step.original, step.seq])
            }
            try db.execute(sql: "UPDATE changes SET body = ?, withheld = 1 WHERE seq = ?", arguments: [copy, step.seq])
        }
    }

    /// The writes of `record` whose values it holds withheld, as this replica holds them whole, by dot:
    /// its own log's where it kept them, else what a bundle brought. Empty on a replica that kept none.
    static func originals(of record: ReportRecord, _ db: Database) throws -> [Dot: Change] {
        let wanted = Set(record.versions.filter { $0.fields.values.contains(where: Withheld.isMarker) }.map(\.dot))
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
    /// a change the log holds whole, or other text under a withheld dot, proves nothing, and a sealed
    /// copy's text is taken only from its writer's own replicas, `writers` (`isKeptFrom`).
    @discardableResult
    static func keep(_ original: Change, body: String, from writers: Set<String>, _ db: Database) throws -> Bool {
        guard let held = try String.fetchOne(
            db, sql: "SELECT body FROM changes WHERE replica = ? AND counter = ? AND withheld = 1",
            arguments: [original.dot.replica, original.dot.counter]),
            isKept(original, held: held, from: writers)
        else { return false }
        try db.execute(
            sql: "INSERT OR IGNORE INTO withheld_originals(replica, counter, record, body) VALUES (?, ?, ?, ?)",
            arguments: [original.dot.replica, original.dot.counter, original.record, body])
        return db.changesCount > 0
    }

    /// Whether the central takes `original` as the text of its withheld copy `held`, given by a device
    /// writing under `writers`: a copy whose markers prove it, or a sealed copy of the device's own write
    /// (a sealed copy proves nothing of the values, so only its writer may give them).
    public static func isKept(_ original: Change, held: String, from writers: Set<String>) -> Bool {
        Withheld.isVerifiedCopy(held, of: original) || (writers.contains(original.dot.replica) && Withheld.isCopy(held, of: original))
    }
}

extension Replica {
    /// The writes of `reports` whose text this replica keeps but other replicas hold withheld (the
    /// device that raised them): what its bundle gives the central back (`FieldBundle.withheld`).
    func withheldText(of reports: Set<String>) throws -> [Change] {
        try read { db in
            var originals: [Change] = []
            for id in reports.sorted() {
                // Only a record that took a redaction is read whole (most of a bundle's reports took none).
                guard let json = try String.fetchOne(
                    db, sql: #"SELECT record FROM reports WHERE id = ? AND instr(record, '"redactions":') > 0"#, arguments: [id])
                else { continue }
                let record = try JSONCoding.value(ReportRecord.self, from: json)
                originals += try WithheldText.originals(of: record, db).values.sorted { $0.dot < $1.dot }
            }
            return originals
        }
    }

    /// Keeps the text of withheld writes a device's bundle gave back (`WithheldText.keep`), of reports
    /// of `units` only (sealed ones only of the device's own `writers`), and shows it in those reports'
    /// rows. Returns how many it kept.
    func keepWithheldText(_ originals: [Change], units: Set<String>, writers: Set<String>) throws -> Int {
        guard !originals.isEmpty else { return 0 }
        return try write { db in
            var kept = 0
            var touched: Set<String> = []
            for original in originals {
                guard let unit = try String.fetchOne(db, sql: "SELECT unit FROM reports WHERE id = ?", arguments: [original.record]),
                    units.contains(unit), original.unit == unit
                else { continue }
                if try WithheldText.keep(original, body: original.canonicalJSON, from: writers, db) {
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
