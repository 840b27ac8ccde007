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
    /// `emergency-general-phone`, `phone-first-written`, `important-event`, `general-work`, `solicitation`, `monthly-report`.
    public let rule: String
    /// What the deadline counts from.
    public let from: Date
    public let due: Date
    public let signedAt: Date?
    public let receivedAt: Date?
    public let status: Status
}

/// The deadline rules of DOMAIN.md, with every number taken from `Policy`.
public enum DeadlineRules {
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
