import Foundation
import Store
import SyncCore

/// What a central on PostgreSQL keeps of a report whose text was withdrawn (`Redaction`), as the
/// SQLite store's `WithheldText` does: the log holds the withheld copies, `withheld_originals` the
/// text, kept when the redaction came or given back by a device's bundle.
extension PostgresDatabase {
    /// The changes of `records` this central keeps whole that hold text (the log's rows not withheld,
    /// and `withheld_originals`), by report and dot: what `ReportRecord.revealing` puts back.
    func originals(of records: [String]) async throws -> [String: [Dot: Change]] {
        guard !records.isEmpty else { return [:] }
        var originals: [String: [Dot: Change]] = [:]
        let bodies = try await rows(
            """
            SELECT body FROM changes WHERE record = ANY($1) AND withheld = 0 AND kind = 'report'
            UNION ALL SELECT body FROM withheld_originals WHERE record = ANY($1)
            """, [records], as: String.self)
        for body in bodies {
            let change = try JSONCoding.value(Change.self, from: body)
            if Withheld.holdsText(change) { originals[change.record, default: [:]][change.dot] = change }
        }
        return originals
    }

    /// Withholds what a redaction covers in `record`'s log, as a central on SQLite does
    /// (`WithheldText.withhold`): every covered write marked, its text moved to `withheld_originals`.
    func withhold(record: String, redaction: RedactionEvent) async throws {
        var rows: [(seq: Int64, body: String)] = []
        for row in try await randomAccessRows("SELECT seq, body FROM changes WHERE record = $1 AND withheld = 0 AND kind = 'report'", [record]) {
            rows.append((try row["seq"].decode(Int64.self), try row["body"].decode(String.self)))
        }
        for step in try WithheldText.plan(rows, redaction: redaction) {
            guard let copy = step.copy else {
                try await run("UPDATE changes SET withheld = 1 WHERE seq = $1", [step.seq])
                continue
            }
            try await run(
                """
                INSERT INTO withheld_originals (replica, counter, record, body)
                SELECT replica, counter, record, $1 FROM changes WHERE seq = $2 ON CONFLICT DO NOTHING
                """, [step.original, step.seq])
            try await run("UPDATE changes SET body = $1, withheld = 1 WHERE seq = $2", [copy, step.seq])
        }
    }

    /// Keeps `original` when the log holds its withheld copy (`WithheldText.keep`); returns whether it did.
    @discardableResult
    func keepOriginal(_ original: Change, body: String, from writers: Set<String>) async throws -> Bool {
        guard let held = try await rows(
            "SELECT body FROM changes WHERE replica = $1 AND counter = $2 AND withheld = 1", [original.dot.replica, original.dot.counter],
            as: String.self
        ).first, WithheldText.isKept(original, held: held, from: writers)
        else { return false }
        return try await rows(
            """
            INSERT INTO withheld_originals (replica, counter, record, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
            RETURNING replica
            """, [original.dot.replica, original.dot.counter, original.record, body], as: String.self
        ).isEmpty == false
    }

    /// Keeps the text a device's bundle gave back of reports of `unit` (`Replica.keepWithheldText`;
    /// sealed ones only of the device's own `writers`), and shows it in their rows.
    func keepWithheldText(_ originals: [Change], unit: String, writers: Set<String>) async throws {
        guard !originals.isEmpty else { return }
        try await transaction { db in
            var touched: Set<String> = []
            for original in originals where original.unit == unit {
                guard try await db.rows("SELECT unit FROM reports WHERE id = $1", [original.record], as: String.self).first == unit else { continue }
                if try await db.keepOriginal(original, body: original.canonicalJSON, from: writers) { touched.insert(original.record) }
            }
            guard !touched.isEmpty else { return }
            let records = try await db.rows("SELECT record FROM reports WHERE id = ANY($1)", [Array(touched)], as: String.self)
                .map { try JSONCoding.value(ReportRecord.self, from: $0) }
            try await db.saveRows(records)
        }
    }
}
