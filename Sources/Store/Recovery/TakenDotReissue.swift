import Foundation
import GRDB
import SyncCore

/// The last line of the kv679 defence (`ReplicaEpoch`): a field file put back from a backup together
/// with its machine (its watermark gone with it) cannot tell that it is an older copy of itself, and
/// goes on writing under dots its old self had already used. The central holds other changes under
/// them. When the central says so (a push answered `dotTaken`) or sends one of them back (a pull or a
/// bundle), this device takes a new replica id if it has not yet, moves its own changes from the first
/// taken dot on out of the log (kept in `reissued_changes`), rebuilds the reports they touched from
/// what is left, and writes each change again under the new id: same author, clock stamp, payload and
/// what it had seen. A signed step cannot be signed again without its signer's PIN: it is dropped
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
                return held.map { $0 != change.canonicalJSON } ?? false
            }.map(\.dot)
        }
        return try reissue(from: taken)
    }

    /// Re-issues this device's own changes of each replica id in `taken` from its lowest dot there on.
    func reissue(from taken: [Dot]) throws -> Reissue {
        let first = Dictionary(taken.map { ($0.replica, $0.counter) }, uniquingKeysWith: min)
        guard !first.isEmpty else { return Reissue() }
        try replica.write { db in
            let current = try Meta.require(.replicaID, db)
            if let counter = first[current] {
                try ReplicaEpoch.begin(.dotTaken(Dot(replica: current, counter: counter)), db, at: replica.now())
            }
        }
        return try replica.session { s in
            var reissue = Reissue()
            let superseded = try first.sorted { $0.key < $1.key }.flatMap { try Self.moveAside(of: $0.key, from: $0.value, s) }
            let reports = Set(superseded.filter { $0.payload.kind == .report }.map(\.record))
            for id in reports.sorted() { try Self.rebuild(id, s.db) }
            var renamed: [Dot: Dot] = [:]
            for change in superseded {
                if change.signature != nil {
                    reissue.dropped.append("\(Self.describe(change)) on report \(change.record) by \(change.actor)")
                    continue
                }
                let dot = s.stamp().dot
                let context = Self.context(of: change, renamed: renamed, first: first, record: try s.record(change.record))
                let again = Change(
                    dot: dot, hlc: change.hlc, record: change.record, unit: change.unit, actor: change.actor, context: context,
                    requires: change.requires.map { RecordDot(record: $0.record, dot: renamed[$0.dot] ?? $0.dot) }, payload: change.payload)
                try s.commitLocal([again])
                renamed[change.dot] = dot
                try s.db.execute(
                    sql: "UPDATE reissued_changes SET new_replica = ?, new_counter = ? WHERE replica = ? AND counter = ?",
                    arguments: [dot.replica, dot.counter, change.dot.replica, change.dot.counter])
                reissue.rewritten += 1
            }
            return reissue
        }
    }

    /// Moves this device's changes of `replica` from `counter` on out of the log, its outbox and its
    /// refusals, into `reissued_changes`; forgets its refusals of the central's changes under those dots
    /// (refused here as reused, they now apply). Returns them in counter order.
    private static func moveAside(of replica: String, from counter: Int64, _ s: ApplySession) throws -> [Change] {
        let rows = try Row.fetchAll(
            s.db,
            sql: "SELECT seq, body FROM changes WHERE replica = ? AND counter >= ? AND origin = 'local' ORDER BY counter",
            arguments: [replica, counter])
        let at = s.now.millisecondsSince1970
        var changes: [Change] = []
        for row in rows {
            let body: String = row["body"]
            let change = try JSONCoding.value(Change.self, from: body)
            try s.db.execute(
                sql: "INSERT OR REPLACE INTO reissued_changes(replica, counter, record, body, reissued_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [change.dot.replica, change.dot.counter, change.record, body, at])
            try s.db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [row["seq"] as Int64])
            try s.db.execute(sql: "DELETE FROM changes WHERE seq = ?", arguments: [row["seq"] as Int64])
            changes.append(change)
        }
        for table in ["push_rejections", "rejected_changes"] {
            try s.db.execute(sql: "DELETE FROM \(table) WHERE replica = ? AND counter >= ?", arguments: [replica, counter])
        }
        return changes
    }

    /// Folds report `id` again from the changes its log still holds, in the order they were applied;
    /// removes it when none is left (a report the moved changes created).
    private static func rebuild(_ id: String, _ db: Database) throws {
        let bodies = try String.fetchAll(db, sql: "SELECT body FROM changes WHERE record = ? ORDER BY seq", arguments: [id])
        try db.execute(sql: "DELETE FROM conflicts WHERE report_id = ?", arguments: [id])
        guard let first = bodies.first else {
            try db.execute(sql: "DELETE FROM reports WHERE id = ?", arguments: [id])
            return
        }
        var record = try ReportRecord(creating: try JSONCoding.value(Change.self, from: first))
        for body in bodies.dropFirst() { _ = record.apply(try JSONCoding.value(Change.self, from: body)) }
        try ApplySession.save(record, replacingConflicts: false, db)
    }

    /// What `change` had seen, with its own earlier moved changes under their new dots: of its old
    /// replica id only what the rebuilt report still holds (all of it older than the first taken dot).
    private static func context(of change: Change, renamed: [Dot: Dot], first: [String: Int64], record: ReportRecord?) -> VersionVector {
        var counters = change.context.counters
        for (replica, from) in first {
            guard let seen = counters[replica], seen >= from else { continue }
            let kept = min(seen, record?.vv.counters[replica] ?? 0)
            counters[replica] = kept > 0 ? kept : nil
            let again = renamed.filter { $0.key.replica == replica && $0.key.counter <= seen }.map(\.value)
            if let latest = again.max() { counters[latest.replica] = max(counters[latest.replica] ?? 0, latest.counter) }
        }
        return VersionVector(counters)
    }

    private static func describe(_ change: Change) -> String {
        if case .transition(let step) = change.payload { return "the step \(step.action.rawValue)" }
        return "the signed \(change.payload.kind.rawValue)"
    }
}
