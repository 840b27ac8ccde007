import Foundation
import GRDB
import SyncCore

/// One write transaction of a replica file: the merge engine over the file's tables, and the
/// persistence of what it decided. Local writes and received changes both go through the engine,
/// so a change means the same on every replica; this type only loads and saves.
final class ApplySession {
    let db: Database
    let engine: MergeEngine
    /// What the file is to the bureau (decides, for example, whether local changes enter an outbox).
    let role: ReplicaRole
    private let source: SQLiteMergeSource
    /// The replica's dot counter when the session began, and after it finished.
    private(set) var counters: (start: Int64, end: Int64)

    init(_ db: Database, now: Date) throws {
        self.db = db
        source = SQLiteMergeSource(db)
        role = try Meta.role(db)
        let counter = Int64(try Meta.require(.counter, db)) ?? 0
        counters = (counter, counter)
        let engine = try MergeEngine(
            source: source, replicaID: try Meta.require(.replicaID, db), counter: counter,
            clock: HybridTimestamp(rawValue: Int64(try Meta.require(.hlc, db)) ?? 0), policy: try Replica.policy(db, at: now), now: now)
        if role == .central {
            engine.admission = PushedContentRules()
            engine.registersKeys = true
        }
        self.engine = engine
    }

    var now: Date { engine.now }
    var policy: Policy { engine.policy }
    var replicaID: String { engine.replicaID }

    /// This replica's next dot and clock reading, for a local write.
    func stamp() -> LocalWrites.Stamp { engine.stamp() }

    /// The record with this id, if the replica holds it, with the withheld text this replica keeps put
    /// back (`MergeEngine.revealed`): what a local write reads and is judged by.
    func record(_ id: String) throws -> ReportRecord? { try engine.record(id).map(engine.revealed) }

    /// The record with this id, or an error that says how to find one (revealed, as `record`).
    func requireRecord(_ id: String) throws -> ReportRecord { try engine.revealed(engine.requireRecord(id)) }

    /// Applies changes made here; each must apply, or the whole transaction fails.
    func commitLocal(_ changes: [Change]) throws { try engine.commitLocal(changes) }

    /// Reads at once what offering `changes` will ask of the file (`SQLiteMergeSource.prefetch`).
    func prefetch(_ changes: [Change]) throws { try source.prefetch(changes) }

    /// Offers a change received from elsewhere (see `MergeEngine.offer`).
    func offer(_ change: Change, checkClock: Bool = true) throws -> ApplyOutcome {
        try engine.offer(change, checkClock: checkClock)
    }

    /// Records that `change` was refused before the merge looked at it (for example by authorisation).
    func refuse(_ change: Change, _ error: ReportSyncError) -> ApplyOutcome { engine.refuse(change, error) }

    /// The records this session changed so far.
    var touchedRecords: Set<String> { engine.touchedRecords }

    /// Lets the engine finish the batch, lets `check` refuse what it decided (throwing rolls the whole
    /// transaction back), then writes it.
    func finish(check: (MergeEffects) throws -> Void = { _ in }) throws {
        let effects = try engine.finish()
        try check(effects)
        // The policy in force when the session began: what the feed judged these reports by until now.
        let offNetwork = Secrecy.offNetwork(under: policy)
        let declassified = role == .central ? try Declassifications.declassified(by: effects, offNetwork: offNetwork, db) : []
        let at = now.millisecondsSince1970
        for logged in effects.logged {
            let change = logged.change
            try db.executeCached(
                sql: "INSERT INTO changes(replica, counter, record, unit, kind, origin, body, withheld) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    change.dot.replica, change.dot.counter, change.record, change.unit, change.payload.kind.rawValue,
                    logged.origin.rawValue, logged.body, effects.arrivesWithheld(change),
                ])
            if role == .central { try RegistrationNumbers.keep(change, db) }
            if role == .field, logged.origin == .local, Outbox.travels(change) {
                try db.executeCached(
                    sql: "INSERT INTO outbox(seq, replica, counter, record) VALUES (?, ?, ?, ?)",
                    arguments: [db.lastInsertedRowID, change.dot.replica, change.dot.counter, change.record])
            }
        }
        for change in effects.references { try ReferenceStore.save(change, db) }
        for wait in effects.waits {
            try db.executeCached(
                sql: "INSERT INTO pending_changes(replica, counter, record, waits_for, body, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [wait.change.dot.replica, wait.change.dot.counter, wait.change.record, wait.waitsFor, wait.body, at])
        }
        for wait in effects.rewaits {
            try db.executeCached(
                sql: "UPDATE pending_changes SET waits_for = ? WHERE replica = ? AND counter = ?",
                arguments: [wait.waitsFor, wait.change.dot.replica, wait.change.dot.counter])
        }
        for dot in effects.released {
            try db.executeCached(sql: "DELETE FROM pending_changes WHERE replica = ? AND counter = ?", arguments: [dot.replica, dot.counter])
        }
        for refusal in effects.refusals {
            let change = refusal.change
            let body = refusal.keptBody(role: role)
            try db.executeCached(
                sql: """
                    INSERT INTO rejected_changes(replica, counter, record, reason, body, rejected_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(replica, counter) DO UPDATE SET reason = excluded.reason, rejected_at = excluded.rejected_at
                    """,
                arguments: [change.dot.replica, change.dot.counter, change.record, refusal.error.message, body, at])
        }
        for redaction in effects.receivedRedactions {
            try WithheldText.withhold(record: redaction.record, redaction: redaction.redaction, atCentral: role == .central, db)
        }
        if role == .central {
            for original in effects.originals { try WithheldText.keep(original.change, body: original.body, from: [], db) }
        }
        for record in effects.records { try save(record) }
        try Declassifications.record(declassified, db)
        if role == .central, !effects.logged.isEmpty {
            // A policy written in this session is in force from now on only once it is saved: read it again then.
            let policyWritten = effects.references.contains { if case .policy = $0.payload { true } else { false } }
            try Declassifications.releasedByPolicy(offNetwork: policyWritten ? try Replica.offNetwork(db, at: now) : offNetwork, db)
        }
        try Meta.set(.counter, String(effects.counter), db)
        counters.end = effects.counter
        try Meta.set(.hlc, String(effects.clock.rawValue), db)
    }

    private func save(_ record: ReportRecord) throws {
        try Self.save(record, replacingConflicts: source.hadConflicts.contains(record.id), db)
    }

    /// Writes `record`'s row and its conflicts, first removing the conflicts it had when `replacingConflicts`.
    static func save(_ record: ReportRecord, replacingConflicts: Bool, _ db: Database) throws {
        try ReportRows.save(record, shown: WithheldText.revealed(record, db), db)
        if replacingConflicts {
            try db.executeCached(sql: "DELETE FROM conflicts WHERE report_id = ?", arguments: [record.id])
        }
        for row in ConflictRow.rows(of: record) {
            try db.executeCached(
                sql: "INSERT INTO conflicts(id, report_id, kind, status, hlc, body, short_id, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [row.id, row.reportID, row.kind, row.status, row.hlc, row.body, row.shortID, row.unit])
        }
    }
}

extension Replica {
    /// Runs `body` in one write transaction with an apply session that is finished (waiting changes
    /// retried, `check` passed, effects persisted) before the transaction commits.
    func session<T>(check: (MergeEffects) throws -> Void = { _ in }, _ body: (ApplySession) throws -> T) throws -> T {
        let at = now()
        var issued: (replica: String, counter: Int64)?
        let result = try write { db in
            let session = try ApplySession(db, now: at)
            let result = try body(session)
            try session.finish(check: check)
            if session.counters.end > session.counters.start { issued = (session.replicaID, session.counters.end) }
            return result
        }
        // After the commit, never before: the watermark must not get ahead of the file.
        if path != nil, let issued {
            if let shared = sharedTransaction {
                shared.issued[issued.replica] = max(shared.issued[issued.replica] ?? 0, issued.counter)
            } else {
                CounterWatermark.raise(replica: issued.replica, to: issued.counter)
            }
        }
        return result
    }
}
