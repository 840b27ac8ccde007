import Foundation
import GRDB
import SyncCore

/// A field unit's device replica, bound to the bureau's central: its outbox, its pull cursor and its
/// central's address. The unit's own work (drafting, reviewing, signing) goes through `replica`; only
/// a field replica has these operations, and only a file made as one opens as one.
public struct FieldReplica: Sendable {
    /// The replica file, for the unit's local work and reads.
    public let replica: Replica

    /// The field side of `replica`, or an error that says the file is not bound to a central.
    public init(_ replica: Replica) throws {
        guard try replica.role() == .field else {
            throw ReportSyncError(
                .invalidInput, "this replica is not bound to a central; create one with report-cli init --central URL --token T")
        }
        self.replica = replica
    }

    /// Creates a field replica for `unit`, bound to the central at `url` with `token`. Its units,
    /// members and policy arrive from the central with the first pull.
    public static func create(
        at path: String, unit: String, centralURL url: String, token: String, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> FieldReplica {
        let replica = try Replica.create(
            at: path, unit: OrgUnit(id: unit, name: unit, kind: .squad), role: .field, now: now,
            setUp: settings(centralURL: url, token: token))
        return try FieldReplica(replica)
    }

    /// A field replica in memory, for tests; it receives its units and members with its first pull.
    public static func inMemory(
        unit: String, centralURL url: String = "memory", now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> FieldReplica {
        let replica = try Replica.inMemory(
            unit: OrgUnit(id: unit, name: unit, kind: .squad), role: .field, now: now, setUp: settings(centralURL: url, token: ""))
        return try FieldReplica(replica)
    }

    /// What a new field replica records about its central.
    private static func settings(centralURL url: String, token: String) -> (Database) throws -> Void {
        { db in
            try Meta.set(.centralURL, url, db)
            try Meta.set(.centralToken, token, db)
            try Meta.set(.pullCursor, "0", db)
        }
    }

    /// Opens the field replica at `path`.
    public static func open(at path: String, now: @escaping @Sendable () -> Date = { Date() }) throws -> FieldReplica {
        try FieldReplica(Replica.open(at: path, now: now))
    }

    /// The central this replica syncs with and its token.
    public func central() throws -> (url: String, token: String) {
        try replica.read { db in (try Meta.require(.centralURL, db), try Meta.require(.centralToken, db)) }
    }

    /// Points the replica at its central's new address.
    public func setCentralURL(_ url: String) throws {
        try replica.write { db in try Meta.set(.centralURL, url, db) }
    }

    // MARK: Pushing

    /// Every outbox entry with its state, oldest first.
    public func outbox() throws -> [OutboxEntry] {
        try replica.read { db in
            try Row.fetchAll(db, sql: Outbox.entriesSQL(try Replica.offNetwork(db, at: replica.now())) + " ORDER BY o.seq").map(Self.entry)
        }
    }

    /// The next push: ready outbox entries, oldest first, at most `limit`. A change that takes a report
    /// off the network (makes it secret) goes only with the later change that declassified it (`Secrecy`): a batch ends before one
    /// whose declassification would not fit, and a batch that would start with one carries that report's
    /// changes up to its declassification instead, however many (up to `Outbox.longestRun`). Only a
    /// change declassified on another device, or a longer run, goes as it is, and the central refuses
    /// and voids what it must.
    public func nextPush(limit: Int) throws -> [OutboxEntry] {
        try sealedForNetwork(try nextEntries(limit: limit))
    }

    /// `entries` as the network may carry them: a write a lowering sealed (`Redaction.seals`) as its
    /// sealed copy; its text stays on the devices that hold it, and goes only by bundle.
    private func sealedForNetwork(_ entries: [OutboxEntry]) throws -> [OutboxEntry] {
        let writes = Set(entries.filter { if case .content = $0.change.payload { true } else { false } }.map(\.change.record))
        guard !writes.isEmpty else { return entries }
        let seals: [String: [RedactionEvent]] = try replica.read { db in
            var seals: [String: [RedactionEvent]] = [:]
            for id in writes.sorted() {
                // Only a record that took a sealing is read whole.
                guard let json = try String.fetchOne(
                    db, sql: #"SELECT record FROM reports WHERE id = ? AND instr(record, '"seals":') > 0"#, arguments: [id])
                else { continue }
                seals[id] = try JSONCoding.value(ReportRecord.self, from: json).redactions.filter { $0.seals != nil }
            }
            return seals
        }
        guard !seals.isEmpty else { return entries }
        return entries.map { entry in
            guard let sealing = seals[entry.change.record]?.first(where: { $0.withholds(entry.change.dot) }) else { return entry }
            return OutboxEntry(seq: entry.seq, change: sealing.copy(of: entry.change), state: entry.state)
        }
    }

    private func nextEntries(limit: Int) throws -> [OutboxEntry] {
        let offNetwork = try replica.read { db in try Replica.offNetwork(db, at: replica.now()) }
        let ready = try readyEntries(limit: limit, offNetwork: offNetwork)
        guard let cut = Secrecy.uncovered(in: ready.map(\.change), offNetwork).first else { return ready }
        if cut > 0 { return ready.count == limit ? Array(ready[..<cut]) : ready }
        let run = try readyEntries(limit: Outbox.longestRun, offNetwork: offNetwork, record: ready[0].change.record)
        guard let release = Secrecy.release(of: 0, in: run.map(\.change), offNetwork) else { return ready }
        return Array(run[...release])
    }

    private func readyEntries(limit: Int, offNetwork: Set<Classification>, record: String? = nil) throws -> [OutboxEntry] {
        try replica.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM (\(Outbox.entriesSQL(offNetwork))) WHERE NOT held AND (? IS NULL OR record = ?) ORDER BY seq LIMIT ?",
                arguments: [record, record, limit]
            ).map(Self.entry)
        }
    }

    /// Records the central's answers to the push of `sent`: each answered change leaves the outbox
    /// (refusals are kept to be shown); an unanswered one stays, and answers for changes not sent are
    /// ignored. The central is trusted for nothing it did not answer about the very dot sent.
    @discardableResult
    public func acknowledge(sent: [OutboxEntry], answers: [PushResult]) throws -> PushAcknowledgement {
        var byDot: [Dot: PushResult] = [:]
        var result = PushAcknowledgement()
        let sentDots = Set(sent.map(\.change.dot))
        for answer in answers {
            if !sentDots.contains(answer.dot) {
                result.foreign.append(answer.dot)
            } else if byDot[answer.dot] == nil {
                byDot[answer.dot] = answer
            }
        }
        let at = replica.now().millisecondsSince1970
        try replica.write { db in
            let mine = Set(try ReplicaEpoch.previousIDs(db) + [try Meta.require(.replicaID, db)])
            for entry in sent {
                let dot = entry.change.dot
                guard let answer = byDot[dot] else {
                    result.unanswered.append(dot)
                    continue
                }
                switch answer.status {
                case .held:
                    result.held.append(dot)
                    continue
                case .dotTaken:
                    // It leaves the outbox when it is written again under a new id, below.
                    result.taken.append(dot)
                    continue
                case .accepted, .duplicate: result.accepted += 1
                case .waiting: result.waiting += 1
                case .rejected where !mine.contains(dot.replica):
                    // A change of the central's own, sent back after it lost it (`reconcile`): it stays here as it is.
                    result.notReturned.append(dot)
                case .rejected:
                    let reason = answer.reason ?? "refused by the central without a reason"
                    result.refused.append((dot, reason))
                    try db.execute(
                        sql: """
                            INSERT INTO push_rejections(replica, counter, record, reason, rejected_at) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT(replica, counter) DO UPDATE SET reason = excluded.reason
                            """,
                        arguments: [dot.replica, dot.counter, entry.change.record, reason, at])
                }
                try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [entry.seq])
            }
        }
        result.reissue = try reissue(from: result.taken)
        return result
    }

    // MARK: Pulling

    /// Applies a page of the central feed and moves the pull cursor in the same transaction.
    ///
    /// The central checked every change's clock when it arrived there; this replica's own clock may be
    /// wrong (field laptops often are), so it does not judge them again. A void of one of this device's
    /// own changes is its refusal too (the central refused it after it had answered `waiting`, once its
    /// causes came): it is kept with the other refusals, to be shown, and the change leaves the outbox.
    /// Changes of this device's own under dots the page shows taken are first written again under a new
    /// id (`reissueIfDotsTaken`); `reissued` hears what that did.
    ///
    /// `after` is the cursor the page was asked from: the cursor then moves to `next` only if it is
    /// still there, so a page fetched before another round moved it back (a restored central, a policy
    /// release) never carries it past what that round means to pull again. Without `after`, it moves
    /// to `next` unless it is already further.
    public func applyPulled(
        _ changes: [Change], after: Int64? = nil, next: Int64, reissued: (Reissue) -> Void = { _ in }
    ) throws -> [ApplyOutcome] {
        reissued(try reissueIfDotsTaken(by: changes))
        try retireIfOwnChangeComesBack(in: changes)
        return try replica.session { s in
            let outcomes = try Self.takeIn(changes, s)
            let current = try Meta.sequence(.pullCursor, s.db)
            if let after, current != after { return outcomes }
            try Meta.set(.pullCursor, String(max(current, next)), s.db)
            return outcomes
        }
    }

    /// Takes in changes of the central's feed (from a pull or a bundle) in session `s`; a void of one
    /// of this device's own changes is kept as its refusal, and the change leaves the outbox.
    static func takeIn(_ changes: [Change], _ s: ApplySession) throws -> [ApplyOutcome] {
        try s.prefetch(changes)
        let outcomes = try changes.map { try s.offer($0, checkClock: false) }
        for case .void(let marker) in changes.map(\.payload) {
            try Outbox.keepRefusal(of: marker.dot, reason: marker.reason, at: s.now.millisecondsSince1970, s.db)
        }
        return outcomes
    }

    /// A change under this replica's own id that it does not hold, coming from the central, shows that
    /// the file is an older copy of itself: it takes a new id before taking the change in, so that it
    /// never issues that dot again (the central's standing usually finds this first).
    func retireIfOwnChangeComesBack(in changes: [Change]) throws {
        let current = try replica.read { db in try Meta.require(.replicaID, db) }
        guard changes.contains(where: { $0.dot.replica == current }) else { return }
        try replica.write { db in
            guard try Meta.require(.replicaID, db) == current else { return }
            for change in changes where change.dot.replica == current {
                let held = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS(SELECT 1 FROM changes WHERE replica = ? AND counter = ?)",
                    arguments: [change.dot.replica, change.dot.counter]) ?? false
                if !held {
                    try ReplicaEpoch.begin(.ownChangeReceived(change.dot), db, at: replica.now())
                    return
                }
            }
        }
    }

    /// The central sequence to pull after.
    public func pullCursor() throws -> Int64 {
        try replica.read { db in try Meta.sequence(.pullCursor, db) }
    }

    // MARK: Where it stands

    /// Notes the end of a sync: its time, and its error if it failed.
    public func recordSync(error: String?) throws {
        try replica.write { db in
            if let error {
                try Meta.set(.lastSyncError, error, db)
            } else {
                try Meta.set(.lastSyncAt, String(replica.now().millisecondsSince1970), db)
                try Meta.remove(.lastSyncError, db)
            }
        }
    }

    /// Local changes the central refused, with its reasons, newest first.
    public func pushRejections() throws -> [(record: String, dot: Dot, reason: String, at: Date)] {
        try replica.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM push_rejections ORDER BY rejected_at DESC").map {
                ($0["record"], Dot(replica: $0["replica"], counter: $0["counter"]), $0["reason"],
                    Date(millisecondsSince1970: $0["rejected_at"]))
            }
        }
    }

    /// Where this replica stands with its central.
    public func syncState() throws -> SyncState {
        try replica.read { db in
            let counts = try Outbox.counts(db, offNetwork: try Replica.offNetwork(db, at: replica.now()))
            return SyncState(
                centralURL: try Meta.get(.centralURL, db),
                pullCursor: try Meta.sequence(.pullCursor, db),
                outgoing: counts.ready, heldSecret: counts.held, heldSecretReports: counts.heldReports,
                waiting: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pending_changes") ?? 0,
                rejectedByCentral: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM push_rejections") ?? 0,
                lastSyncAt: try Meta.get(.lastSyncAt, db).flatMap(Int64.init).map(Date.init(millisecondsSince1970:)),
                lastError: try Meta.get(.lastSyncError, db),
                lastEpoch: try Meta.get(.lastEpoch, db).flatMap(Self.epoch),
                filesToSend: BlobTally(try replica.networkFiles(where: Self.unsent, db)),
                filesToFetch: BlobTally(try replica.networkFiles(where: Self.missing, db)))
        }
    }

    /// The `lastEpoch` setting read back ("MILLIS OLD NEW reason").
    private static func epoch(_ text: String) -> SyncState.Epoch? {
        let parts = text.split(separator: " ", maxSplits: 3).map(String.init)
        guard parts.count == 4, let millis = Int64(parts[0]) else { return nil }
        return SyncState.Epoch(at: Date(millisecondsSince1970: millis), old: parts[1], new: parts[2], reason: parts[3])
    }

    private static func entry(_ row: Row) throws -> OutboxEntry {
        OutboxEntry(
            seq: row["seq"], change: try JSONCoding.value(Change.self, from: row["body"]),
            state: (row["held"] as Bool) ? .heldSecret : .ready)
    }
}
