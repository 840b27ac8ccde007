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
            try Permissions.check(.issueSolicitation, at: s.role)
            let actor = try Self.member(actorID, s.db)
            try Permissions.check(.issueSolicitation, by: actor, onUnit: actor.unit, at: s.role)
            if topic.allSatisfy(\.isWhitespace) { throw ReportSyncError(.invalidInput, "a solicitation needs a --topic") }
            if contact.allSatisfy(\.isWhitespace) { throw ReportSyncError(.invalidInput, "a solicitation needs a --contact (who to ask)") }
            if units.isEmpty { throw ReportSyncError(.invalidInput, "say which units are asked: --units squad-3,squad-4") }
            for unit in units where try !OrgUnit.exists(s.db, key: unit) {
                throw ReportSyncError(.notFound, "unit \(unit) is unknown; known units: \(try Self.unitIDs(s.db))")
            }
            guard deadline > s.now else {
                throw ReportSyncError(.invalidInput, "the deadline \(BureauTime.text(deadline, policy: s.policy)) is already past (it is now \(BureauTime.text(s.now, policy: s.policy))); give a future --deadline")
            }
            let id = UUIDv7.make(at: s.now)
            let issued = units.map { unit in
                Solicitation(
                    id: id, unit: unit, topic: topic, deadline: deadline, contact: contact, format: format, purpose: purpose,
                    issuedBy: actor.id, issuedAt: s.now)
            }
            try s.commitLocal(issued.map { Self.solicitationChange($0, by: actor.id, s) })
            return issued
        }
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
            try Permissions.check(.issueSolicitation, at: s.role)
            let actor = try Self.member(actorID, s.db)
            try Permissions.check(.issueSolicitation, by: actor, onUnit: actor.unit, at: s.role)
            let solicitation = try Self.solicitation(idOrPrefix, unit: unit, s.db)
            if let declined = solicitation.declined {
                throw ReportSyncError(.wrongState, "\(unit) declined solicitation \(solicitation.id) (\(declined.by): \(declined.reason)); there is nothing to chase")
            }
            if let answer = try String.fetchOne(
                s.db,
                sql: """
                    SELECT id FROM reports WHERE unit = ? AND json_extract(content, '$.solicitation') = ?
                      AND state IN (\(ApprovalState.allCases.filter { $0.hasLeftUnit && $0 != .returned }.map { "'\($0.rawValue)'" }.joined(separator: ",")))
                    LIMIT 1
                    """,
                arguments: [unit, solicitation.id])
            {
                throw ReportSyncError(.wrongState, "\(unit) already sent report \(answer) in answer to solicitation \(solicitation.id); there is nothing to chase")
            }
            let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            let reminder = SolicitationReminder(
                id: UUIDv7.make(at: s.now), solicitation: solicitation.id, unit: unit, note: text?.isEmpty == false ? text : nil, by: actor.id,
                at: s.now)
            let stamp = s.stamp()
            try s.commitLocal([
                Change(
                    dot: stamp.dot, hlc: stamp.hlc, record: reminder.recordID, unit: unit, actor: actor.id, context: VersionVector(),
                    payload: .reminder(reminder))
            ])
            return reminder
        }
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
    /// when nil), read one record at a time (or remembered: `ReportFactsCache`).
    public func reportFacts(unit: String? = nil, policy: Policy? = nil) throws -> [ReportFacts] {
        let policy = try policy ?? self.policy()
        return try read { db in
            let sql = "SELECT id, unit, digest FROM reports" + (unit == nil ? "" : " WHERE unit = ?")
            return try Self.facts(Row.fetchCursor(db, sql: sql, arguments: unit.map { [$0] } ?? []), units: nil, policy: policy, db)
        }
    }

    /// Every deadline at `now` — reports' and unanswered solicitations' — of the units this replica judges;
    /// with `openOnly`, only those overdue or due soon, read from the reports that can still be.
    public func deadlines(now: Date, unit: String? = nil, openOnly: Bool = false) throws -> [Deadline] {
        let policy = try policy()
        let judged = Dictionary(try judgedUnits().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let scope = unit.map { judged[$0] == nil ? [] : [$0] } ?? Set(judged.keys)
        if let unit, scope.isEmpty { throw ReportSyncError(.notFound, "unit \(unit) is not one this replica judges; see syncd unit add") }
        let timeZone = WorkingCalendar(policy: policy).timeZone
        let month = Period.month(containing: now, in: timeZone)
        let solicitations = try self.solicitations().filter { scope.contains($0.unit) }
        let byID = Dictionary(solicitations.map { ($0.id + "/" + $0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        // Only a report not finished can be overdue or due soon; the monthly reports are looked for in
        // the two months judged. Without `openOnly`, every report is read.
        let reports = try openOnly ? reportFacts(OfficeCandidates(unfinishedBefore: .distantFuture), units: scope, policy: policy) : reportFacts(unit: unit, policy: policy).filter { scope.contains($0.unit) }
        let monthly =
            try openOnly
            ? reportFacts(
                OfficeCandidates(window: (month.previousMonth.start(in: timeZone), month.end(in: timeZone)), category: .monthly), units: scope,
                policy: policy) : reports
        var items: [Deadline] = []
        for facts in reports {
            let own = facts.solicitation.flatMap { byID[$0 + "/" + facts.unit] }.map { [$0.id: $0] } ?? [:]
            items += DeadlineRules.deadlines(of: facts, solicitations: own, policy: policy, now: now)
        }
        let answered = try answeredSolicitations()
        for s in solicitations where !answered.contains(s.id + "/" + s.unit) { items.append(DeadlineRules.unanswered(s, now: now)) }
        let signed = policy.deadlines.recurring.isEmpty ? [] : try signedReports(units: scope, policy: policy)
        for unit in scope.sorted() {
            for m in [month.previousMonth, month] where judged[unit]?.existed(before: m.start(in: timeZone)) ?? true {
                items.append(DeadlineRules.monthlyReport(unit: unit, month: m, reports: monthly, policy: policy, now: now))
            }
            // Recurring deadlines: those of the past month and the week ahead.
            guard let orgUnit = judged[unit] else { continue }
            for rule in policy.deadlines.recurring {
                items += DeadlineRules.recurring(
                    rule, unit: orgUnit, from: now.addingTimeInterval(-31 * 86_400), to: now.addingTimeInterval(7 * 86_400), signed: signed,
                    policy: policy, now: now)
            }
        }
        return items.filter { !openOnly || $0.status == .overdue || $0.status == .dueSoon }
            .sorted { ($0.due, $0.report, $0.rule) < ($1.due, $1.report, $1.rule) }
    }

    /// The solicitations some report of the asked unit answers (`id/unit`), signed off or not.
    private func answeredSolicitations() throws -> Set<String> {
        try read { db in
            Set(
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT unit, json_extract(content, '$.solicitation') AS solicitation FROM reports
                        WHERE json_extract(content, '$.solicitation') IS NOT NULL
                        """
                ).map { ($0["solicitation"] as String) + "/" + ($0["unit"] as String) })
        }
    }

    /// The scorecard of each unit this replica judges (or only `unit`) for `period`, judged at `now` under
    /// the policy in force on the period's last day: a later version never changes a past period's scores.
    /// Only the reports that can bear on the period are read.
    public func scorecards(period: Period, unit: String? = nil, now: Date) throws -> [Scorecard] {
        let policy = try policy(for: period)
        var units = try judgedUnits()
        if let unit {
            units = units.filter { $0.id == unit }
            if units.isEmpty { throw ReportSyncError(.notFound, "unit \(unit) is not one this replica judges; known: \(try judgedUnits().map(\.id).joined(separator: ", "))") }
        }
        let scope = Set(units.map(\.id))
        let solicitations = Dictionary(grouping: try self.solicitations().filter { scope.contains($0.unit) }, by: \.unit)
        let facts = Dictionary(grouping: try reportFacts(bearingOn: period, units: scope, solicitations: solicitations.values.flatMap { $0 }, policy: policy), by: \.unit)
        let signed = policy.deadlines.recurring.isEmpty ? nil : Dictionary(grouping: try signedReports(units: scope, policy: policy), by: \.unit)
        return units.map { u in
            Scorecard(
                unit: u, period: period, reports: facts[u.id] ?? [], solicitations: solicitations[u.id] ?? [], policy: policy, now: now,
                signedHistory: signed.map { $0[u.id] ?? [] })
        }
    }

    /// The score of each person of the units this replica judges (or of `unit`) for `period`: everyone
    /// who may draft there, and anyone else who drafted a report of it; ranked (先进个人, 000:581).
    public func personScores(period: Period, unit: String? = nil, now: Date) throws -> [PersonScore] {
        let policy = try policy(for: period)
        let units = try judgedUnits().filter { unit == nil || $0.id == unit }
        if let unit, units.isEmpty { throw ReportSyncError(.notFound, "unit \(unit) is not one this replica judges") }
        let facts = Dictionary(grouping: try reportFacts(bearingOn: period, units: Set(units.map(\.id)), solicitations: [], policy: policy), by: \.unit)
        let members = try self.members()
        var scores: [PersonScore] = []
        for u in units {
            let reports = facts[u.id] ?? []
            let drafters = Set(reports.map(\.drafter))
            for m in members where m.unit == u.id && (m.role == .drafter || m.role == .unitHead || drafters.contains(m.id)) {
                scores.append(PersonScore(member: m, unit: u, period: period, reports: reports, policy: policy, now: now))
            }
        }
        return PersonScore.ranked(scores)
    }

    /// The reports that can bear on `period`'s scores: a moment in the period (a deadline that fell due
    /// in it lies between the report's event and its sign-off), not finished and begun before its end, or
    /// answering a solicitation due in it. With recurring deadlines, also those signed in the month after:
    /// one may answer a due time of the period late, and the bulletin names it with its registration.
    private func reportFacts(bearingOn period: Period, units: Set<String>, solicitations: [Solicitation], policy: Policy) throws -> [ReportFacts] {
        let zone = WorkingCalendar(policy: policy).timeZone
        let (start, end) = (period.start(in: zone), period.end(in: zone))
        let due = solicitations.filter { period.contains(BureauTime.dueInstant($0.deadline, in: zone), in: zone) }
        let after: TimeInterval = policy.deadlines.recurring.isEmpty ? 0 : 31 * 86_400
        return try reportFacts(
            OfficeCandidates(window: (start, end.addingTimeInterval(after)), unfinishedBefore: end, solicitations: Array(Set(due.map(\.id)))),
            units: units, policy: policy)
    }

    /// The units scored here: every unit but the central office's own on the central; on a field replica, its unit and those below.
    public func judgedUnits() throws -> [OrgUnit] {
        let all = try units()
        if try role() == .central { return all.filter { $0.kind != .centralOffice } }
        let scope = try unitScope(of: try identity().unit.id)
        return all.filter { scope.contains($0.id) }
    }

    static func solicitationChange(_ solicitation: Solicitation, by actor: String, _ s: ApplySession) -> Change {
        let stamp = s.stamp()
        return Change(
            dot: stamp.dot, hlc: stamp.hlc, record: solicitation.recordID, unit: solicitation.unit, actor: actor,
            context: VersionVector(), payload: .solicitation(solicitation))
    }
}
