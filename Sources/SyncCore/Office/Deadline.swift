import Foundation

/// One report's (or solicitation's) deadline (时限, DOMAIN.md "Deadlines"): the rule, when it is due,
/// and whether the unit made it — judged by the sign-off time, not by when the central had it.
public struct Deadline: Codable, Sendable, Equatable {
    /// Where an item stands against its deadline at a given moment.
    public enum Status: String, Codable, Sendable {
        /// Not signed off, and the deadline has passed.
        case overdue
        /// Not signed off; the deadline is near (within half the allowed time, at most a day).
        case dueSoon = "due-soon"
        /// Not signed off; time is left.
        case open
        /// Signed off after the deadline.
        case late
        case met
        /// A solicitation the unit declined with a reason.
        case declined
    }

    /// The report, or the solicitation for one not answered.
    public let report: String
    public let unit: String
    public let title: String
    /// A stable slug: `emergency-major-written`, `emergency-major-phone`, `emergency-general-written`,
    /// `emergency-general-phone`, `phone-first-written`, `important-event`, `general-work`, `event-hours`,
    /// `disclosure-review`, `new-media-same-day`, `solicitation`, `monthly-report`, or the slug of a
    /// recurring deadline of the policy.
    public let rule: String
    /// What the deadline counts from.
    public let from: Date
    public let due: Date
    public let signedAt: Date?
    public let receivedAt: Date?
    public let status: Status

    /// Whether it is one of an emergency's deadlines (the call, the written report), which cost points when missed.
    public var isEmergency: Bool { rule.hasPrefix("emergency-") || rule == "phone-first-written" }
}

/// The deadline rules of DOMAIN.md, with every number taken from `Policy`.
public enum DeadlineRules {
    /// The slugs of the rules written here; a recurring deadline of the policy takes another.
    public static let builtInRules: Set<String> = [
        "emergency-major-written", "emergency-major-phone", "emergency-general-written", "emergency-general-phone",
        "phone-first-written", "important-event", "general-work", "event-hours", "disclosure-review", "new-media-same-day", "solicitation", "monthly-report",
    ]

    /// The deadlines of one report at `now`: none for categories without one and for follow-ups.
    public static func deadlines(of facts: ReportFacts, solicitations: [String: Solicitation], policy: Policy, now: Date) -> [Deadline] {
        let calendar = WorkingCalendar(policy: policy)
        let rules = policy.deadlines
        let event = facts.eventTime ?? facts.createdAt
        func item(_ rule: String, from: Date, due: Date, done: Date?) -> Deadline {
            Deadline(
                report: facts.id, unit: facts.unit, title: facts.title, rule: rule, from: from, due: due, signedAt: done,
                receivedAt: facts.receivedAt, status: status(due: due, from: from, done: done, now: now))
        }
        if let id = facts.solicitation, let solicitation = solicitations[id] {
            return [item("solicitation", from: solicitation.issuedAt, due: solicitation.deadline, done: facts.signedAt)]
        }
        // 000:175: what is to be disclosed proactively reaches the disclosure group within 5 working days.
        let disclosure =
            facts.disclosure == .proactive && rules.disclosureWorkingDays > 0
            ? [item("disclosure-review", from: event, due: calendar.adding(workingDays: rules.disclosureWorkingDays, to: event), done: facts.signedAt)]
            : []
        return disclosure + timeLimits(of: facts, from: event, calendar: calendar, rules: rules, make: item)
    }

    /// The time limits of the report's category (and of an emergency's phone call).
    private static func timeLimits(
        of facts: ReportFacts, from event: Date, calendar: WorkingCalendar, rules: DeadlinePolicy,
        make: (String, Date, Date, Date?) -> Deadline
    ) -> [Deadline] {
        func item(_ rule: String, from: Date, due: Date, done: Date?) -> Deadline { make(rule, from, due, done) }
        if facts.category != .emergency, !facts.isFollowUp, let hours = rules.eventHours[facts.category.rawValue] {
            return [item("event-hours", from: event, due: event.addingTimeInterval(Double(hours) * 3600), done: facts.signedAt)]
        }
        switch facts.category {
        case .emergency where !facts.isFollowUp:
            var items: [Deadline] = []
            if let phone = facts.phoneReportedAt {
                // Every emergency whose written report was not ready is phoned within 30 minutes (004:21), a
                // general one too; the setting keeps the name it had when it applied to major ones only.
                let call = event.addingTimeInterval(Double(rules.emergencyMajorPhoneMinutes) * 60)
                items.append(item(facts.severity == .major ? "emergency-major-phone" : "emergency-general-phone", from: event, due: call, done: phone))
                let written = calendar.adding(workingDays: rules.phoneFirstWrittenWorkingDays, to: phone)
                items.append(item("phone-first-written", from: phone, due: written, done: facts.signedAt))
            } else {
                let major = facts.severity == .major
                let minutes = major ? rules.emergencyMajorWrittenMinutes : rules.emergencyGeneralWrittenMinutes
                items.append(
                    item(major ? "emergency-major-written" : "emergency-general-written", from: event,
                        due: event.addingTimeInterval(Double(minutes) * 60), done: facts.signedAt))
            }
            return items
        case .meeting, .leaderVisit:
            return [item("important-event", from: event, due: calendar.adding(days: rules.importantEventDays, to: event), done: facts.signedAt)]
        case .dynamic:
            return [item("general-work", from: event, due: calendar.adding(days: rules.generalDays, to: event), done: facts.signedAt)]
        case .newMedia:
            // 000:517: reported the day it was published — by the end of that day, bureau time.
            let endOfDay = Period.calendar(calendar.timeZone).date(byAdding: .day, value: 1, to: Period.calendar(calendar.timeZone).startOfDay(for: event))!
            return [item("new-media-same-day", from: event, due: endOfDay, done: facts.signedAt)]
        default:
            return []
        }
    }

    /// A unit's monthly report for `month`: the first monthly report it signs off in that month, due by
    /// the end of day `monthlyReportDayOfMonth` (the report covers the month before).
    public static func monthlyReport(unit: String, month: Period, reports: [ReportFacts], policy: Policy, now: Date) -> Deadline {
        let calendar = WorkingCalendar(policy: policy)
        let start = month.start(in: calendar.timeZone)
        let due = calendar.adding(days: policy.deadlines.monthlyReportDayOfMonth, to: start)
        let report = reports.filter { r in
            r.unit == unit && r.category == .monthly && (r.signedAt.map { month.contains($0, in: calendar.timeZone) } ?? false)
        }.min { ($0.signedAt ?? start, $0.id) < ($1.signedAt ?? start, $1.id) }
        return Deadline(
            report: report?.id ?? "monthly/\(unit)/\(month)", unit: unit, title: report?.title ?? "月度报告 \(month)", rule: "monthly-report",
            from: start, due: due, signedAt: report?.signedAt, receivedAt: report?.receivedAt,
            status: status(due: due, from: start, done: report?.signedAt, now: now))
    }

    /// The due times of a recurring deadline that fall in [`start`, `end`) for `unit` (a due time at midnight
    /// belongs to the day it ends). Each is met by the first report of its category the unit signed off
    /// after the due time before it. One signed off after a due time that had none, in the first half of
    /// the time to the next, is that one's, late; after that it is the next one's. A report counts once.
    /// Reports are matched from before the unit's first one, whatever the window, so every window asked
    /// gives each due time the same verdict. A due time whose period began before the unit existed is not owed.
    public static func recurring(
        _ rule: RecurringDeadline, unit: OrgUnit, from start: Date, to end: Date, signed finished: [SignedReport], policy: Policy, now: Date
    ) -> [Deadline] {
        guard rule.applies(to: unit.kind) else { return [] }
        let calendar = Period.calendar(WorkingCalendar(policy: policy).timeZone)
        let signed = finished.filter { $0.unit == unit.id && rule.isMet(by: $0.category) }.sorted { ($0.signedAt, $0.id) < ($1.signedAt, $1.id) }
        // Matching starts before the first report (nothing is matched before it) and before the window.
        let first = min(signed.first?.signedAt ?? start, start)
        let dues = rule.dueTimes(
            from: calendar.date(byAdding: .month, value: -2, to: first)!, to: calendar.date(byAdding: .month, value: 2, to: end)!, calendar: calendar)
        var next = 0
        var items: [Deadline] = []
        for i in dues.indices where i > 0 && i + 1 < dues.count {
            let (previous, due, following) = (dues[i - 1], dues[i], dues[i + 1])
            while next < signed.count, signed[next].signedAt <= previous { next += 1 }
            var answer: SignedReport?
            if next < signed.count, signed[next].signedAt <= due.addingTimeInterval(following.timeIntervalSince(due) / 2) {
                answer = signed[next]
                next += 1
            }
            // A due time at midnight is the end of its day: it belongs to that day and its period.
            let belongsTo = BureauTime.dueInstant(due, in: calendar.timeZone)
            guard belongsTo >= start, belongsTo < end, unit.existed(before: previous) else { continue }
            let day = BureauTime.day(belongsTo, in: calendar.timeZone)
            items.append(
                Deadline(
                    report: answer?.id ?? "\(rule.rule)/\(unit.id)/\(day)", unit: unit.id, title: answer?.title ?? "\(rule.rule) \(day)",
                    rule: rule.rule, from: previous, due: due, signedAt: answer?.signedAt, receivedAt: answer?.receivedAt,
                    status: status(due: due, from: previous, done: answer?.signedAt, now: now)))
        }
        return items
    }

    /// A solicitation no signed report of its unit answers: its deadline on its own.
    public static func unanswered(_ solicitation: Solicitation, now: Date) -> Deadline {
        let status: Deadline.Status =
            solicitation.declined != nil ? .declined : Self.status(due: solicitation.deadline, from: solicitation.issuedAt, done: nil, now: now)
        return Deadline(
            report: solicitation.id, unit: solicitation.unit, title: "约稿: \(solicitation.topic)", rule: "solicitation",
            from: solicitation.issuedAt, due: solicitation.deadline, signedAt: nil, receivedAt: nil, status: status)
    }

    static func status(due: Date, from: Date, done: Date?, now: Date) -> Deadline.Status {
        if let done { return done <= due ? .met : .late }
        if now > due { return .overdue }
        let window = min(86_400, due.timeIntervalSince(from) / 2)
        return due.timeIntervalSince(now) <= window ? .dueSoon : .open
    }
}
