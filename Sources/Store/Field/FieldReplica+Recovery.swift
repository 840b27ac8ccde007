import Foundation
import GRDB
import SyncCore

extension FieldReplica {
    /// What this replica knows, read before the standing is asked for.
    public func knowledge() throws -> FieldKnowledge {
        try replica.read { db in
            var acknowledged: [String: Int64] = [:]
            let replicas = try ReplicaEpoch.previousIDs(db) + [try Meta.require(.replicaID, db)]
            for id in replicas.suffix(CentralStanding.maxAsked) {
                // Newest first along the (replica, counter) index: it stops at the first one answered for.
                acknowledged[id] = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT c.counter FROM changes c
                        WHERE c.replica = ? AND c.origin = 'local'
                          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = c.seq)
                          AND NOT EXISTS (SELECT 1 FROM push_rejections p WHERE p.replica = c.replica AND p.counter = c.counter)
                        ORDER BY c.counter DESC LIMIT 1
                        """,
                    arguments: [id]) ?? 0
            }
            return FieldKnowledge(
                replicas: Array(replicas.suffix(CentralStanding.maxAsked)), cursor: try Meta.sequence(.pullCursor, db),
                acknowledged: acknowledged)
        }
    }

    /// Compares what this replica knew (`known`, read before the request) with what the central holds
    /// (`CentralStanding`) before a round pushes anything, and repairs what either side forgot (the
    /// Riak "kv679" family):
    ///
    /// - **This file is behind its own history**: the central holds changes of this replica's id past
    ///   the file's counter, so the file is an older copy (restored, or copied back). It takes a new
    ///   replica id before issuing another dot; its own later changes come back with the pull.
    /// - **The central is behind**: a new incarnation (restored, replaced, re-created), a highest
    ///   sequence below this replica's pull cursor, or fewer changes of one of its ids than the central
    ///   had answered for. Every local change of this device's ids goes into the outbox again (the
    ///   central answers `duplicate` for what it holds), the changes the central made, lost and can take
    ///   back (signed) go back to it, and the pull starts again from the lowest base of the central's
    ///   incarnations since the one it knew (from the start when the central cannot say).
    ///
    /// Apart from those, a policy release this device has not handled and has pulled past
    /// (`CentralStanding.PolicyRelease`) moves the pull cursor back to its first change.
    ///
    /// A round that finds nothing wrong only reads.
    public func reconcile(with standing: CentralStanding, known: FieldKnowledge) throws -> FieldRecovery {
        var recovery = try reconcileCopies(with: standing, known: known)
        recovery.notices += try pullAgainForReleases(standing)
        return recovery
    }

    /// Moves the pull cursor back for the policy releases of `standing` this device has not handled;
    /// returns the line that says so, if it moved.
    private func pullAgainForReleases(_ standing: CentralStanding) throws -> [String] {
        guard let last = standing.possibleReleases.map(\.at).max(),
            try replica.read({ db in try Meta.sequence(.releasesHandled, db) }) < last
        else { return [] }
        return try replica.write { db in
            let cursor = try Meta.sequence(.pullCursor, db)
            // Read again in the write: another round may have handled some since.
            let from = standing.pullFrom(releasesAfter: try Meta.sequence(.releasesHandled, db), cursor: cursor)
            try Meta.set(.releasesHandled, String(last), db)
            guard from < cursor else { return [] }
            try Meta.set(.pullCursor, String(from), db)
            return [
                "the bureau's policy now lets reports on the network that it kept off: pulling again from sequence \(from) to take those this device was not sent"
            ]
        }
    }

    /// The copies' check of `reconcile(with:known:)`.
    private func reconcileCopies(with standing: CentralStanding, known: FieldKnowledge) throws -> FieldRecovery {
        let (current, counter, knownIncarnation) = try replica.read { db in
            (try Meta.require(.replicaID, db), Int64(try Meta.require(.counter, db)) ?? 0, try Meta.get(.centralIncarnation, db))
        }
        // This device's ids: those of the file, but for a copied file's old ids another device writes under.
        let mine = Set(known.replicas).subtracting(standing.elsewhere)
        let forgot = known.acknowledged.contains { mine.contains($0.key) && standing.counter(of: $0.key) < $0.value }
        let centralBehindItself = try replica.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(counter) FROM changes WHERE replica = ?", arguments: [standing.centralNow.replica]) ?? 0
        } > standing.centralNow.counter
        let replaced = knownIncarnation != nil && knownIncarnation != standing.incarnation
        let verdict = Verdict(
            behindOwnHistory: standing.counter(of: current) > counter, replaced: replaced,
            centralBehind: replaced || standing.top < known.cursor || forgot, centralBehindItself: centralBehindItself,
            adoptIncarnation: true)
        guard verdict.behindOwnHistory || verdict.centralBehind || centralBehindItself || knownIncarnation == nil else { return FieldRecovery() }
        return try repair(verdict, standing, mine: mine, knownIncarnation: knownIncarnation)
    }

    /// The same check from the standing a bundle to this device's unit carries (`UnitBundle.standings`),
    /// written when the bundle was, and so perhaps older than what this device learnt since (by another
    /// bundle or over the network). It therefore judges only what an older standing cannot mistake:
    ///
    /// - **This file is behind its own history** (the central holds more of its replica id than the
    ///   file has issued): as over the network.
    /// - **The central was restored or replaced since the incarnation this device knew**: the bundle's
    ///   incarnations include the one it knew and go on past it, or (re-created) do not include it and
    ///   began later. Then, as over the network, every local change goes into the outbox again (for the
    ///   next `bundle export`), the central's lost signed changes go back, and the pull cursor moves back.
    ///
    /// A bundle whose incarnations began before the one this device knows was written before the
    /// central was restored: what it confirms may be gone from the central, so it is refused whole
    /// (`ReportSyncError.wrongState`), before anything is written, and the person asks for a new one.
    ///
    /// A central put back from an older copy by hand (without `syncd restore`) is found over the network
    /// only: that needs a standing newer than what the device knows.
    public func reconcile(byBundle standing: CentralStanding) throws -> FieldRecovery {
        let (current, counter, knownIncarnation, replicas) = try replica.read { db in
            (
                try Meta.require(.replicaID, db), Int64(try Meta.require(.counter, db)) ?? 0, try Meta.get(.centralIncarnation, db),
                try ReplicaEpoch.previousIDs(db) + [try Meta.require(.replicaID, db)]
            )
        }
        var replaced = false
        if let knownIncarnation, knownIncarnation != standing.incarnation {
            // Incarnation ids are UUIDv7s, made by the central: a later one sorts after an earlier one.
            replaced = standing.incarnations.contains { $0.id == knownIncarnation } || standing.incarnation > knownIncarnation
            guard replaced else { throw try writtenBeforeRestore(standing, known: knownIncarnation) }
        }
        let verdict = Verdict(
            behindOwnHistory: standing.counter(of: current) > counter, replaced: replaced, centralBehind: replaced,
            centralBehindItself: false, adoptIncarnation: true)
        guard verdict.behindOwnHistory || verdict.centralBehind || knownIncarnation == nil else { return FieldRecovery() }
        return try repair(verdict, standing, mine: Set(replicas).subtracting(standing.elsewhere), knownIncarnation: knownIncarnation)
    }

    /// The refusal of a bundle written by an incarnation of the central older than the one this device knows.
    private func writtenBeforeRestore(_ standing: CentralStanding, known: String) throws -> ReportSyncError {
        let (unit, cursor) = try replica.read { db in (try Meta.require(.unitID, db), try Meta.get(.pullCursor, db) ?? "0") }
        return ReportSyncError(
            .wrongState,
            "this bundle was written before the central was restored from a backup (by its incarnation \(standing.incarnation); this device already knows the later \(known)): what it confirms may be gone from the central. Ask the central office for a new one (report-cli bundle export --unit \(unit) --after \(cursor)); nothing was imported"
        )
    }

    /// What a standing showed about the two copies.
    private struct Verdict {
        /// The central holds more of this file's replica id than the file has issued.
        let behindOwnHistory: Bool
        /// The central has a new incarnation since the one this device knew.
        let replaced: Bool
        /// The central may lack what it had acknowledged to this device.
        let centralBehind: Bool
        /// The central holds fewer of its own changes than this device received from it.
        let centralBehindItself: Bool
        /// Whether the standing's incarnation is the one to remember from now on.
        let adoptIncarnation: Bool
    }

    /// Repairs what `verdict` found, in one transaction, and says what it did.
    private func repair(_ verdict: Verdict, _ standing: CentralStanding, mine: Set<String>, knownIncarnation: String?) throws -> FieldRecovery {
        var recovery = FieldRecovery()
        if verdict.centralBehindItself {
            recovery.notices.append(
                "the central holds fewer of its own changes (replica \(standing.centralNow.replica)) than this device received from it: it was put back from an older copy without syncd restore. The central office should stop syncd serve, run syncd restore --from FILE --db FILE on its current file, and start it again; until then this device keeps what it has"
            )
        }
        try replica.write { db in
            if verdict.adoptIncarnation { try Meta.set(.centralIncarnation, standing.incarnation, db) }
            if verdict.behindOwnHistory {
                let current = try Meta.require(.replicaID, db)
                let reason = EpochReason.behindOwnHistory(issued: standing.counter(of: current), file: Int64(try Meta.require(.counter, db)) ?? 0)
                let ids = try ReplicaEpoch.begin(reason, db, at: replica.now())
                recovery.notices.append(
                    "\(reason.description); it now writes as replica \(ids.new) and takes its own later changes back from the central")
            }
            guard verdict.centralBehind else { return }
            recovery.resent = try Self.enqueueLocalChangesAgain(of: mine.union([try Meta.require(.replicaID, db)]), db)
            // A central put back may lack files it had confirmed: ask it again about each (`FileTransfer`).
            try db.execute(sql: "UPDATE blobs SET at_central = 0")
            let (returned, lost) = try Self.enqueueCentralChangesItLost(standing, db)
            recovery.returned = returned
            recovery.lostAtCentral = lost
            let cursor = try Meta.sequence(.pullCursor, db)
            let from = verdict.replaced ? standing.pullFrom(knownIncarnation: knownIncarnation ?? "", cursor: cursor) : 0
            let pullAgainFrom = min(cursor, from)
            try Meta.set(.pullCursor, String(pullAgainFrom), db)
            // Releases past where the two histories part were the lost copy's: the central's sequences
            // after it are numbered again, and a release there now is another one.
            if try Meta.sequence(.releasesHandled, db) > pullAgainFrom { try Meta.set(.releasesHandled, String(pullAgainFrom), db) }
            let why = verdict.replaced ? "the central was restored from a backup or replaced" : "the central holds less than it had acknowledged to this device"
            var line = "\(why): sending again \(recovery.resent) change(s) it may lack"
            if returned > 0 { line += ", giving back \(returned) signed change(s) of its own it lost" }
            line += ", and pulling again from sequence \(pullAgainFrom)"
            recovery.notices.append(line)
            if !lost.isEmpty {
                recovery.notices.append(
                    "\(lost.count) change(s) the central office made (units, members, solicitations, reminders, key registrations or unsigned refusals) were lost with the central's disk and cannot be proved by this device (\(lost.prefix(3).map(\.description).joined(separator: ", "))\(lost.count > 3 ? ", …" : "")); the central office must make them again"
                )
            }
        }
        return recovery
    }

    /// Puts every local change of `replicas` meant for the central back in the outbox, except those it
    /// refused; returns how many went in.
    private static func enqueueLocalChangesAgain(of replicas: Set<String>, _ db: Database) throws -> Int {
        var count = 0
        for replica in replicas.sorted() {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.seq, c.replica, c.counter, c.record, c.body FROM changes c
                    WHERE c.replica = ? AND c.origin = 'local' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = c.seq)
                      AND NOT EXISTS (SELECT 1 FROM push_rejections p WHERE p.replica = c.replica AND p.counter = c.counter)
                    """,
                arguments: [replica])
            for row in rows where Outbox.travels(try JSONCoding.value(Change.self, from: row["body"])) {
                try enqueue(row, db)
                count += 1
            }
        }
        return count
    }

    /// Puts the signed changes the central made under its earlier replica ids, past what it held of
    /// each when its incarnation began, in the outbox to go back to it; returns their count and the
    /// dots of the unsigned ones, which it cannot take back from a device.
    private static func enqueueCentralChangesItLost(_ standing: CentralStanding, _ db: Database) throws -> (Int, [Dot]) {
        var returned = 0
        var lost: [Dot] = []
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
                if change.signature != nil {
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
