import Foundation
import SyncCore

/// The central office's judgements of the units it scores — deadlines (时限), scorecards (积分) and
/// people's scores (先进个人) — written once over what any store answers (`OfficeSource`): a replica
/// file (`Replica.office`) and a central on PostgreSQL judge alike.
public struct OfficeJudgement {
    private let source: any OfficeSource

    public init(_ source: any OfficeSource) { self.source = source }

    /// The policy in force now, as the source holds it.
    public func currentPolicy() throws -> Policy { try source.currentPolicy() }

    /// The bureau's name, as a bulletin is headed.
    public func bureauName() throws -> String { try source.bureauName() }

    /// Every deadline at `now` — reports' and unanswered solicitations' — of the units this replica judges;
    /// with `openOnly`, only those overdue or due soon, read from the reports that can still be.
    public func deadlines(now: Date, unit: String? = nil, openOnly: Bool = false) throws -> [Deadline] {
        let policy = try source.currentPolicy()
        let judged = Dictionary(try source.judgedUnits().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let scope = unit.map { judged[$0] == nil ? [] : [$0] } ?? Set(judged.keys)
        if let unit, scope.isEmpty { throw ReportSyncError(.notFound, "unit \(unit) is not one this replica judges; see syncd unit add") }
        let timeZone = WorkingCalendar(policy: policy).timeZone
        let month = Period.month(containing: now, in: timeZone)
        let solicitations = try source.solicitations().filter { scope.contains($0.unit) }
        let byID = Dictionary(solicitations.map { ($0.id + "/" + $0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        // Only a report not finished can be overdue or due soon; the monthly reports are looked for in
        // the two months judged. Without `openOnly`, every report is read.
        let reports = try openOnly ? source.reportFacts(OfficeCandidates(unfinishedBefore: .distantFuture), units: scope, policy: policy) : source.reportFacts(unit: unit, policy: policy).filter { scope.contains($0.unit) }
        let monthly =
            try openOnly
            ? source.reportFacts(
                OfficeCandidates(window: DateInterval(start: month.previousMonth.start(in: timeZone), end: month.end(in: timeZone)), category: .monthly), units: scope,
                policy: policy) : reports
        var items: [Deadline] = []
        for facts in reports {
            let own = facts.solicitation.flatMap { byID[$0 + "/" + facts.unit] }.map { [$0.id: $0] } ?? [:]
            items += DeadlineRules.deadlines(of: facts, solicitations: own, policy: policy, now: now)
        }
        let answered = try source.answeredSolicitations()
        for s in solicitations where !answered.contains(s.id + "/" + s.unit) { items.append(DeadlineRules.unanswered(s, now: now)) }
        let signed = policy.deadlines.recurring.isEmpty ? [] : try source.signedReports(units: scope, policy: policy)
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

    /// The scorecard of each unit this replica judges (or only `unit`) for `period`, judged at `now` under
    /// the policy in force on the period's last day: a later version never changes a past period's scores.
    /// Only the reports that can bear on the period are read.
    public func scorecards(period: Period, unit: String? = nil, now: Date) throws -> [Scorecard] {
        let policy = try source.policy(for: period)
        var units = try source.judgedUnits()
        if let unit {
            units = units.filter { $0.id == unit }
            if units.isEmpty { throw ReportSyncError(.notFound, "unit \(unit) is not one this replica judges; known: \(try source.judgedUnits().map(\.id).joined(separator: ", "))") }
        }
        let scope = Set(units.map(\.id))
        let solicitations = Dictionary(grouping: try source.solicitations().filter { scope.contains($0.unit) }, by: \.unit)
        let facts = Dictionary(grouping: try reportFacts(bearingOn: period, units: scope, solicitations: solicitations.values.flatMap { $0 }, policy: policy), by: \.unit)
        let signed = policy.deadlines.recurring.isEmpty ? nil : Dictionary(grouping: try source.signedReports(units: scope, policy: policy), by: \.unit)
        return units.map { u in
            Scorecard(
                unit: u, period: period, reports: facts[u.id] ?? [], solicitations: solicitations[u.id] ?? [], policy: policy, now: now,
                signedHistory: signed.map { $0[u.id] ?? [] })
        }
    }

    /// The score of each person of the units this replica judges (or of `unit`) for `period`: everyone
    /// who may draft there, and anyone else who drafted a report of it; ranked (先进个人, 000:581).
    public func personScores(period: Period, unit: String? = nil, now: Date) throws -> [PersonScore] {
        let policy = try source.policy(for: period)
        let units = try source.judgedUnits().filter { unit == nil || $0.id == unit }
        if let unit, units.isEmpty { throw ReportSyncError(.notFound, "unit \(unit) is not one this replica judges") }
        let facts = Dictionary(grouping: try reportFacts(bearingOn: period, units: Set(units.map(\.id)), solicitations: [], policy: policy), by: \.unit)
        let members = try source.members()
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
        return try source.reportFacts(
            OfficeCandidates(window: DateInterval(start: start, end: end.addingTimeInterval(after)), unfinishedBefore: end, solicitations: Set(due.map(\.id)).sorted()),
            units: units, policy: policy)
    }

}
