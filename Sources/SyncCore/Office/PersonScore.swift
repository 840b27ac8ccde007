import Foundation

/// One person's numbers for a period: the reports they drafted (拟稿) that their unit signed off, what
/// was adopted, the points those reports earned, against a per-person quota (001:99, 002:109). Ranked,
/// they are the list the office picks its outstanding individuals (先进个人, 000:581) from.
public struct PersonScore: Codable, Sendable, Equatable {
    public let member: String
    public let name: String
    public let unit: String
    public let period: String
    /// Their reports signed off in the period.
    public let submitted: Int
    /// Their reports adopted in the period.
    public let adopted: Int
    /// What the policy asks of each person in the period (0: no per-person quota).
    public let quota: Int
    /// What the quota counts (`quotas.perPersonCounts`): `submitted` or `adopted`.
    public let counted: Int
    public let points: Int
    /// The unit's score lines that come from their reports.
    public let lines: [Scorecard.Line]

    /// How many more the person needed.
    public var shortBy: Int { max(0, quota - counted) }

    /// The rules whose points belong to a report, and so to its drafter; quotas, monthly reports and
    /// solicitations are the unit's.
    public static let personalRules: Set<String> = [
        "submitted", "research-item", "adoption", "instruction", "false-report", "late-or-missing-emergency",
    ]

    /// The score of `member` of `unit`, from the unit's reports, with the same points as the unit's scorecard.
    public init(member: Member, unit: OrgUnit, period: Period, reports: [ReportFacts], policy: Policy, now: Date) {
        let own = reports.filter { $0.unit == unit.id && $0.drafter == member.id }
        let card = Scorecard(unit: unit, period: period, reports: own, solicitations: [], policy: policy, now: now)
        let zone = WorkingCalendar(policy: policy).timeZone
        self.member = member.id
        name = member.name
        self.unit = unit.id
        self.period = period.description
        submitted = card.submitted
        adopted = own.filter { $0.adoptions.contains { period.contains($0.at, in: zone) } }.count
        quota = (policy.quotas.perPersonMonthly[unit.kind.rawValue] ?? 0) * period.months
        counted = policy.quotas.perPersonCounts == .submitted ? submitted : adopted
        lines = card.lines.filter { Self.personalRules.contains($0.rule) }
        points = lines.reduce(0) { $0 + $1.points }
    }

    /// In ranking order: points, then what counts toward the quota, then member id.
    public static func ranked(_ scores: [PersonScore]) -> [PersonScore] {
        scores.sorted { ($1.points, $1.counted, $0.member) < ($0.points, $0.counted, $1.member) }
    }
}
