import Foundation
import GRDB
import SyncCore

/// What a field replica did when the central's standing showed that one of the two copies is older
/// than what it had acknowledged (`FieldReplica.reconcile`).
public struct FieldRecovery: Sendable, Equatable {
    /// One line each for the person at the device; empty when nothing was wrong.
    public var notices: [String] = []
    /// Local changes put in the outbox again because the central may have lost them.
    public var resent = 0
    /// Signed changes the central made, lost with its disk and held here: sent back to it.
    public var returned = 0
    /// Unsigned changes the central made and lost (units, members, solicitations, refusals): this device
    /// holds them but cannot prove them, so the central office must make them again.
    public var lostAtCentral: [Dot] = []
}

extension FieldReplica {
    /// Compares what this replica knows with what the central holds (`CentralStanding`) before a
    /// round pushes anything, and repairs what either side forgot (the Riak "kv679" family):
    ///
    /// - **This file is behind its own history**: the central holds changes of this replica's id past
    ///   the file's counter, so the file is an older copy (restored, or copied back). It takes a new
    ///   replica id before issuing another dot; its own later changes come back with the pull.
    /// - **The central is behind**: a new incarnation (restored, replaced, re-created), a highest
    ///   sequence below this replica's pull cursor, or fewer changes of one of this device's ids than the
    ///   central had acknowledged. Every local change goes into the outbox again (the central answers
    ///   `duplicate` for what it holds), the signed changes the central made and lost go back to it, and
    ///   the pull starts again from where the two incarnations' feeds are the same (the new
    ///   incarnation's base; from the start when the central cannot say).
    public func reconcile(with standing: CentralStanding) throws -> FieldRecovery {
        var recovery = FieldRecovery()
        try replica.write { db in
            let at = replica.now()
            let current = try Meta.require(.replicaID, db)
            let counter = Int64(try Meta.require(.counter, db)) ?? 0
            let issued = standing.counter(of: current)
            if issued > counter {
                let reason = EpochReason.behindOwnHistory(issued: issued, file: counter)
                let ids = try ReplicaEpoch.begin(reason, db, at: at)
                recovery.notices.append(
                    "\(reason.description); it now writes as replica \(ids.new) and takes its own later changes back from the central")
            }
            let known = try Meta.get(.centralIncarnation, db)
            try Meta.set(.centralIncarnation, standing.incarnation, db)
            guard let known else { return }
            let cursor = Int64(try Meta.get(.pullCursor, db) ?? "0") ?? 0
            let forgot = try Self.acknowledgedPastStanding(standing, db)
            let replaced = known != standing.incarnation
            guard replaced || standing.top < cursor || forgot else { return }
            recovery.resent = try Self.enqueueLocalChangesAgain(db)
            let (returned, lost) = try Self.enqueueCentralChangesItLost(standing, db)
            recovery.returned = returned
            recovery.lostAtCentral = lost
            let from = replaced ? min(cursor, standing.base) : 0
            try Meta.set(.pullCursor, String(from), db)
            let why = replaced ? "the central was restored from a backup or replaced" : "the central holds less than it had acknowledged to this device"
            var line = "\(why): sending again \(recovery.resent) change(s) it may lack"
            if returned > 0 { line += ", returning \(returned) change(s) of its own it lost (signed steps, refusals of this device's changes)" }
            line += ", and pulling again from sequence \(from)"
            recovery.notices.append(line)
            if !lost.isEmpty {
                recovery.notices.append(
                    "\(lost.count) change(s) the central office made (units, members, solicitations or refusals) were lost with the central's disk and cannot be proved by this device (\(lost.prefix(3).map(\.description).joined(separator: ", "))\(lost.count > 3 ? ", …" : "")); the central office must make them again"
                )
            }
        }
        return recovery
    }

    /// Whether the central holds fewer changes of one of this device's replica ids than it had
    /// answered for: a local change that left the outbox accepted has a higher counter than it holds.
    private static func acknowledgedPastStanding(_ standing: CentralStanding, _ db: Database) throws -> Bool {
        for held in standing.device {
            let acknowledged = try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(c.counter) FROM changes c
                    WHERE c.replica = ? AND c.origin = 'local'
                      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = c.seq)
                      AND NOT EXISTS (SELECT 1 FROM push_rejections p WHERE p.replica = c.replica AND p.counter = c.counter)
                    """,
                arguments: [held.replica]) ?? 0
            if acknowledged > held.counter { return true }
        }
        return false
    }

    /// Puts every local change meant for the central back in the outbox, except those it refused;
    /// returns how many went in.
    private static func enqueueLocalChangesAgain(_ db: Database) throws -> Int {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.seq, c.replica, c.counter, c.record, c.body FROM changes c
                WHERE c.origin = 'local' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = c.seq)
                  AND NOT EXISTS (SELECT 1 FROM push_rejections p WHERE p.replica = c.replica AND p.counter = c.counter)
                """)
        var count = 0
        for row in rows where Outbox.travels(try JSONCoding.value(Change.self, from: row["body"])) {
            try enqueue(row, db)
            count += 1
        }
        return count
    }

    /// Puts the changes the central made past what it now holds of each of its replica ids, and can
    /// take back from this device, in the outbox: signed steps and decisions, and its refusals of
    /// changes this device pushed. Returns their count and the dots of the others, which it cannot.
    private static func enqueueCentralChangesItLost(_ standing: CentralStanding, _ db: Database) throws -> (Int, [Dot]) {
        var returned = 0
        var lost: [Dot] = []
        // This device's changes are those of every replica id the central bound to it.
        let mine = Set(standing.device.map(\.replica))
        for held in standing.central {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, replica, counter, record, body FROM changes
                    WHERE replica = ? AND counter > ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = changes.seq)
                    ORDER BY seq
                    """,
                arguments: [held.replica, held.counter])
            for row in rows {
                let change = try JSONCoding.value(Change.self, from: row["body"])
                let refusalOfMine = if case .void(let marker) = change.payload { mine.contains(marker.dot.replica) } else { false }
                if change.signature != nil || refusalOfMine {
                    try enqueue(row, db)
                    returned += 1
                } else {
                    lost.append(change.dot)
                }
            }
        }
        return (returned, lost)
    }

    private static func enqueue(_ row: Row, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO outbox(seq, replica, counter, record) VALUES (?, ?, ?, ?)",
            arguments: [row["seq"], row["replica"], row["counter"], row["record"]])
    }
}
