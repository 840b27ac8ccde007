import Foundation
import SyncCore

/// The `reports` row of a merged record: its canonical JSON and digest and every column derived from it
/// for queries, with the files its attachments name (`attachment_refs`). Computed here once for every
/// store (SQLite in this module, PostgreSQL in StorePostgres), so the stores differ only in their SQL.
public struct ReportRow: Sendable {
    public let id: String
    public let unit: String
    public let category: String
    public let title: String
    public let state: String
    public let drafter: String
    public let version: Int
    /// The winning value of each field, as one JSON object.
    public let content: String
    public let contentReplica: String
    public let contentCounter: Int64
    public let createdAt: Int64
    public let updatedAt: Int64
    public let lastComment: String?
    public let followUpOf: String?
    /// The record's canonical JSON and its SHA-256.
    public let record: String
    public let digest: String
    /// The classification the report travels by (`ReportRecord.networkClassification`).
    public let classification: String
    public let signOffAt: Int64?
    public let approvedAt: Int64?
    public let receivedAt: Int64?
    public let earliestAt: Int64
    public let latestAt: Int64
    /// The files its attachments name now, in hash order.
    public let files: [BlobReference]

    /// The row of `record`, its derived columns read from `shown` (the same record with the withheld
    /// values this replica keeps the text of put back; `record` itself where it keeps none).
    public init(_ record: ReportRecord, shown: ReportRecord? = nil) throws {
        let shown = shown ?? record
        let winners = shown.fields.compactMapValues { $0.first?.value }
        let latest = record.latestContent
        let created = record.versions.first(where: \.creates) ?? latest
        var json = CanonicalJSON()
        record.write(to: &json)
        let timeline = ReportRows.timeline(of: record, winners: winners)
        id = record.id
        unit = record.unit
        category = try Self.text(winners["category"])
        title = try Self.text(winners["title"])
        state = record.state.rawValue
        drafter = record.drafter
        version = record.versions.count
        content = Self.object(winners)
        contentReplica = latest.dot.replica
        contentCounter = latest.dot.counter
        createdAt = created.hlc.wallMilliseconds
        updatedAt = max(latest.hlc, record.transitions.map(\.hlc).max() ?? .zero).wallMilliseconds
        lastComment = record.lastComment
        followUpOf = try JSONCoding.stringValue(winners["followUpOf"])
        self.record = json.text
        digest = StateDigest.hash(canonical: json.bytes)
        classification = record.networkClassification.rawValue
        signOffAt = timeline.signOff?.millisecondsSince1970
        approvedAt = timeline.approval?.millisecondsSince1970
        receivedAt = timeline.firstReceipt?.millisecondsSince1970
        earliestAt = timeline.earliest.millisecondsSince1970
        latestAt = timeline.latest.millisecondsSince1970
        files = AttachmentRefs.files(named: winners["attachments"])
    }

    /// A text field's value for its column: empty when absent or withheld here (`Withheld`).
    private static func text(_ json: String?) throws -> String {
        guard let json, !Withheld.isMarker(json) else { return "" }
        return try JSONCoding.stringValue(json) ?? ""
    }
}

extension ReportRow {
    /// One JSON object of field values that are JSON already, members in name order.
    static func object(_ fields: [String: String]) -> String {
        var text = "{"
        text.reserveCapacity(fields.values.reduce(2) { $0 + $1.utf8.count + 24 })
        for (index, (name, value)) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { text += "," }
            text += "\""
            text += name
            text += "\":"
            text += value
        }
        return text + "}"
    }
}

/// A `conflicts` row: one conflict of a report, replaced whenever the report is saved.
public struct ConflictRow: Sendable {
    public let id: String
    public let reportID: String
    public let kind: String
    public let status: String
    /// The later of its two sides' stamps (the order conflicts are listed in).
    public let hlc: Int64
    public let body: String
    public let shortID: String
    public let unit: String

    /// The rows of every conflict `record` holds.
    public static func rows(of record: ReportRecord) -> [ConflictRow] {
        record.conflicts.map { conflict in
            ConflictRow(
                id: conflict.id, reportID: record.id, kind: conflict.kind.rawValue, status: conflict.status.rawValue,
                hlc: max(conflict.winner.hlc, conflict.loser.hlc).rawValue, body: conflict.canonicalJSON, shortID: conflict.shortID,
                unit: record.unit)
        }
    }
}
