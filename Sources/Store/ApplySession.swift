import Foundation
import GRDB
import SyncCore

/// One write transaction's view of a replica: its clocks, the records it touched, and the merge of
/// changes into them. Local writes and received changes go through the same path, so a change means
/// the same on every replica.
final class ApplySession {
    let db: Database
    let replicaID: String
    let now: Date
    let policy: Policy
    private var counter: Int64
    private var clock: HybridLogicalClock
    private var records: [String: ReportRecord] = [:]
    private var dirty: Set<String> = []
    private var touched: Set<String> = []
    /// Records loaded with conflicts: their old conflict rows must be replaced when saved.
    private var hadConflicts: Set<String> = []
    /// Whether any change is waiting; most sessions skip every pending lookup.
    private var hasPending: Bool

    init(_ db: Database, now: Date) throws {
        self.db = db
        self.now = now
        replicaID = try Meta.require(.replicaID, db)
        counter = Int64(try Meta.require(.counter, db)) ?? 0
        clock = HybridLogicalClock(last: HybridTimestamp(rawValue: Int64(try Meta.require(.hlc, db)) ?? 0))
        policy = try Replica.policy(db)
        hasPending = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_changes)") ?? false
    }

    /// This replica's next dot and clock reading, for a local write.
    func stamp() -> LocalWrites.Stamp {
        counter += 1
        return (Dot(replica: replicaID, counter: counter), clock.tick(now: now))
    }

    /// The record with this id, if the replica holds it.
    func record(_ id: String) throws -> ReportRecord? {
        if let cached = records[id] { return cached }
        guard let json = try db.fetchCachedString(sql: "SELECT record FROM reports WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let record = try JSONCoding.value(ReportRecord.self, from: json)
        records[id] = record
        if !record.conflicts.isEmpty { hadConflicts.insert(id) }
        return record
    }

    /// The record with this id, or an error that says how to find one.
    func requireRecord(_ id: String) throws -> ReportRecord {
        guard let record = try record(id) else {
            throw ReportSyncError(.notFound, "no report \(id) in this replica; see report-cli list")
        }
        return record
    }

    /// Applies changes made here; each must apply, or the whole transaction fails.
    func commitLocal(_ changes: [Change]) throws {
        for change in changes {
            let outcome = try tryApply(change, body: change.canonicalJSON, origin: .local)
            guard outcome == .applied else {
                throw ReportSyncError(.storage, "a local change did not apply (\(outcome)); nothing was written")
            }
        }
    }

    /// Offers a change received from elsewhere: applied, already held, held back, or refused and recorded.
    func offer(_ change: Change, checkClock: Bool = true) throws -> ApplyOutcome {
        let body = change.canonicalJSON
        let key: StatementArguments = [change.dot.replica, change.dot.counter]
        if let stored = try db.fetchCachedString(sql: "SELECT body FROM changes WHERE replica = ? AND counter = ?", arguments: key) {
            return stored == body ? .duplicate : try reject(change, body: body, Self.reused(change.dot))
        }
        if hasPending, let waiting = try db.fetchCachedString(
            sql: "SELECT body FROM pending_changes WHERE replica = ? AND counter = ?", arguments: key)
        {
            return waiting == body ? .waiting(missing: []) : try reject(change, body: body, Self.reused(change.dot))
        }
        do { try ChangeValidation.check(change, now: now, policy: policy, checkClock: checkClock) } catch let error as ReportSyncError {
            return try reject(change, body: body, error)
        }
        let outcome = try tryApply(change, body: body, origin: .remote)
        switch outcome {
        case .waiting(let missing):
            let waitsFor = try blockingRecord(of: change)
            try db.executeCached(sql: """
                    INSERT INTO pending_changes(replica, counter, record, waits_for, body, received_at) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [change.dot.replica, change.dot.counter, change.record, waitsFor, body, now.millisecondsSince1970])
            hasPending = true
            return .waiting(missing: missing)
        case .rejected(let error):
            return try reject(change, body: body, error)
        default:
            return outcome
        }
    }

    /// Retries held-back changes whose causes may have arrived, saves every touched record, and the clocks.
    func finish() throws {
        var round = hasPending ? touched : []
        while !round.isEmpty {
            let placeholders = Array(repeating: "?", count: round.count).joined(separator: ",")
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM pending_changes WHERE waits_for IN (\(placeholders)) ORDER BY replica, counter",
                arguments: StatementArguments(Array(round)))
            let before = touched
            for row in rows {
                let body: String = row["body"]
                let change = try JSONCoding.value(Change.self, from: body)
                let outcome = try tryApply(change, body: body, origin: .remote)
                if case .waiting = outcome {
                    // It may now wait on another record (its first report came, its own causes did not).
                    let blocking = try blockingRecord(of: change)
                    if blocking != row["waits_for"] as String {
                        try db.executeCached(
                            sql: "UPDATE pending_changes SET waits_for = ? WHERE replica = ? AND counter = ?",
                            arguments: [blocking, change.dot.replica, change.dot.counter])
                    }
                    continue
                }
                try db.executeCached(sql: "DELETE FROM pending_changes WHERE replica = ? AND counter = ?",
                    arguments: [change.dot.replica, change.dot.counter])
                if case .rejected(let error) = outcome { _ = try reject(change, body: body, error) }
            }
            round = touched.subtracting(before)
        }
        for id in dirty.sorted() { try save(records[id]!) }
        try Meta.set(.counter, String(counter), db)
        try Meta.set(.hlc, String(clock.last.rawValue), db)
    }

    /// The record whose next write may let a waiting change apply: a record it requires, else its own.
    private func blockingRecord(of change: Change) throws -> String {
        for required in change.requires where try record(required.record)?.vv.covers(required.dot) != true {
            return required.record
        }
        return change.record
    }

    private func tryApply(_ change: Change, body: String, origin: StoredChange.Origin) throws -> ApplyOutcome {
        if let referenceID = ReferenceRecord.id(of: change.payload) {
            try ReferenceStore.apply(change, id: referenceID, db)
        } else {
            let unmet = try change.requires.filter { try record($0.record)?.vv.covers($0.dot) != true }
            if !unmet.isEmpty { return .waiting(missing: unmet.map(\.dot)) }
            if try record(change.record) != nil {
                // Mutated in place in the cache: a copy would copy every array the record holds.
                let outcome = records[change.record]!.apply(change)
                if outcome == .duplicate { return .rejected(Self.reused(change.dot)) }
                guard outcome == .applied else { return outcome }
            } else if case .content(let write) = change.payload, write.creates {
                do { records[change.record] = try ReportRecord(creating: change) } catch let error as ReportSyncError {
                    return .rejected(error)
                }
            } else {
                return .waiting(missing: change.context.counters.map { Dot(replica: $0.key, counter: $0.value) }.sorted())
            }
            dirty.insert(change.record)
        }
        try db.executeCached(sql: "INSERT INTO changes(replica, counter, record, unit, origin, body) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [change.dot.replica, change.dot.counter, change.record, change.unit, origin.rawValue, body])
        if change.hlc > clock.last { try clock.observe(change.hlc, now: change.hlc.date, maxSkew: 0) }
        touched.insert(change.record)
        return .applied
    }

    /// The records this session changed so far.
    var touchedRecords: Set<String> { touched }

    /// Records that `change` was refused before it was looked at (for example by authorisation).
    func refuse(_ change: Change, _ error: ReportSyncError) throws -> ApplyOutcome {
        try reject(change, body: change.canonicalJSON, error)
    }

    private func reject(_ change: Change, body: String, _ error: ReportSyncError) throws -> ApplyOutcome {
        try db.executeCached(sql: """
                INSERT INTO rejected_changes(replica, counter, record, reason, body, rejected_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(replica, counter) DO UPDATE SET reason = excluded.reason, rejected_at = excluded.rejected_at
                """,
            arguments: [
                change.dot.replica, change.dot.counter, change.record, error.message, body, now.millisecondsSince1970,
            ])
        return .rejected(error)
    }

    private func save(_ record: ReportRecord) throws {
        try ReportRows.save(record, db)
        if hadConflicts.contains(record.id) {
            try db.executeCached(sql: "DELETE FROM conflicts WHERE report_id = ?", arguments: [record.id])
        }
        for conflict in record.conflicts {
            try db.executeCached(
                sql: "INSERT INTO conflicts(id, report_id, kind, status, hlc, body, short_id, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    conflict.id, record.id, conflict.kind.rawValue, conflict.status.rawValue,
                    max(conflict.winner.hlc, conflict.loser.hlc).rawValue, conflict.canonicalJSON, conflict.shortID, record.unit,
                ])
        }
    }

    static func reused(_ dot: Dot) -> ReportSyncError {
        ReportSyncError(
            .invalidInput,
            "dot \(dot) was already used for a different change: replica \(dot.replica) reuses its identity (restored from a backup?); it was not applied")
    }
}

extension Replica {
    /// Runs `body` in one write transaction with an apply session that is finished (pending retried,
    /// records and clocks saved) before the transaction commits.
    func session<T>(_ body: (ApplySession) throws -> T) throws -> T {
        let at = now()
        return try write { db in
            let session = try ApplySession(db, now: at)
            let result = try body(session)
            try session.finish()
            return result
        }
    }
}
