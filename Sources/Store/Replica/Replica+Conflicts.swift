import Foundation
import GRDB
import SyncCore

/// The conflicts a person inspects and resolves: merge conflicts of reports, refused changes and
/// changes waiting for their causes, under one short handle each.
extension Replica {
    /// The entries that match `filter`, newest first.
    public func conflictEntries(matching filter: ConflictFilter = ConflictFilter()) throws -> [ConflictEntry] {
        try read { db in
            let reportID = try filter.report.map { try Self.resolveID($0, db) }
            let (whereSQL, values) = ConflictRows.conditions(filter, reportID: reportID) { _ in "?" }
            let arguments = StatementArguments(values.map(\.databaseValue))
            let entries = try Self.mergeConflicts(db, whereSQL: whereSQL, arguments: arguments)
                + (try Self.refusedAndWaiting(db).filter { filter.admits($0, report: reportID) })
            return ConflictRows.sorted(entries)
        }
    }

    /// The entry with this handle: its short id (or a unique prefix of it) or its full key.
    public func conflictEntry(_ handle: String) throws -> ConflictEntry {
        try read { db in try Self.conflictEntry(handle, db) }
    }

    /// Settles a conflict as `actorID` decided and returns it as it stands now.
    ///
    /// A merge conflict is settled by changes that sync like any other write (see `LocalWrites.resolve`),
    /// signed by `signer`, which must hold `actorID`'s key; a refusal can only be dismissed here, once its
    /// author has seen it (no signature: nothing leaves the replica); a waiting change settles itself.
    public func resolveConflict(
        _ handle: String, keep: ResolutionStep.Keep, value: String? = nil, comment: String? = nil, by actorID: String,
        signer: StepSigner?
    ) throws -> ConflictEntry {
        try session { s in
            let entry = try Self.conflictEntry(handle, s.db)
            let decision = try Self.decide(
                entry, keep: keep, value: value, comment: comment, by: try Self.member(actorID, s.db), at: s.role, signer: signer, engine: s.engine)
            switch decision {
            case .changes(let changes): try s.commitLocal(changes)
            case .dismissal(let dot):
                let table = entry.kind == .rejectedByCentral && s.role != .central ? "push_rejections" : "rejected_changes"
                try s.db.execute(
                    sql: "UPDATE \(table) SET dismissed_by = ?, dismissed_at = ? WHERE replica = ? AND counter = ?",
                    arguments: [actorID, s.now.millisecondsSince1970, dot.replica, dot.counter])
            case .nothing: break
            }
        }
        return try conflictEntry(handle)
    }

    /// What deciding a conflict takes.
    public enum ConflictDecision {
        /// The signed changes of a merge conflict's decision, to commit.
        case changes([Change])
        /// Marking the refusal of this change as seen (the refused change stays in the log as evidence).
        case dismissal(Dot)
        /// Nothing (a refusal without its change).
        case nothing
    }

    /// What deciding `entry` as `actor` on a replica of `role` takes, after every check, in every store:
    /// a merge conflict is settled by changes that sync like any other write (`LocalWrites.resolve`),
    /// signed by `signer`, which must hold the actor's key; a refusal can only be dismissed, once its
    /// author has seen it (no signature: nothing leaves the replica); a waiting change settles itself.
    public static func decide(
        _ entry: ConflictEntry, keep: ResolutionStep.Keep, value: String?, comment: String?, by actor: Member, at role: ReplicaRole,
        signer: StepSigner?, engine: MergeEngine
    ) throws -> ConflictDecision {
        try Permissions.check(.resolve(kind: nil, centralDecision: false), by: actor.role, at: role)
        switch entry.kind {
        case .pendingDependency:
            throw ReportSyncError(
                .wrongState,
                "conflict \(entry.id) is a change waiting for writes this replica has not received; it applies by itself when they arrive (report-cli sync)")
        case .rejectedByCentral, .rejectedOnReceipt:
            if let resolution = entry.resolution {
                throw ReportSyncError(.wrongState, "conflict \(entry.id) is already resolved (dismissed by \(resolution.actor)); nothing to do")
            }
            guard keep == .winner else {
                throw ReportSyncError(
                    .invalidInput,
                    "conflict \(entry.id) is a refused change (\(entry.reason)); it cannot be kept. Make the write again in a form that is accepted, then dismiss this with --keep winner")
            }
            if actor.role.isUnitBound, actor.unit != entry.unit {
                throw ReportSyncError(
                    .forbidden, "\(actor.id) (\(actor.role.rawValue) of \(actor.unit)) may not dismiss a refusal of unit \(entry.unit)")
            }
            return entry.change.map { .dismissal($0) } ?? .nothing
        case .fieldValue, .approvalTransition, .staleApproval:
            let record = try engine.requireRecord(entry.report)
            let target = try record.followUpOf.flatMap { try engine.record($0) }
            guard let signer, signer.member == actor.id else {
                throw ReportSyncError(.invalidInput, "deciding conflict \(entry.id) is signed: it needs \(actor.id)'s key, unlocked with their PIN")
            }
            let changes = try LocalWrites.resolve(
                entry.key, of: record, keep: keep, value: value, comment: comment, by: actor, at: role, policy: engine.policy,
                followUpTarget: target, stamps: engine.stamp)
            return .changes(try changes.map(signer.sign))
        }
    }

    static func conflictEntry(_ typed: String, _ db: Database) throws -> ConflictEntry {
        let handle = try ConflictRows.Handle(typed)
        let (whereSQL, values) = handle.condition { _ in "?" }
        return try handle.resolve(merge: try mergeConflicts(db, whereSQL: whereSQL, arguments: StatementArguments(values)), others: try refusedAndWaiting(db))
    }

    private static func mergeConflicts(_ db: Database, whereSQL: String, arguments: StatementArguments) throws -> [ConflictEntry] {
        let rows = try Row.fetchCursor(db, sql: "\(ConflictRows.mergeSelect) \(whereSQL) \(ConflictRows.newestFirst)", arguments: arguments)
        var entries: [ConflictEntry] = []
        while let row = try rows.next() { entries.append(try ConflictRows.merge(body: row["body"], title: row["title"], unit: row["unit"])) }
        return entries
    }

    /// Refused and waiting changes as entries (few: they are kept only until someone acts on them).
    private static func refusedAndWaiting(_ db: Database) throws -> [ConflictEntry] {
        let central = try Meta.role(db) == .central
        var entries = try Row.fetchAll(db, sql: ConflictRows.refusedSelect).map { row in
            try ConflictRows.refused(
                body: row["body"], reason: row["reason"], at: row["rejected_at"], title: row["title"], dismissedBy: row["dismissed_by"],
                dismissedAt: row["dismissed_at"], central: central)
        }
        let pushed = try Row.fetchAll(
            db,
            sql: """
                SELECT c.body, p.reason, p.rejected_at, p.dismissed_by, p.dismissed_at, r.title
                FROM push_rejections p JOIN changes c ON c.replica = p.replica AND c.counter = p.counter
                LEFT JOIN reports r ON r.id = p.record
                """)
        for row in pushed {
            entries.append(
                ConflictEntry(
                    change: try JSONCoding.value(Change.self, from: row["body"] as String), kind: .rejectedByCentral,
                    rule: "refused-by-central", reason: row["reason"], at: Date(millisecondsSince1970: row["rejected_at"]),
                    title: row["title"], counterpart: "central", dismissed: ConflictRows.dismissal(by: row["dismissed_by"], at: row["dismissed_at"])))
        }
        entries += try Row.fetchAll(db, sql: ConflictRows.waitingSelect).map { row in
            try ConflictRows.waiting(body: row["body"], waitsFor: row["waits_for"], receivedAt: row["received_at"], title: row["title"])
        }
        return entries
    }
}
