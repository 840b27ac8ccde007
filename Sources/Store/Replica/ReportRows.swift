import Foundation
import GRDB
import SyncCore

/// Reads and writes the `reports` table: each report's merged record and the columns derived from it.
public enum ReportRows {
    static func fetch(_ id: String, _ db: Database) throws -> Report? {
        try Row.fetchOne(db, sql: "SELECT * FROM reports WHERE id = ?", arguments: [id]).map(decode)
    }

    static func decode(_ row: Row) throws -> Report {
        try report(
            id: row["id"], unit: row["unit"], content: row["content"], state: row["state"], drafter: row["drafter"], version: row["version"],
            contentDot: Dot(replica: row["content_replica"], counter: row["content_counter"]), createdAt: row["created_at"],
            updatedAt: row["updated_at"], lastComment: row["last_comment"])
    }

    /// The columns every store reads a listed report from (`report(…)`), in its `reports` table.
    public static let columns = "id, unit, content, state, drafter, version, content_replica, content_counter, created_at, updated_at, last_comment"

    /// A report from the values of its row (`columns`), in any store.
    public static func report(
        id: String, unit: String, content: String, state stateName: String, drafter: String, version: Int, contentDot: Dot, createdAt: Int64,
        updatedAt: Int64, lastComment: String?
    ) throws -> Report {
        guard let state = ApprovalState(rawValue: stateName) else {
            throw ReportSyncError(
                .schemaTooNew, "report \(id) is in state '\(stateName)', unknown to this program; install the newer report-cli")
        }
        let (readable, unreadable) = readableContent(content)
        var report = Report(
            id: id, unit: unit, content: readable, state: state, drafter: drafter, version: version, contentDot: contentDot,
            createdAt: Date(millisecondsSince1970: createdAt), updatedAt: Date(millisecondsSince1970: updatedAt), lastComment: lastComment)
        // A withheld value is a marker (`Withheld`), which no field reads as: named apart from the unreadable.
        let withheld = unreadable.isEmpty || !content.contains("sha256:") ? [] : withheldFields(content)
        let others = unreadable.filter { !withheld.contains($0) }
        report.unreadableFields = others.isEmpty ? nil : others
        report.withheldFields = withheld.isEmpty ? nil : withheld
        return report
    }

    /// The fields of a `content` column that hold a withheld value's marker, sorted.
    static func withheldFields(_ json: String) -> [String] {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        return object.compactMap { name, value in
            guard let marker = value as? [String: Any], marker.count == 1, let hash = marker["withheld"] as? String, hash.hasPrefix("sha256:") else {
                return nil
            }
            return name
        }.sorted()
    }

    /// The `content` column read as far as it can be: a field an older central let in without checking
    /// its type is shown empty and named, so that listing, scoring and repairing still work.
    static func readableContent(_ json: String) -> (content: ReportContent, unreadable: [String]) {
        if let content = try? JSONCoding.value(ReportContent.self, from: json) { return (content, []) }
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        var fields: [String: String] = [:]
        for (name, value) in object {
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed) else { continue }
            fields[name] = String(decoding: data, as: UTF8.self)
        }
        return ReportContent.readable(fields: fields)
    }

    /// Stores a record and the columns derived from it (`ReportRow`), without decoding its content.
    /// Writes `record`'s row; its columns for queries and display are read from `shown`, the record with
    /// the text this replica keeps of withheld values put back (`WithheldText.revealed`).
    static func save(_ record: ReportRecord, shown: ReportRecord, _ db: Database) throws {
        let row = try ReportRow(record, shown: shown)
        try db.executeCached(sql: """
                INSERT INTO reports(id, unit, category, title, state, drafter, version, content, content_replica,
                    content_counter, created_at, updated_at, last_comment, follow_up_of, record, digest, classification,
                    sign_off_at, approved_at, received_at, earliest_at, latest_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET category = excluded.category, title = excluded.title,
                    state = excluded.state, version = excluded.version, content = excluded.content,
                    content_replica = excluded.content_replica, content_counter = excluded.content_counter,
                    updated_at = excluded.updated_at, last_comment = excluded.last_comment,
                    follow_up_of = excluded.follow_up_of, record = excluded.record, digest = excluded.digest,
                    classification = excluded.classification, sign_off_at = excluded.sign_off_at,
                    approved_at = excluded.approved_at, received_at = excluded.received_at,
                    earliest_at = excluded.earliest_at, latest_at = excluded.latest_at
                """,
            arguments: [
                row.id, row.unit, row.category, row.title, row.state, row.drafter, row.version, row.content, row.contentReplica,
                row.contentCounter, row.createdAt, row.updatedAt, row.lastComment, row.followUpOf, row.record, row.digest,
                row.classification, row.signOffAt, row.approvedAt, row.receivedAt, row.earliestAt, row.latestAt,
            ])
        try AttachmentRefs.save(row, db)
    }

    /// The record's timeline, reading the two times it needs from the winning fields' JSON (a field that
    /// does not read as a time counts as absent, as it does in `ReportFacts`).
    static func timeline(of record: ReportRecord, winners: [String: String]) -> ReportTimeline {
        let eventTime = winners["eventTime"].flatMap { try? JSONCoding.value(Date.self, from: $0) }
        let emergency = winners["emergency"].flatMap { try? JSONCoding.value(EmergencyDetails.self, from: $0) }
        return ReportTimeline(record: record, eventTime: eventTime, phoneReportedAt: emergency?.phoneReportedAt)
    }

    /// The timeline of a stored row, from its record and its `content` column.
    static func timeline(of record: ReportRecord, content: String) -> ReportTimeline {
        let object = (try? JSONSerialization.jsonObject(with: Data(content.utf8))) as? [String: Any] ?? [:]
        var winners: [String: String] = [:]
        for key in ["eventTime", "emergency"] {
            guard let value = object[key], let data = try? JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed) else { continue }
            winners[key] = String(decoding: data, as: UTF8.self)
        }
        return timeline(of: record, winners: winners)
    }

    /// Writes a timeline into a report's row (the migration that added the columns fills them so).
    static func saveTimeline(_ timeline: ReportTimeline, of id: String, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE reports SET sign_off_at = ?, approved_at = ?, received_at = ?, earliest_at = ?, latest_at = ? WHERE id = ?",
            arguments: [
                timeline.signOff?.millisecondsSince1970, timeline.approval?.millisecondsSince1970,
                timeline.firstReceipt?.millisecondsSince1970, timeline.earliest.millisecondsSince1970,
                timeline.latest.millisecondsSince1970, id,
            ])
    }
}
