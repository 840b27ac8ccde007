import Foundation
import GRDB
import SyncCore

/// The last line of the kv679 defence (`ReplicaEpoch`): a field file put back from a backup together
/// with its machine (its watermark gone with it) cannot tell that it is an older copy of itself, and
/// goes on writing under dots its old self had already used. The central holds other changes under
/// them. When the central says so (a push answered `dotTaken`) or sends one of them back (a pull or a
/// bundle), this device, in one transaction, takes a new replica id if it has not yet, moves its own
/// changes the central has not taken from the first taken dot on out of the log (kept in
/// `reissued_changes`), rebuilds the reports they touched from what is left, and writes each change
/// again under the new id: same author, clock stamp, payload and what it had seen of its report. A signed step cannot be signed again without its signer's PIN: it is dropped
/// with a notice that names it, to be taken again.
extension FieldReplica {
    /// What one re-issue did, in lines for the person at the device.
    public struct Reissue: Sendable, Equatable {
        /// Changes written again under the new replica id.
        public var rewritten = 0
        /// Signed steps that must be taken again, one line each.
        public var dropped: [String] = []

        /// One line, or none when nothing was re-issued.
        public var notices: [String] {
            guard rewritten > 0 || !dropped.isEmpty else { return [] }
            var lines = [
                "the central holds other changes under dots this replica file used again (it is an older copy of itself): \(rewritten) change(s) written after it was put back were written again under a new replica id and go with the next push"
            ]
            lines += dropped.map { "\($0) must be taken again: its signature named a dot the central had already given to another change" }
            return lines
        }
    }

    /// Re-issues this device's own changes whose dots the central holds for other changes, as the
    /// changes `incoming` from the central show: any under one of this device's replica ids that this
    /// file holds, as its own, with another body. Called before `incoming` is taken in; reads only
    /// when none collides.
    @discardableResult
    public func reissueIfDotsTaken(by incoming: [Change]) throws -> Reissue {
        let taken: [Dot] = try replica.read { db in
            let mine = Set(try ReplicaEpoch.previousIDs(db) + [try Meta.require(.replicaID, db)])
            return try incoming.filter { change in
                guard mine.contains(change.dot.replica) else { return false }
                let held = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT body FROM changes WHERE replica = ? AND counter = ? AND origin = 'local'"),
                    arguments: [change.dot.replica, change.dot.counter])
                // The central's withheld copy of a change whose text this device kept is that change (`Withheld`).
                return held.map { !Withheld.sameChange($0, change, body: change.canonicalJSON) } ?? false
            }.map(\.dot)
        }
        return try reissue(from: taken)
    }

    /// Re-issues this device's changes that the central has not taken, of each replica id in `taken`
    /// from its lowest dot there on, in one transaction with the change of replica id.
    func reissue(from taken: [Dot]) throws -> Reissue {
        let first = Dictionary(taken.map { ($0.replica, $0.counter) }, uniquingKeysWith: min)
        guard !first.isEmpty else { return Reissue() }
        let at = replica.now()
        var issued: (replica: String, counter: Int64)?
        let reissue = try replica.write { db -> Reissue in
            let current = try Meta.require(.replicaID, db)
            if let counter = first[current] { try ReplicaEpoch.begin(.dotTaken(Dot(replica: current, counter: counter)), db, at: at) }
            let mine = Set(try ReplicaEpoch.previousIDs(db) + [try Meta.require(.replicaID, db)])
            let s = try ApplySession(db, now: at)
            var moved = try first.sorted { $0.key < $1.key }.flatMap { try Self.moveAside(of: $0.key, from: $0.value, s.db, at: at) }
            // A report a moved change wrote is folded again from what is left; a change of this device left
            // in it that needed a moved one (the central only keeps it waiting) moves with them.
            for id in Set(moved.filter { $0.change.payload.kind == .report }.map(\.change.record)).sorted() {
                moved += try Self.rebuild(id, mine: mine, s.db, at: at)
            }
            var reissue = Reissue()
            var renamed: [Dot: Dot] = [:]
            for (_, change) in moved.sorted(by: { $0.seq < $1.seq }) {
                if change.signature != nil {
                    reissue.dropped.append("\(Self.describe(change)) on report \(change.record) by \(change.actor)")
                    continue
                }
                let dot = s.stamp().dot
                let record = try s.record(change.record)
                let again = Change(
                    dot: dot, hlc: change.hlc, record: change.record, unit: change.unit, actor: change.actor,
                    context: Self.context(of: change, renamed: renamed, record: record),
                    requires: change.requires.map { RecordDot(record: $0.record, dot: renamed[$0.dot] ?? $0.dot) },
                    payload: Self.payload(of: change, renamed: renamed))
                do { try s.commitLocal([again]) } catch let error as ReportSyncError {
                    throw ReportSyncError(
                        .storage,
                        "this device's change \(change.dot), made under a dot the central holds for another change, could not be written again under a new replica id (\(error.message)); nothing was changed: keep this file and ask for help"
                    )
                }
                renamed[change.dot] = dot
                try s.db.execute(
                    sql: "UPDATE reissued_changes SET new_replica = ?, new_counter = ? WHERE replica = ? AND counter = ?",
                    arguments: [dot.replica, dot.counter, change.dot.replica, change.dot.counter])
                reissue.rewritten += 1
            }
            try s.finish()
            if s.counters.end > s.counters.start { issued = (s.replicaID, s.counters.end) }
            return reissue
        }
        // After the commit, as every write raises it: never ahead of the file.
        if replica.path != nil, let issued { CounterWatermark.raise(replica: issued.replica, to: issued.counter) }
        return reissue
    }

    /// Moves this device's changes of `replica` from `counter` on that the central has not taken (those
    /// still in the outbox) out of the log into `reissued_changes`. Returns them with their log order.
    private static func moveAside(of replica: String, from counter: Int64, _ db: Database, at: Date) throws -> [(seq: Int64, change: Change)] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.seq, c.body FROM changes c JOIN outbox o ON o.seq = c.seq
                WHERE c.replica = ? AND c.counter >= ? AND c.origin = 'local' ORDER BY c.seq
                """,
            arguments: [replica, counter])
        return try rows.map { row in
            let change = try JSONCoding.value(Change.self, from: row["body"] as String)
            try moveOne(seq: row["seq"], body: row["body"], change, db, at: at)
            return (row["seq"], change)
        }
    }

    private static func moveOne(seq: Int64, body: String, _ change: Change, _ db: Database, at: Date) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO reissued_changes(replica, counter, record, body, reissued_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [change.dot.replica, change.dot.counter, change.record, body, at.millisecondsSince1970])
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [seq])
        try db.execute(sql: "DELETE FROM push_rejections WHERE replica = ? AND counter = ?", arguments: [change.dot.replica, change.dot.counter])
        try db.execute(sql: "DELETE FROM changes WHERE seq = ?", arguments: [seq])
    }

    /// Folds report `id` again from the changes its log still holds, in the order they were applied,
    /// and returns the changes of this device (`mine`) it had to move too because they need a moved
    /// one; throws, changing nothing, when another replica's change needs one. Removes the report when
    /// nothing is left (a report a moved change created).
    private static func rebuild(_ id: String, mine: Set<String>, _ db: Database, at: Date) throws -> [(seq: Int64, change: Change)] {
        let rows = try Row.fetchAll(db, sql: "SELECT seq, origin, body FROM changes WHERE record = ? ORDER BY seq", arguments: [id])
        var record: ReportRecord?
        var moved: [(seq: Int64, change: Change)] = []
        for row in rows {
            let body: String = row["body"]
            let change = try JSONCoding.value(Change.self, from: body)
            if var folded = record {
                if folded.apply(change) == .applied {
                    record = folded
                    continue
                }
            } else if case .content(let write) = change.payload, write.creates {
                record = try ReportRecord(creating: change)
                continue
            }
            guard row["origin"] as String == ChangeOrigin.local.rawValue, mine.contains(change.dot.replica) else {
                throw ReportSyncError(
                    .storage,
                    "report \(id) cannot be put together without this device's changes under dots the central holds for others: change \(change.dot) of another replica needs them; nothing was changed: keep this file and ask for help"
                )
            }
            try moveOne(seq: row["seq"], body: body, change, db, at: at)
            moved.append((row["seq"], change))
        }
        try db.execute(sql: "DELETE FROM conflicts WHERE report_id = ?", arguments: [id])
        if let record { try ApplySession.save(record, replacingConflicts: false, db) } else { try db.execute(sql: "DELETE FROM reports WHERE id = ?", arguments: [id]) }
        return moved
    }

    /// `change`'s payload written again: a sealing names the writes it seals by their new dots, so that
    /// the push still sends them sealed.
    static func payload(of change: Change, renamed: [Dot: Dot]) -> ChangePayload {
        guard case .redaction(let redaction) = change.payload, let seals = redaction.seals else { return change.payload }
        return .redaction(Redaction(raisedTo: redaction.raisedTo, seals: seals.map { renamed[$0] ?? $0 }))
    }

    /// What `change` had seen of its report, with the moved changes it had seen under their new dots:
    /// of each replica id, no more than the rebuilt report still holds of it.
    private static func context(of change: Change, renamed: [Dot: Dot], record: ReportRecord?) -> VersionVector {
        let seenMoved = renamed.filter { change.context.covers($0.key) }
        var counters = change.context.counters
        for replica in Set(seenMoved.keys.map(\.replica)) {
            let kept = min(counters[replica] ?? 0, record?.vv.counters[replica] ?? 0)
            counters[replica] = kept > 0 ? kept : nil
        }
        // Only this report's moved changes: a version vector is one report's history.
        for new in seenMoved.values where record?.vv.covers(new) == true {
            counters[new.replica] = max(counters[new.replica] ?? 0, new.counter)
        }
        return VersionVector(counters)
    }

    private static func describe(_ change: Change) -> String {
        if case .transition(let step) = change.payload { return "the step \(step.action.rawValue)" }
        return "the signed \(change.payload.kind.rawValue)"
    }
}
