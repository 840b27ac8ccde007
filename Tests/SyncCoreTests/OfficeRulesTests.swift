import Foundation
import SyncCore
import Testing

/// The central office's rules with fixed clocks (DOMAIN.md "Deadlines" and "Quotas and scoring"),
/// with the period and day boundaries where such systems go wrong.
@Suite("Office rules: periods, working days, deadlines, points")
struct OfficeRulesTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// A moment written in the bureau's time zone.
    static func local(_ text: String) -> Date { TimestampParser.parse(text, timeZone: zone)! }

    @Test("months and quarters start and end at local midnight; a late-evening UTC time belongs to the next local month")
    func periods() throws {
        let october = try Period.parse("2026-10")
        #expect(october.start(in: Self.zone) == Self.local("2026-10-01T00:00"))
        #expect(october.end(in: Self.zone) == Self.local("2026-11-01T00:00"))
        #expect(october.contains(Self.local("2026-10-31T23:59:59"), in: Self.zone))
        #expect(!october.contains(Self.local("2026-11-01T00:00"), in: Self.zone), "the end is exclusive")
        // 2026-09-30T16:30Z is already 1 October in Beijing.
        #expect(october.contains(Date(timeIntervalSince1970: 1_790_785_800), in: Self.zone))
        let q3 = try Period.parse("2026Q3")
        #expect(q3.start(in: Self.zone) == Self.local("2026-07-01T00:00") && q3.end(in: Self.zone) == Self.local("2026-10-01T00:00"))
        #expect(q3.months == 3)
        let q4 = try Period.parse("2026Q4")
        #expect(q4.end(in: Self.zone) == Self.local("2027-01-01T00:00"), "the year rolls over at the end of Q4")
        for bad in ["2026-13", "2026Q5", "Oct", "2026-1", ""] {
            #expect(throws: ReportSyncError.self, "\(bad)") { try Period.parse(bad) }
        }
    }

    @Test("a working day skips the weekend and a policy holiday (DOMAIN.md: phone-first, written within 1 working day)")
    func workingDays() {
        var policy = Policy.standard
        policy.holidays = ["2026-11-23"]
        let calendar = WorkingCalendar(policy: policy)
        let friday = Self.local("2026-11-20T16:00")
        #expect(calendar.adding(workingDays: 1, to: friday) == Self.local("2026-11-24T16:00"), "Sat, Sun and the Monday holiday skipped")
        #expect(calendar.adding(workingDays: 1, to: Self.local("2026-11-18T09:00")) == Self.local("2026-11-19T09:00"))
        #expect(!calendar.isWorkingDay(Self.local("2026-11-23T10:00")))
        // 23:30 on Friday in Beijing is 15:30Z the same day: still a working day there.
        #expect(calendar.isWorkingDay(Self.local("2026-11-20T23:30")))
    }

    @Test("a make-up working day (调休) on a weekend counts; the holidays around it do not (issue 18: policy workingWeekendDays)")
    func makeUpDays() throws {
        let policy = try Policy.decode(
            json: Data(#"{"holidays": ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"], "workingWeekendDays": ["2026-10-10"]}"#.utf8))
        let calendar = WorkingCalendar(policy: policy)
        #expect(calendar.isWorkingDay(Self.local("2026-10-10T09:00")), "Saturday 10 October is worked")
        #expect(!calendar.isWorkingDay(Self.local("2026-10-11T09:00")))
        #expect(calendar.adding(workingDays: 1, to: Self.local("2026-10-09T16:00")) == Self.local("2026-10-10T16:00"))
        #expect(calendar.adding(workingDays: 1, to: Self.local("2026-09-30T16:00")) == Self.local("2026-10-08T16:00"), "the holidays and the weekend between are skipped")
        let both = #expect(throws: ReportSyncError.self) {
            try Policy.decode(json: Data(#"{"holidays": ["2026-10-10"], "workingWeekendDays": ["2026-10-10"]}"#.utf8))
        }
        #expect(both?.message.contains("workingWeekendDays") == true)
    }

    /// A report drafted at `event` in squad-3 (by wang unless told), its deadline facts after the given steps.
    func facts(
        _ content: ReportContent, id: String = "r", signedAt: Date?, receivedAt: Date? = nil,
        central: [(WorkflowAction, StepDetail?, Date)] = [], drafter: Member = Cast.wang
    ) throws -> ReportFacts {
        var field = MemoryReplica(replicaID: "field")
        let start = content.eventTime ?? Self.local("2026-10-01T08:00")
        try field.draft(id: id, content, by: drafter, now: start)
        if let signedAt {
            try field.perform(.submit, on: id, by: drafter, now: signedAt.addingTimeInterval(-120))
            try field.perform(.review, on: id, by: Cast.li, now: signedAt.addingTimeInterval(-60))
            // A major emergency goes on to the principal leader (000:337): the unit finishes with the approval.
            if ApprovalChain.needsPrincipal(content, policy: .standard) {
                try field.perform(.sign, on: id, by: Cast.zhao, now: signedAt.addingTimeInterval(-30))
                try field.perform(.approve, on: id, by: Cast.ju, now: signedAt)
            } else {
                try field.perform(.sign, on: id, by: Cast.zhao, now: signedAt)
            }
        }
        if let receivedAt {
            try field.perform(.receive, on: id, by: Cast.chen, now: receivedAt)
            for (action, detail, at) in central {
                try field.perform(action, on: id, by: Cast.chen, comment: action == .reject ? "虚假" : nil, detail: detail, now: at)
            }
        }
        return try ReportFacts(record: field.record(id), policy: .standard)
    }

    func emergency(_ severity: EmergencySeverity, at event: String, phone: String? = nil) -> ReportContent {
        var content = Fixtures.completeEmergency()
        content.eventTime = Self.local(event)
        content.emergency?.severity = severity
        content.emergency?.phoneReportedAt = phone.map(Self.local)
        return content
    }

    @Test("a secret report's facts never carry its title: scores, deadline lists and bulletins name it 涉密信息")
    func secretTitleNeverNamed() throws {
        var content = ReportContent(category: .dynamic, title: "不得外传的标题", body: "正文")
        content.classification = .secret
        let falseReport = try facts(
            content, signedAt: Self.local("2026-10-10T10:00"), receivedAt: Self.local("2026-10-10T11:00"),
            central: [(.reject, StepDetail(falseReport: true), Self.local("2026-10-11T09:00"))])
        #expect(falseReport.title == ReportFacts.secretTitle)
        let card = Scorecard(
            unit: OrgUnit(id: "squad-3", name: "第三中队", kind: .squad), period: try Period.parse("2026-10"), reports: [falseReport],
            solicitations: [], policy: .standard, now: Self.local("2026-11-01T00:00"))
        #expect(card.named.first { $0.reason == .falseReport }?.title == ReportFacts.secretTitle)
        #expect(!card.lines.contains { $0.detail.contains("不得外传") })
    }

    @Test("emergency: major written within 60 min, general within 120 min of the event, judged by sign-off not arrival (004 §四.三)")
    func emergencyDeadlines() throws {
        let major = try facts(emergency(.major, at: "2026-10-10T10:00"), signedAt: Self.local("2026-10-10T10:50"), receivedAt: Self.local("2026-10-10T15:00"))
        let met = try #require(DeadlineRules.deadlines(of: major, solicitations: [:], policy: .standard, now: Self.local("2026-10-11T00:00")).first)
        #expect(met.rule == "emergency-major-written" && met.due == Self.local("2026-10-10T11:00") && met.status == .met)
        #expect(met.receivedAt == Self.local("2026-10-10T15:00"), "the late arrival is shown, not judged")

        let late = try facts(emergency(.major, at: "2026-10-10T10:00"), signedAt: Self.local("2026-10-10T11:10"))
        #expect(DeadlineRules.deadlines(of: late, solicitations: [:], policy: .standard, now: Self.local("2026-10-11T00:00")).first?.status == .late)

        let general = try facts(emergency(.general, at: "2026-10-10T10:00"), signedAt: nil)
        let at = { (time: String) in
            DeadlineRules.deadlines(of: general, solicitations: [:], policy: .standard, now: Self.local(time)).first
        }
        #expect(at("2026-10-10T10:40")?.status == .open && at("2026-10-10T10:40")?.due == Self.local("2026-10-10T12:00"))
        #expect(at("2026-10-10T11:10")?.status == .dueSoon, "within half of the two hours")
        #expect(at("2026-10-10T12:01")?.status == .overdue)
    }

    @Test("phone first: the major phone call within 30 min, the written report within 1 working day of the call (000 §6)")
    func phoneFirst() throws {
        var policy = Policy.standard
        policy.holidays = ["2026-11-23"]
        let report = try facts(
            emergency(.major, at: "2026-11-20T15:45", phone: "2026-11-20T16:00"), signedAt: Self.local("2026-11-24T15:00"))
        let items = DeadlineRules.deadlines(of: report, solicitations: [:], policy: policy, now: Self.local("2026-11-25T00:00"))
        #expect(items.map(\.rule) == ["emergency-major-phone", "phone-first-written"])
        #expect(items[0].status == .met, "phoned 15 minutes after the event")
        #expect(items[1].due == Self.local("2026-11-24T16:00") && items[1].status == .met, "across a weekend and a holiday")
    }

    @Test("phone first applies to a general emergency too: the call within 30 min of the event (004:21)")
    func generalPhoneFirst() throws {
        let report = try facts(
            emergency(.general, at: "2026-11-20T15:00", phone: "2026-11-20T15:45"), signedAt: Self.local("2026-11-20T18:00"))
        let items = DeadlineRules.deadlines(of: report, solicitations: [:], policy: .standard, now: Self.local("2026-11-21T00:00"))
        #expect(items.map(\.rule) == ["emergency-general-phone", "phone-first-written"])
        #expect(items[0].status == .late && items[0].due == Self.local("2026-11-20T15:30"), "phoned 45 minutes after the event")
        #expect(items[1].status == .met)
    }

    @Test("000:175 an item to be disclosed proactively reaches the disclosure group within 5 working days of the event, besides its own time limit")
    func disclosureReview() throws {
        var news = ReportContent(category: .dynamic, title: "公开信息", body: "b")
        news.eventTime = Self.local("2026-11-05T09:00")
        news.disclosure = .proactive
        let late = try facts(news, signedAt: Self.local("2026-11-13T10:00"))
        let items = DeadlineRules.deadlines(of: late, solicitations: [:], policy: .standard, now: Self.local("2026-11-20T00:00"))
        #expect(items.map(\.rule) == ["disclosure-review", "general-work"])
        #expect(items.first?.due == Self.local("2026-11-12T09:00"), "Thursday + 5 working days, the weekend skipped")
        #expect(items.first?.status == .late)
        news.disclosure = .onRequest
        let onRequest = try facts(news, signedAt: Self.local("2026-11-13T10:00"))
        #expect(DeadlineRules.deadlines(of: onRequest, solicitations: [:], policy: .standard, now: Self.local("2026-11-20T00:00")).map(\.rule) == ["general-work"])
    }

    @Test("a leader visit is due a day after the event, across the month end; general work within 2 days (000 §6, 004 §四.一)")
    func dayDeadlines() throws {
        var visit = ReportContent(category: .leaderVisit, title: "局长视察", body: "视察。")
        visit.eventTime = Self.local("2026-10-31T20:00")
        let item = try #require(
            DeadlineRules.deadlines(of: try facts(visit, signedAt: nil), solicitations: [:], policy: .standard, now: Self.local("2026-11-01T21:00")).first)
        #expect(item.rule == "important-event" && item.due == Self.local("2026-11-01T20:00") && item.status == .overdue)
        var news = ReportContent(category: .dynamic, title: "夜查", body: "夜查。")
        news.eventTime = Self.local("2026-10-30T09:00")
        let general = try #require(
            DeadlineRules.deadlines(of: try facts(news, signedAt: Self.local("2026-11-01T08:00")), solicitations: [:], policy: .standard, now: Self.local("2026-11-02T00:00")).first)
        #expect(general.rule == "general-work" && general.due == Self.local("2026-11-01T09:00") && general.status == .met)
    }

    func solicitation(_ id: String, due: String, declined: Bool = false) -> Solicitation {
        Solicitation(
            id: id, unit: "squad-3", topic: "安全生产", deadline: Self.local(due), contact: "陈 138", issuedBy: "chen",
            issuedAt: Self.local("2026-10-01T09:00"),
            declined: declined ? Solicitation.Decline(reason: "本月无相关工作", by: "li", at: Self.local("2026-10-02T09:00")) : nil)
    }

    @Test("points (003 §三.三): adoptions at two levels accumulate, an instruction, a late emergency, a missed solicitation, a false report; each one line")
    func points() throws {
        var news = ReportContent(category: .dynamic, title: "夜查", body: "b")
        news.eventTime = Self.local("2026-10-05T08:00")
        var untrue = ReportContent(category: .dynamic, title: "不实信息", body: "b")
        untrue.eventTime = Self.local("2026-10-16T08:00")
        var answer = ReportContent(category: .solicited, title: "约稿答复", body: "答复。")
        answer.solicitation = "s-answered"
        let reports = [
            try facts(
                news, id: "r1", signedAt: Self.local("2026-10-05T10:00"),
                receivedAt: Self.local("2026-10-05T11:00"),
                central: [
                    (.adopt, StepDetail(level: .city, outlet: "政务信息快报"), Self.local("2026-10-06T09:00")),
                    (.adopt, StepDetail(level: .province, outlet: "省政务信息"), Self.local("2026-10-20T09:00")),
                    (.instruct, StepDetail(level: .city, leader: "市长"), Self.local("2026-10-21T09:00")),
                ]),
            try facts(emergency(.general, at: "2026-10-12T10:00"), id: "r2", signedAt: Self.local("2026-10-12T13:00")),
            try facts(answer, id: "r3", signedAt: Self.local("2026-10-14T10:00")),
            try facts(
                untrue, id: "r4", signedAt: Self.local("2026-10-16T10:00"),
                receivedAt: Self.local("2026-10-16T11:00"), central: [(.reject, StepDetail(falseReport: true), Self.local("2026-10-17T09:00"))]),
        ]
        let solicitations = [
            solicitation("s-answered", due: "2026-10-15T18:00"), solicitation("s-missed", due: "2026-10-25T18:00"),
            solicitation("s-declined", due: "2026-10-26T18:00", declined: true),
        ]
        let unit = OrgUnit(id: "squad-3", name: "第三中队", kind: .squad)
        let card = Scorecard(
            unit: unit, period: try Period.parse("2026-10"), reports: reports,
            solicitations: solicitations, policy: .standard, now: Self.local("2026-11-05T00:00"))
        #expect(card.lines.map(\.rule) == [
            "adoption", "adoption", "instruction", "false-report", "late-or-missing-emergency", "missed-solicitation",
        ])
        #expect(card.lines.map(\.points) == [2, 3, 10, -10, -20, -5])
        #expect(card.total == -20)
        #expect(card.submitted == 4 && card.quota == 3 && card.shortBy == 0)
        #expect(card.adoptions == ["city": 1, "province": 1] && card.instructions == 1)
        #expect(card.solicitationsDue == 3 && card.solicitationsAnswered == 1, "the declined one is neither answered nor missed")
        #expect(card.late == 1 && card.missing == 2, "the late emergency; the missed solicitation and the October monthly report")
    }

    @Test("the same report adopted twice at one outlet on one day counts once; at another outlet or on another day it counts again")
    func adoptionRecordedTwice() throws {
        let news = ReportContent(category: .dynamic, title: "夜查", body: "b")
        let quick = StepDetail(level: .city, outlet: "政务信息快报")
        let report = try facts(
            news, id: "r1", signedAt: Self.local("2026-10-05T10:00"), receivedAt: Self.local("2026-10-05T11:00"),
            central: [
                (.adopt, quick, Self.local("2026-10-06T09:00")),
                (.adopt, quick, Self.local("2026-10-06T16:30")),
                (.adopt, StepDetail(level: .city, outlet: "每日要情"), Self.local("2026-10-06T17:00")),
                (.adopt, quick, Self.local("2026-10-08T09:00")),
            ])
        let card = Scorecard(
            unit: OrgUnit(id: "squad-3", name: "第三中队", kind: .squad), period: try Period.parse("2026-10"), reports: [report],
            solicitations: [], policy: .standard, now: Self.local("2026-11-05T00:00"))
        #expect(card.adoptions == ["city": 3], "\(card.lines.map(\.detail))")
        #expect(card.lines.filter { $0.rule == "adoption" }.count == 3)
    }

    @Test("a bulletin ranks by the share of the quota met, then by points: a unit that sent nothing never outranks one that sent (003 §三.五)")
    func fairRanking() throws {
        let period = try Period.parse("2026-10")
        let now = Self.local("2026-11-05T00:00")
        let sender = try facts(emergency(.general, at: "2026-10-12T10:00"), id: "r1", signedAt: Self.local("2026-10-12T18:00"))
        func card(_ id: String, _ kind: UnitKind, _ reports: [ReportFacts]) -> Scorecard {
            Scorecard(unit: OrgUnit(id: id, name: id, kind: kind), period: period, reports: reports, solicitations: [], policy: .standard, now: now)
        }
        let silent = card("squad-1", .squad, [])
        let sent = card("squad-3", .squad, [sender])
        #expect(sent.total < silent.total, "the late emergency costs the sender points: \(sent.total) against \(silent.total)")
        let bureau = card("bureau", .centralOffice, [])
        #expect(BulletinRanking.ranked([silent, sent, bureau]).map(\.unit) == ["bureau", "squad-3", "squad-1"],
            "no quota counts as met; then the unit that sent ranks above the one that sent nothing")
    }

    @Test("a unit owes no monthly report for a month that began before it was set up")
    func noMonthlyReportBeforeTheUnitExisted() throws {
        let period = try Period.parse("2026-10")
        let now = Self.local("2026-11-05T00:00")
        let new = OrgUnit(id: "squad-9", name: "第九中队", kind: .squad, since: Self.local("2026-10-20T09:00"))
        let card = Scorecard(unit: new, period: period, reports: [], solicitations: [], policy: .standard, now: now)
        #expect(card.missing == 0, "set up on 20 October: October's report was never its to make")
        var older = new
        older.since = Self.local("2026-09-30T09:00")
        #expect(Scorecard(unit: older, period: period, reports: [], solicitations: [], policy: .standard, now: now).missing == 1)
        older.since = nil
        #expect(Scorecard(unit: older, period: period, reports: [], solicitations: [], policy: .standard, now: now).missing == 1, "no date kept: owes")
    }

    @Test("quota (002 §九 scheme in policy): each missing item −1, each extra +1; a quarter triples the monthly quota")
    func quota() throws {
        var policy = Policy.standard
        policy.points.perMissingItem = -1
        policy.points.perExtraItem = 1
        policy.points.quotaMet = 5
        var research = ReportContent(category: .research, title: "调研", body: "b")
        research.eventTime = Self.local("2026-09-20T09:00")
        let one = [try facts(research, signedAt: Self.local("2026-09-30T23:30"))]
        let unit = OrgUnit(id: "squad-3", name: "第三中队", kind: .squad)
        let september = Scorecard(unit: unit, period: try Period.parse("2026-09"), reports: one, solicitations: [], policy: policy, now: Self.local("2026-11-01T00:00"))
        #expect(september.submitted == 1 && september.lines.map(\.points) == [-2], "signed 23:30 on the last day counts in September")
        let october = Scorecard(unit: unit, period: try Period.parse("2026-10"), reports: one, solicitations: [], policy: policy, now: Self.local("2026-11-01T00:00"))
        #expect(october.submitted == 0 && october.total == -3)
        let quarter = Scorecard(unit: unit, period: try Period.parse("2026Q3"), reports: one, solicitations: [], policy: policy, now: Self.local("2026-11-01T00:00"))
        #expect(quarter.quota == 9 && quarter.total == -8 && quarter.research == 1 && quarter.researchQuota == 1)
    }
}

extension OfficeRulesTests {
    @Test("the monthly report is due by the end of the 15th (001/#1 §7.一); the first monthly report signed off that month counts")
    func monthlyReport() throws {
        let october = try Period.parse("2026-10")
        var monthly = ReportContent(category: .monthly, title: "九月工作报告", body: "b")
        monthly.eventTime = Self.local("2026-10-14T09:00")
        let onTime = try facts(monthly, id: "m1", signedAt: Self.local("2026-10-15T23:59"))
        let item = DeadlineRules.monthlyReport(unit: "squad-3", month: october, reports: [onTime], policy: .standard, now: Self.local("2026-10-20T00:00"))
        #expect(item.due == Self.local("2026-10-16T00:00") && item.status == .met && item.report == "m1")
        let lateReport = try facts(monthly, id: "m2", signedAt: Self.local("2026-10-16T00:01"))
        #expect(DeadlineRules.monthlyReport(unit: "squad-3", month: october, reports: [lateReport], policy: .standard, now: Self.local("2026-10-20T00:00")).status == .late)
        let none = DeadlineRules.monthlyReport(unit: "squad-3", month: october, reports: [], policy: .standard, now: Self.local("2026-10-16T00:01"))
        #expect(none.status == .overdue && none.report == "monthly/squad-3/2026-10")
        #expect(try Period.parse("2026-01").previousMonth == Period(month: 12, of: 2025))
    }
}
