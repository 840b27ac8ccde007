import Foundation
import GRDB
import SyncCore

/// Drafting, editing, moving and reading reports. Each write makes changes and applies them to this
/// replica in one transaction, exactly as received changes are applied.
extension Replica {
    /// Saves a new report drafted by `actorID`; returns it with its new id.
    public func draft(_ content: ReportContent, by actorID: String) throws -> Report {
        try session { s in
            let actor = try Self.member(actorID, s.db)
            var content = content
            let target = try Self.followUpTarget(&content, s)
            content.solicitation = try content.solicitation.map { try Self.solicitationID($0, unit: actor.unit, s.db) }
            try Self.checkFilesHeld(content.attachments, before: [], s.db)
            let id = UUIDv7.make(at: s.now)
            let change = try LocalWrites.draft(
                id: id, content: content, by: actor, at: s.role, followUpTarget: target, policy: s.policy, stamp: s.stamp())
            try s.commitLocal([change])
            return try Report(record: s.requireRecord(id))
        }
    }

    /// Applies `patch` to a report that is still editable, as a new version by `actorID`.
    ///
    /// Editing a reviewed report sends it back to awaiting review: the review saw other content.
    public func edit(_ idOrPrefix: String, with patch: ReportPatch, by actorID: String) throws -> Report {
        try session { s in
            var record = try s.requireRecord(try Self.resolveID(idOrPrefix, s.db))
            let actor = try Self.member(actorID, s.db)
            // A raise off the network first withdraws the text that already left this device.
            // A lowering first seals what was written while it was secret: only the sealed copies travel.
            if let redaction = try Self.redactionForRaise(of: record, patch, by: actor, s)
                ?? LocalWrites.sealing(before: patch, of: record, by: actor, at: s.role, policy: s.policy, stamp: s.stamp) {
                try s.commitLocal([redaction])
                record = try s.requireRecord(record.id)
            }
            let target = try record.followUpOf.flatMap { try s.record($0) }
            var patch = patch
            patch.solicitation = try patch.solicitation.map { $0.isEmpty ? $0 : try Self.solicitationID($0, unit: record.unit, s.db) }
            try Self.checkFilesHeld(patch.attachments ?? [], before: ReportContent.readable(fields: record.currentValues).content.attachments, s.db)
            let changes = try LocalWrites.edit(
                record, with: patch, by: actor, at: s.role, policy: s.policy, followUpTarget: target,
                restoring: try Self.restoredByLowering(record, patch, s), stamps: s.stamp)
            try s.commitLocal(changes)
            return try Report(record: s.requireRecord(record.id))
        }
    }

    /// Takes `action` on a report as the member whose key `signer` holds, signed with it, after
    /// checking the role, the unit, the state and the content rules.
    public func perform(
        _ action: WorkflowAction, on idOrPrefix: String, as signer: StepSigner, comment: String? = nil, detail: StepDetail? = nil
    ) throws -> Report {
        try session { s in
            let change = try Self.step(action, on: idOrPrefix, by: signer.member, comment: comment, detail: detail, registering: true, s)
            try s.commitLocal([try signer.sign(change)])
            return try Report(record: s.requireRecord(change.record))
        }
    }

    /// Throws why `actorID` may not take `action` on the report now (role, unit, state, content rules),
    /// writing nothing: asked before a PIN is, so that nobody types one for a step that is refused anyway.
    public func checkStep(
        _ action: WorkflowAction, on idOrPrefix: String, by actorID: String, comment: String? = nil, detail: StepDetail? = nil
    ) throws {
        try read { db in
            let session = try ApplySession(db, now: now())
            _ = try Self.step(action, on: idOrPrefix, by: actorID, comment: comment, detail: detail, registering: false, session)
        }
    }

    /// The unsigned change that takes `action` on a report as `actorID`, after every check.
    private static func step(
        _ action: WorkflowAction, on idOrPrefix: String, by actorID: String, comment: String?, detail: StepDetail?, registering: Bool,
        _ s: ApplySession
    ) throws -> Change {
        let record = try s.requireRecord(try resolveID(idOrPrefix, s.db))
        return try stepChange(
            action, on: record, by: try member(actorID, s.db), at: s.role, comment: comment, detail: detail, registering: registering,
            engine: s.engine, SQLiteLedger(s.db))
    }

    /// The unsigned change that takes `action` on `record` as `actor` on a replica of `role`, after every
    /// check, stamped by `engine`: what every store writes for a step. A receipt on the central registers
    /// the report (with `registering`: a check writes nothing, so it takes no number).
    public static func stepChange(
        _ action: WorkflowAction, on record: ReportRecord, by actor: Member, at role: ReplicaRole, comment: String?, detail: StepDetail?,
        registering: Bool, engine: MergeEngine, _ ledger: some CentralLedger
    ) throws -> Change {
        let target = try record.followUpOf.flatMap { try engine.record($0) }
        let detail =
            registering && action == .receive && role == .central
            ? try RegistrationNumbers.receiptDetail(for: record, now: engine.now, policy: engine.policy, ledger) : detail
        return try LocalWrites.transition(
            action, on: record, by: actor, at: role, comment: comment, policy: engine.policy, followUpTarget: target, detail: detail,
            stamp: engine.stamp())
    }

    /// The report with this id (or unique id prefix).
    public func report(_ idOrPrefix: String) throws -> Report {
        try read { db in
            let id = try Self.resolveID(idOrPrefix, db)
            guard let report = try ReportRows.fetch(id, db) else { throw ReportSyncError(.notFound, "no report \(id)") }
            return report
        }
    }

    /// The merged record behind a report: every write it received, its field values and conflicts.
    public func record(_ idOrPrefix: String) throws -> ReportRecord {
        try read { db in
            let id = try Self.resolveID(idOrPrefix, db)
            let json = try String.fetchOne(db, sql: "SELECT record FROM reports WHERE id = ?", arguments: [id]) ?? ""
            return try JSONCoding.value(ReportRecord.self, from: json)
        }
    }

    /// The full id of the one report whose id starts with `prefix`.
    public func resolveReportID(_ prefix: String) throws -> String {
        try read { db in try Self.resolveID(prefix, db) }
    }

    /// The reports that match `filter`, most recently changed first.
    public func reports(matching filter: ReportFilter = ReportFilter()) throws -> [Report] {
        try read { db in
            let (clauses, values) = filter.conditions { _ in "?" }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM reports \(whereSQL) ORDER BY \(ReportFilter.order)", arguments: StatementArguments(values)
            ).map(ReportRows.decode)
        }
    }

    static func resolveID(_ prefix: String, _ db: Database) throws -> String {
        let prefix = try ReportIDPrefix(prefix)
        return try prefix.resolve(
            String.fetchAll(
                db, sql: "SELECT id FROM reports WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", arguments: [prefix.text, prefix.upperBound]))
    }

    /// The full id of the solicitation to `unit` whose id starts with `prefix`.
    static func solicitationID(_ prefix: String, unit: String, _ db: Database) throws -> String {
        guard !prefix.isEmpty else { throw noSolicitationGiven }
        return try resolveSolicitation(
            prefix, unit: unit,
            among: String.fetchAll(
                db, sql: "SELECT id FROM solicitations WHERE unit = ? AND id >= ? AND id < ? LIMIT 2",
                arguments: [unit, prefix, prefix + "\u{10FFFF}"]))
    }

    /// The refusal of an empty solicitation id.
    public static let noSolicitationGiven = ReportSyncError(.invalidInput, "give a solicitation id; see report-cli solicit list")

    /// The one solicitation id to `unit` that `prefix` names among `ids` (the first two to `unit` from `prefix` on).
    public static func resolveSolicitation(_ prefix: String, unit: String, among ids: [String]) throws -> String {
        if ids.count == 1 || ids.first == prefix { return ids[0] }
        if ids.isEmpty {
            throw ReportSyncError(.notFound, "no solicitation \(prefix) was sent to \(unit); see report-cli solicit list (sync first if it is new)")
        }
        throw ReportSyncError(.invalidInput, "more than one solicitation starts with \(prefix); give more of its id")
    }

    /// The solicitation to `unit` whose id starts with `prefix`, as this replica holds it.
    static func solicitation(_ prefix: String, unit: String, _ db: Database) throws -> Solicitation {
        let id = try solicitationID(prefix, unit: unit, db)
        let body = try String.fetchOne(db, sql: "SELECT body FROM solicitations WHERE id = ? AND unit = ?", arguments: [id, unit]) ?? ""
        return try JSONCoding.value(Solicitation.self, from: body)
    }

    /// Points a follow-up at the first report of its chain and numbers it; returns that first report.
    static func followUpTarget(_ content: inout ReportContent, _ s: ApplySession) throws -> ReportRecord? {
        guard let named = content.followUpOf else { return nil }
        let namedID: String
        do { namedID = try resolveID(named, s.db) } catch let error as ReportSyncError where error.code == .notFound {
            throw ReportSyncError(
                .notFound, "the report to follow up, \(named), is not in this replica; check the id with report-cli list")
        }
        var target = try s.requireRecord(namedID)
        if let first = target.followUpOf { target = try s.requireRecord(first) }
        content.followUpOf = target.id
        let earlier = try Int.fetchOne(
            s.db, sql: "SELECT COUNT(*) FROM reports WHERE follow_up_of = ?", arguments: [target.id]) ?? 0
        content.followUpSequence = earlier + 1
        return target
    }

    /// How many reports this replica holds that never leave it over the network (secret ones, internal
    /// ones unless the policy allows them, and follow-ups of either: `Secrecy`).
    public func secretReportCount() throws -> Int {
        try read { db in
            let offNetwork = OffNetworkSQL.report(try Replica.offNetwork(db, at: now()))
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM reports r LEFT JOIN reports f ON f.id = r.follow_up_of WHERE \(offNetwork)") ?? 0
        }
    }
}
