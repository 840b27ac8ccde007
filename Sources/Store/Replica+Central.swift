import Foundation
import GRDB
import SyncCore

/// The central replica's side of sync: taking in pushed changes under an authorisation check, the
/// automatic receipt of signed reports, and the feed each unit pulls from.
extension Replica {
    /// The member the central office's automatic receipts are made by.
    public static func receiptClerk(bureau: String) -> Member {
        Member(id: "central-office", name: "Central office (automatic receipt)", unit: bureau, role: .centralEditor)
    }

    /// Makes this file the bureau's central replica.
    public func markCentral() throws {
        try write { db in try Meta.set(.replicaRole, "central", db) }
    }

    /// Whether this is the bureau's central replica.
    public func isCentral() throws -> Bool {
        try read { db in try Meta.get(.replicaRole, db) == "central" }
    }

    /// Takes in pushed changes in one transaction: each is first checked by `authorize` (a refusal is
    /// recorded and answered), then merged; a report that arrives signed is received automatically.
    func receivePush(_ changes: [Change], authorize: (Change, Database) throws -> Void) throws -> [ApplyOutcome] {
        try session { s in
            let clerk = Self.receiptClerk(bureau: try Meta.require(.unitID, s.db))
            let outcomes = try changes.map { change in
                let outcome: ApplyOutcome
                do {
                    try authorize(change, s.db)
                    outcome = try s.offer(change)
                } catch let error as ReportSyncError {
                    outcome = try s.refuse(change, error)
                }
                if case .rejected(let error) = outcome { try Self.void(change, because: error, by: clerk, s) }
                return outcome
            }
            for id in s.touchedRecords {
                guard let record = try s.record(id), record.state == .signed else { continue }
                let receipt = try LocalWrites.transition(
                    .receive, on: record, by: clerk, comment: "received", policy: s.policy, followUpTarget: nil, stamp: s.stamp())
                try s.commitLocal([receipt])
            }
            return outcomes
        }
    }

    /// Tells every replica that a refused change of a report counts as seen without effect, so the
    /// writer's later changes, which saw it, still apply everywhere (docs/sync-protocol.md). Only for a
    /// change whose causes the central holds and whose dot is new here (never for a reused dot). The void
    /// has seen all the central holds of the report, so it follows the central's own earlier writes (a
    /// record's vector assumes each replica's writes to it arrive in order).
    static func void(_ change: Change, because error: ReportSyncError, by clerk: Member, _ s: ApplySession) throws {
        switch change.payload {
        case .content(let write) where !write.creates: break
        case .transition, .resolution: break
        default: return
        }
        guard let record = try s.record(change.record), record.vv.covers(change.context), !record.vv.covers(change.dot) else { return }
        let stamp = s.stamp()
        try s.commitLocal([
            Change(
                dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: clerk.id, context: record.vv,
                payload: .void(VoidMarker(dot: change.dot, reason: error.message)))
        ])
    }

    /// The units `unit` syncs for: itself and every unit below it.
    public func unitScope(of unit: String) throws -> Set<String> {
        try read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        WITH RECURSIVE scope(id) AS (SELECT ? UNION SELECT u.id FROM units u JOIN scope s ON u.parent = s.id)
                        SELECT id FROM scope
                        """,
                    arguments: [unit]))
        }
    }

    /// The next page of the central feed for `units`: their reports' changes and all reference data,
    /// after central sequence `after`. Returns each change's stored canonical JSON (sent as it is, never
    /// decoded here) and the sequence the page covered.
    public func feed(after: Int64, limit: Int, units: Set<String>) throws -> (changes: [(seq: Int64, body: String)], covered: Int64, more: Bool) {
        try read { db in
            let scope = Array(units) + ["*"]
            let placeholders = Array(repeating: "?", count: scope.count).joined(separator: ",")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, body FROM changes WHERE seq > ? AND (unit IN (\(placeholders)) OR record LIKE 'unit/%' OR record LIKE 'member/%')
                    ORDER BY seq LIMIT ?
                    """,
                arguments: StatementArguments([after] + scope.map { $0 as any DatabaseValueConvertible } + [limit + 1]))
            let page = rows.prefix(limit)
            let changes = page.map { (seq: $0["seq"] as Int64, body: $0["body"] as String) }
            let top = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM changes") ?? 0
            let more = rows.count > limit
            return (changes, more ? changes.last?.seq ?? after : max(after, top), more)
        }
    }
}
