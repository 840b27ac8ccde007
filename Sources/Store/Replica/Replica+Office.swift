import Foundation
import GRDB
import SyncCore

/// The central office's work on a replica: solicitations (约稿), deadlines, scores and quotas.
/// A field replica sees its own unit's; the central replica sees every unit's.
extension Replica {
    /// Issues a solicitation to each of `units`; each unit receives only its own copy.
    public func solicit(
        topic: String, units: [String], deadline: Date, contact: String, format: String? = nil, purpose: String? = nil,
        by actorID: String
    ) throws -> [Solicitation] {
        try session { s in
            try Self.issueSolicitation(
                topic: topic, units: units, deadline: deadline, contact: contact, format: format, purpose: purpose, by: try Self.member(actorID, s.db),
                at: s.role, knownUnits: Set(try String.fetchAll(s.db, sql: "SELECT id FROM units")), id: UUIDv7.make(at: s.now), engine: s.engine)
        }
    }

    /// Issues solicitation `id` by `actor` to each of `units` (of `knownUnits`) on a replica of `role`,
    /// after every check, committed by `engine`: what every store does for `solicit`. (The id is made by
    /// the caller: a store that runs the engine again must write the same one.)
    public static func issueSolicitation(
        topic: String, units: [String], deadline: Date, contact: String, format: String?, purpose: String?, by actor: Member, at role: ReplicaRole,
        knownUnits: Set<String>, id: String, engine: MergeEngine
    ) throws -> [Solicitation] {
        try Permissions.check(.issueSolicitation, at: role)
        try Permissions.check(.issueSolicitation, by: actor, onUnit: actor.unit, at: role)
        if topic.allSatisfy(\.isWhitespace) { throw ReportSyncError(.invalidInput, "a solicitation needs a --topic") }
        if contact.allSatisfy(\.isWhitespace) { throw ReportSyncError(.invalidInput, "a solicitation needs a --contact (who to ask)") }
        if units.isEmpty { throw ReportSyncError(.invalidInput, "say which units are asked: --units squad-3,squad-4") }
        for unit in units where !knownUnits.contains(unit) {
            throw ReportSyncError(.notFound, "unit \(unit) is unknown; known units: \(knownUnits.sorted().joined(separator: ", "))")
        }
        guard deadline > engine.now else {
            throw ReportSyncError(.invalidInput, "the deadline \(BureauTime.text(deadline, policy: engine.policy)) is already past (it is now \(BureauTime.text(engine.now, policy: engine.policy))); give a future --deadline")
        }
        let issued = units.map { unit in
            Solicitation(
                id: id, unit: unit, topic: topic, deadline: deadline, contact: contact, format: format, purpose: purpose, issuedBy: actor.id,
                issuedAt: engine.now)
        }
        try engine.commitLocal(issued.map { solicitationChange($0, by: actor.id, engine: engine) })
        return issued
    }

    /// The solicitations this replica holds (a field replica holds its unit's), by deadline.
    public func solicitations(unit: String? = nil) throws -> [Solicitation] {
        try read { db in
            let sql = "SELECT body FROM solicitations" + (unit == nil ? "" : " WHERE unit = ?") + " ORDER BY deadline, id"
            return try String.fetchAll(db, sql: sql, arguments: unit.map { [$0] } ?? []).map {
                try JSONCoding.value(Solicitation.self, from: $0)
            }
        }
    }

    /// The unit declines a solicitation with a reason; it counts as answered, not as missed.
    public func declineSolicitation(_ idOrPrefix: String, reason: String, by actorID: String) throws -> Solicitation {
        try session { s in
            let actor = try Self.member(actorID, s.db)
            if reason.allSatisfy(\.isWhitespace) { throw ReportSyncError(.invalidInput, "say why the unit declines: --reason") }
            var solicitation = try Self.solicitation(idOrPrefix, unit: actor.unit, s.db)
            try Permissions.check(.declineSolicitation, by: actor, onUnit: solicitation.unit, at: s.role)
            if let declined = solicitation.declined {
                throw ReportSyncError(.wrongState, "solicitation \(solicitation.id) was already declined by \(declined.by): \(declined.reason)")
            }
            solicitation.declined = Solicitation.Decline(reason: reason, by: actor.id, at: s.now)
            try s.commitLocal([Self.solicitationChange(solicitation, by: actor.id, s)])
            return solicitation
        }
    }

    /// The central office chases `unit` for its answer to a solicitation (催报): a reminder of its own
    /// that reaches the unit at its next pull. Refused when the unit declined, or when an answer was
    /// signed off and not returned (a draft answer still in the unit may be chased).
    public func remind(_ idOrPrefix: String, unit: String, note: String? = nil, by actorID: String) throws -> SolicitationReminder {
        try session { s in
            // Who may chase is asked before which solicitation is meant, as before the rule was shared.
            try Permissions.check(.issueSolicitation, at: s.role)
            try Permissions.check(.issueSolicitation, by: try Self.member(actorID, s.db), onUnit: try Self.member(actorID, s.db).unit, at: s.role)
            let solicitation = try Self.solicitation(idOrPrefix, unit: unit, s.db)
            let answer = try String.fetchOne(s.db, sql: Self.sentAnswerQuery(.sqlite), arguments: [unit, solicitation.id])
            return try Self.remind(
                solicitation, unit: unit, note: note, by: try Self.member(actorID, s.db), answeredBy: answer, at: s.role, id: UUIDv7.make(at: s.now),
                engine: s.engine)
        }
    }

    /// A report of a unit (`$1`) in answer to a solicitation (`$2`) signed off and not returned, in `dialect`.
    public static func sentAnswerQuery(_ dialect: SQLDialect) -> String {
        """
        SELECT id FROM reports WHERE unit = \(dialect.placeholder(1)) AND \(dialect.jsonText("content", "solicitation")) = \(dialect.placeholder(2))
          AND state IN (\(ApprovalState.allCases.filter { $0.hasLeftUnit && $0 != .returned }.map { "'\($0.rawValue)'" }.joined(separator: ",")))
        LIMIT 1
        """
    }

    /// Chases `unit` for its answer to `solicitation` as `actor` with reminder `id` (`answeredBy`: the
    /// report it already sent, found by `sentAnswerQuery`), after every check, committed by `engine`: what
    /// every store does for `remind`.
    public static func remind(
        _ solicitation: Solicitation, unit: String, note: String?, by actor: Member, answeredBy answer: String?, at role: ReplicaRole, id: String,
        engine: MergeEngine
    ) throws -> SolicitationReminder {
        try Permissions.check(.issueSolicitation, at: role)
        try Permissions.check(.issueSolicitation, by: actor, onUnit: actor.unit, at: role)
        if let declined = solicitation.declined {
            throw ReportSyncError(.wrongState, "\(unit) declined solicitation \(solicitation.id) (\(declined.by): \(declined.reason)); there is nothing to chase")
        }
        if let answer {
            throw ReportSyncError(.wrongState, "\(unit) already sent report \(answer) in answer to solicitation \(solicitation.id); there is nothing to chase")
        }
        let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let reminder = SolicitationReminder(
            id: id, solicitation: solicitation.id, unit: unit, note: text?.isEmpty == false ? text : nil, by: actor.id,
            at: engine.now)
        let stamp = engine.stamp()
        try engine.commitLocal([
            Change(
                dot: stamp.dot, hlc: stamp.hlc, record: reminder.recordID, unit: unit, actor: actor.id, context: VersionVector(),
                payload: .reminder(reminder))
        ])
        return reminder
    }

    /// The reminders this replica holds (a field replica holds its unit's), oldest first.
    public func reminders(unit: String? = nil) throws -> [SolicitationReminder] {
        try read { db in
            // Through the partial index `changes_reminders`, named: for every unit, SQLite would rather walk the
            // whole log in `seq` order than sort the few reminders (160 ms at 100,000 reports, the desk's
            // solicitations page). The kind is written out, as the index's condition is.
            let sql = "SELECT body FROM changes INDEXED BY changes_reminders WHERE kind = '\(RecordKind.reminder.rawValue)'"
                + (unit == nil ? "" : " AND unit = ?") + " ORDER BY seq"
            return try String.fetchAll(db, sql: sql, arguments: StatementArguments(unit.map { [$0] } ?? [])).compactMap {
                guard case .reminder(let reminder) = try JSONCoding.value(Change.self, from: $0).payload else { return nil }
                return reminder
            }
        }
    }

    /// What the central office counts about each report, judged under `policy` (the one in force now
    /// when nil), read one record at a time (or remembered: `OfficeRows.facts`).
    public func reportFacts(unit: String? = nil, policy: Policy? = nil) throws -> [ReportFacts] {
        let policy = try policy ?? self.policy()
        return try read { db in
            let sql = "SELECT id, unit, digest FROM reports" + (unit == nil ? "" : " WHERE unit = ?")
            return try Self.facts(Row.fetchCursor(db, sql: sql, arguments: unit.map { [$0] } ?? []), units: nil, policy: policy, db)
        }
    }

    /// The facts of each row (`id`, `unit`, `digest`) of a unit in `units`: remembered, or read from its record.
    static func facts(_ rows: RowCursor, units: Set<String>?, policy: Policy, _ db: Database) throws -> [ReportFacts] {
        var facts: [ReportFacts] = []
        while let row = try rows.next() {
            if let units, !units.contains(row["unit"]) { continue }
            let id: String = row["id"]
            facts.append(
                try OfficeRows.facts(digest: row["digest"], policy: policy) {
                    try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM reports WHERE id = ?"), arguments: [id]) ?? "{}"
                })
        }
        return facts
    }

    /// The office's judgements (deadlines, scores) over this replica (`OfficeJudgement`).
    public var office: OfficeJudgement { OfficeJudgement(ReplicaOfficeSource(replica: self)) }

    /// Every deadline at `now` of the units this replica judges (`OfficeJudgement.deadlines`).
    public func deadlines(now: Date, unit: String? = nil, openOnly: Bool = false) throws -> [Deadline] {
        try office.deadlines(now: now, unit: unit, openOnly: openOnly)
    }

    /// The scorecard of each unit this replica judges (`OfficeJudgement.scorecards`).
    public func scorecards(period: Period, unit: String? = nil, now: Date) throws -> [Scorecard] {
        try office.scorecards(period: period, unit: unit, now: now)
    }

    /// The score of each person of the units this replica judges (`OfficeJudgement.personScores`).
    public func personScores(period: Period, unit: String? = nil, now: Date) throws -> [PersonScore] {
        try office.personScores(period: period, unit: unit, now: now)
    }

    /// The units scored here: every unit but the central office's own on the central; on a field replica, its unit and those below.
    public func judgedUnits() throws -> [OrgUnit] {
        let all = try units()
        if try role() == .central { return all.filter { $0.kind != .centralOffice } }
        let scope = try unitScope(of: try identity().unit.id)
        return all.filter { scope.contains($0.id) }
    }

    static func solicitationChange(_ solicitation: Solicitation, by actor: String, _ s: ApplySession) -> Change {
        solicitationChange(solicitation, by: actor, engine: s.engine)
    }

    static func solicitationChange(_ solicitation: Solicitation, by actor: String, engine: MergeEngine) -> Change {
        let stamp = engine.stamp()
        return Change(
            dot: stamp.dot, hlc: stamp.hlc, record: solicitation.recordID, unit: solicitation.unit, actor: actor,
            context: VersionVector(), payload: .solicitation(solicitation))
    }
}
