import Foundation

/// One unit's numbers for a period, and the points they earn under the policy (DOMAIN.md "Quotas and
/// scoring"): every point comes from one line, so the total can be explained.
public struct Scorecard: Codable, Sendable, Equatable {
    /// One reason for points, with the report or solicitation it is about.
    public struct Line: Codable, Sendable, Equatable {
        /// A stable slug: `submitted`, `research-item`, `quota-met`, `quota-missing`, `quota-extra`,
        /// `adoption`, `instruction`, `late-or-missing-emergency`, `missed-solicitation`, `false-report`.
        public let rule: String
        public let report: String?
        public let points: Int
        public let detail: String
    }

    public let unit: String
    public let unitName: String
    public let period: String
    /// Reports signed off (签发) in the period: what the unit sent.
    public let submitted: Int
    /// Of those, the ones that count toward the quota: all, unless the policy leaves out late or
    /// rejected ones (001:95, `quotas.countLateItems`, `quotas.countRejectedItems`).
    public let countedTowardQuota: Int
    public let quota: Int
    public let research: Int
    public let researchQuota: Int
    /// Adoptions in the period by level (`county`, `city`, …).
    public let adoptions: [String: Int]
    public let instructions: Int
    /// Deadlines due in the period that were met late, and ones passed with nothing signed off.
    public let late: Int
    public let missing: Int
    public let solicitationsDue: Int
    public let solicitationsAnswered: Int
    public let total: Int
    /// The points the unit should reach in the year (003:74), for a year period with a target in the
    /// policy; nil otherwise.
    public let pointsTarget: Int?
    public let lines: [Line]
    /// The late, missing and false items a bulletin names (点名, 002:35, 000:43), whatever points they cost.
    public internal(set) var named: [NamedItem]

    /// One item a bulletin names.
    public struct NamedItem: Codable, Sendable, Equatable {
        /// Why it is named.
        public enum Reason: String, Codable, Sendable {
            /// Signed off after its deadline (迟报).
            case late
            /// Nothing signed off by its deadline (漏报), or a solicitation left unanswered.
            case missing
            /// Rejected by the central office as a false report (虚假信息).
            case falseReport = "false-report"
        }
        public let reason: Reason
        /// The report or solicitation it is about (`monthly/UNIT/MONTH` for a monthly report not sent).
        public let subject: String
        /// The report's title, or the solicitation's topic.
        public let title: String
        /// The deadline rule it missed (a `Deadline.rule` slug); nil for a false report.
        public let rule: String?
        /// When the deadline fell due, or when the report was rejected as false.
        public let at: Date
        /// The same in one English sentence.
        public let detail: String
        /// The central's registration number of the report (001:112), if it received it.
        public var registration: String? = nil
    }

    /// The same card with the named items' titles that `title` replaces (`nil`: kept), in the English
    /// detail too: how the web desk names a report it may not show.
    public func retitlingNamedItems(_ title: (NamedItem) -> String?) -> Scorecard {
        var card = self
        card.named = named.map { item in
            guard let replacement = title(item) else { return item }
            return NamedItem(
                reason: item.reason, subject: item.subject, title: replacement, rule: item.rule, at: item.at,
                detail: item.detail.replacingOccurrences(of: item.title, with: replacement), registration: item.registration)
        }
        return card
    }

    /// Adopted reports over submitted ones (0 when nothing was submitted).
    public var adoptionRate: Double {
        submitted == 0 ? 0 : Double(Set(adoptedReports).count) / Double(submitted)
    }

    /// Reports adopted in the period (one per adoption line).
    var adoptedReports: [String] { lines.filter { $0.rule == "adoption" }.compactMap(\.report) }

    /// How many more reports the unit needed to meet its quota.
    public var shortBy: Int { max(0, quota - countedTowardQuota) }
}

extension Scorecard {
    /// The scorecard of `unit` for `period`, from its reports and solicitations, judged at `now`. The
    /// recurring deadlines are matched against `signedHistory`, every finished report of the unit (by
    /// default those of `reports`): `reports` need only be those that can bear on the period.
    public init(
        unit: OrgUnit, period: Period, reports: [ReportFacts], solicitations: [Solicitation], policy: Policy, now: Date,
        signedHistory: [SignedReport]? = nil
    ) {
        let calendar = WorkingCalendar(policy: policy)
        let zone = calendar.timeZone
        let points = policy.points
        let inPeriod = { (date: Date?) in date.map { period.contains($0, in: zone) } ?? false }
        let day = calendar.day(of:)
        var lines: [Line] = []
        func add(_ rule: String, _ report: String?, _ value: Int, _ detail: String) {
            if value != 0 { lines.append(Line(rule: rule, report: report, points: value, detail: detail)) }
        }
        let mine = reports.filter { $0.unit == unit.id }.sorted { ($0.signedAt ?? $0.createdAt, $0.id) < ($1.signedAt ?? $1.createdAt, $1.id) }
        let sent = mine.filter { inPeriod($0.signedAt) }
        for report in sent {
            add("submitted", report.id, points.submitted, "「\(report.title)」 signed off \(day(report.signedAt!))")
            if report.category == .research {
                add("research-item", report.id, points.researchItem, "research item 「\(report.title)」")
            }
        }
        let byID = Dictionary(solicitations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let counted = sent.filter { report in
            if !policy.quotas.countRejectedItems, report.rejectedAt != nil { return false }
            if !policy.quotas.countLateItems,
                DeadlineRules.deadlines(of: report, solicitations: byID, policy: policy, now: now).contains(where: { $0.status == .late })
            {
                return false
            }
            return true
        }.count
        let quota = (policy.quotas.monthly[unit.kind.rawValue] ?? 0) * period.months
        if quota > 0 {
            let left = sent.count == counted ? "" : " (\(sent.count - counted) late or rejected not counted)"
            if counted >= quota { add("quota-met", nil, points.quotaMet, "\(counted) sent, quota \(quota)\(left)") }
            if counted < quota {
                add("quota-missing", nil, points.perMissingItem * (quota - counted), "\(quota - counted) short of the quota of \(quota)\(left)")
            } else {
                add("quota-extra", nil, points.perExtraItem * (counted - quota), "\(counted - quota) beyond the quota of \(quota)")
            }
        }
        var adoptions: [String: Int] = [:]
        var instructions = 0
        for report in mine {
            // An adoption recorded twice — same level, same outlet, same day — is one adoption (issue 18).
            var recorded: Set<[String]> = []
            let counted = report.adoptions.filter { a in inPeriod(a.at) && recorded.insert([a.level.rawValue, a.by ?? "", day(a.at)]).inserted }
            let worth = counted.map { points.points(forAdoptionAt: $0.level, outlet: $0.by, of: report.category) }
            // 001:100: several adoptions of one report earn only the best one's points (the first of equals).
            let best = worth.indices.max { (worth[$0], $1) < (worth[$1], $0) }
            for (i, a) in counted.enumerated() {
                adoptions[a.level.rawValue, default: 0] += 1
                let earns = points.adoptionCounting == .accumulate || i == best
                add("adoption", report.id, earns ? worth[i] : 0,
                    "「\(report.title)」 adopted at \(a.level.rawValue) level\(a.by.map { " by \($0)" } ?? "") on \(day(a.at))")
            }
            for i in report.instructions where inPeriod(i.at) {
                instructions += 1
                add("instruction", report.id, points.instruction[i.level.rawValue] ?? 0,
                    "\(i.level.rawValue)-level instruction\(i.by.map { " by \($0)" } ?? "") on 「\(report.title)」, \(day(i.at))")
            }
            if let at = report.falseReportAt, inPeriod(at) {
                add("false-report", report.id, points.falseReport, "「\(report.title)」 rejected as false on \(day(at))")
            }
        }
        var late = 0
        var missing = 0
        var named: [NamedItem] = []
        let registrations = Dictionary(mine.compactMap { r in r.registration.map { (r.id, $0) } }, uniquingKeysWith: { a, _ in a })
        /// Counts a deadline signed off late or not at all, and names it for the bulletin.
        func countMissed(_ deadline: Deadline) {
            guard deadline.status == .late || deadline.status == .overdue else { return }
            if deadline.status == .late { late += 1 } else { missing += 1 }
            named.append(
                NamedItem(
                    reason: deadline.status == .late ? .late : .missing, subject: deadline.report, title: deadline.title, rule: deadline.rule,
                    at: deadline.due,
                    detail: "「\(deadline.title)」 \(deadline.status == .late ? "signed off late" : "not signed off") against \(deadline.rule), due \(BureauTime.dueText(deadline.due, in: zone))",
                    registration: registrations[deadline.report]))
        }
        for report in mine {
            if let at = report.falseReportAt, inPeriod(at) {
                named.append(
                    NamedItem(
                        reason: .falseReport, subject: report.id, title: report.title, rule: nil, at: at,
                        detail: "「\(report.title)」 rejected as false on \(day(at))", registration: report.registration))
            }
            // A deadline at midnight ends the day before: it belongs to that day's period.
            for deadline in DeadlineRules.deadlines(of: report, solicitations: byID, policy: policy, now: now)
            where inPeriod(BureauTime.dueInstant(deadline.due, in: zone)) {
                countMissed(deadline)
                if deadline.isEmergency, deadline.status == .late || deadline.status == .overdue {
                    add("late-or-missing-emergency", report.id, points.lateOrMissingEmergency,
                        "「\(report.title)」 \(deadline.status == .late ? "signed off late" : "not reported") against \(deadline.rule)")
                }
            }
        }
        for month in period.monthsInside where unit.existed(before: month.start(in: WorkingCalendar(policy: policy).timeZone)) {
            countMissed(DeadlineRules.monthlyReport(unit: unit.id, month: month, reports: mine, policy: policy, now: now))
        }
        let zoneStart = period.start(in: zone)
        for rule in policy.deadlines.recurring {
            for deadline in DeadlineRules.recurring(
                rule, unit: unit, from: zoneStart, to: period.end(in: zone), signed: signedHistory ?? mine.compactMap(\.signed), policy: policy, now: now) {
                countMissed(deadline)
            }
        }
        var solicitationsDue = 0
        var answered = 0
        for s in solicitations where s.unit == unit.id && inPeriod(BureauTime.dueInstant(s.deadline, in: zone)) {
            solicitationsDue += 1
            let answer = mine.first { $0.solicitation == s.id && ($0.signedAt.map { $0 <= s.deadline } ?? false) }
            if answer != nil {
                answered += 1
            } else if s.declined == nil, now > s.deadline {
                missing += 1
                named.append(
                    NamedItem(
                        reason: .missing, subject: s.id, title: s.topic, rule: "solicitation", at: s.deadline,
                        detail: "no answer to 约稿 「\(s.topic)」 by \(day(s.deadline))"))
                add("missed-solicitation", s.id, points.missedSolicitation, "no answer to 约稿 「\(s.topic)」 by \(day(s.deadline))")
            }
        }
        self.init(
            unit: unit.id, unitName: unit.name, period: period.description, submitted: sent.count, countedTowardQuota: counted, quota: quota,
            research: sent.filter { $0.category == .research }.count,
            researchQuota: period.months / 3 * policy.quotas.quarterlyResearch, adoptions: adoptions,
            instructions: instructions, late: late, missing: missing, solicitationsDue: solicitationsDue,
            solicitationsAnswered: answered, total: lines.reduce(0) { $0 + $1.points },
            pointsTarget: period.kind == .year ? policy.quotas.annualPoints[unit.kind.rawValue] : nil, lines: lines, named: named)
    }
}
