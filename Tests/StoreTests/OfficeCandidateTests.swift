import TestSupport
import Foundation
import Store
import SyncCore
import Testing

/// Deadlines and scores read only the reports that can bear on a period (`OfficeCandidates`, found by
/// the timeline columns); these tests judge the same bureau from every report and ask for equal answers.
@Suite("Office rules read only the reports that bear on a period")
struct OfficeCandidateTests {
    /// A central of seeded random work over half a year: reports of every kind drafted on some day,
    /// taken a step further on later days, some never finished, adopted, instructed or rejected months
    /// after they were sent, answering solicitations, under a policy with a weekly recurring deadline.
    static func bureau(seed: UInt64) throws -> (Replica, TestClock, counts: [String: Int]) {
        var rng = SplitMix64(seed: seed)
        let clock = TestClock("2026-07-01T08:00")
        let central = try StoreFixtures.clockedCentral(clock, more: [("qian", "bureau", .admin), ("ju", "bureau", .principalLeader)])
        var policy = Policy.standard
        policy.deadlines.recurring = [RecurringDeadline(rule: "weekly-any", weekdays: [1], time: "17:00")]
        try central.setPolicy(policy, by: "qian")
        let categories: [ReportCategory] = [.dynamic, .meeting, .newMedia, .emergency, .emergency, .monthly, .research, .experience, .problem]
        var open: [String] = []
        var solicitations: [String] = []
        var counts: [String: Int] = [:]
        for _ in 0..<400 {
            clock.advance(Double(Int.random(in: 1...20, using: &rng)) * 3_600)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                let issued = try central.solicit(
                    topic: "约稿 \(solicitations.count)", units: ["squad-3"], deadline: clock.now.addingTimeInterval(Double(Int.random(in: 2...40, using: &rng)) * 86_400),
                    contact: "陈编辑", by: "chen")
                solicitations.append(issued[0].id)
            case 1...3:
                let category = categories.randomElement(using: &rng)!
                var content = ReportContent(
                    category: category, title: "信息 \(open.count)", body: "正文。",
                    eventTime: Bool.random(using: &rng) ? clock.now.addingTimeInterval(-Double(Int.random(in: 0...96, using: &rng)) * 3_600) : nil)
                if category == .newMedia {
                    content.newMedia = NewMediaDetails(platform: "微信公众号", publisher: "王小明", publisherPost: "信息员")
                    content.eventTime = content.eventTime ?? clock.now
                }
                if category == .emergency {
                    (content.place, content.eventTime) = ("某地", content.eventTime ?? clock.now)
                    var facts = EmergencyDetails()
                    facts.severity = Bool.random(using: &rng) ? .major : .general
                    (facts.source, facts.cause, facts.course, facts.consequences, facts.impact) = ("巡查", "暴雨", "经过", "无", "小")
                    (facts.trend, facts.initialMeasures, facts.nextMeasures, facts.propertyLoss) = ("平稳", "封路", "监测", "无")
                    (facts.deaths, facts.injuries, facts.leaderOnSite, facts.reporterName, facts.reporterContact) = (0, 0, true, "王小明", "138")
                    facts.phoneReportedAt = Bool.random(using: &rng) ? clock.now : nil
                    content.emergency = facts
                }
                if let s = solicitations.randomElement(using: &rng), Int.random(in: 0..<3, using: &rng) == 0 { content.solicitation = s }
                if let id = try? central.draft(content, by: "wang").id { open.append(id) }
            default:
                guard let id = open.randomElement(using: &rng) else { continue }
                let report = try central.report(id)
                let step: (WorkflowAction, String, StepDetail?)? =
                    switch report.state {
                    case .draft, .returned: (.submit, "wang", nil)
                    case .awaitingReview: (.review, "li", nil)
                    case .reviewed: (.sign, "zhao", nil)
                    case .signed where report.content.emergency?.severity == .major && Int.random(in: 0..<4, using: &rng) > 0: (.approve, "ju", nil)
                    case .signed: (.receive, "chen", nil)
                    case .adopted:
                        [(.adopt, "chen", StepDetail(level: .province, outlet: "专报", date: clock.now)),
                         (.instruct, "chen", StepDetail(level: .county, leader: "某局长", date: clock.now)), nil].randomElement(using: &rng)!
                    default:
                        [
                            (.adopt, "chen", StepDetail(level: .city, outlet: "快报", date: clock.now)),
                            (.reject, "chen", StepDetail(falseReport: true)), (.return, "chen", nil), nil,
                        ].randomElement(using: &rng)!
                    }
                guard let (action, actor, detail) = step else { continue }
                do {
                    _ = try central.perform(action, on: id, by: actor, comment: action == .reject || action == .return ? "请核实" : nil, detail: detail)
                    counts[action.rawValue, default: 0] += 1
                } catch { counts["refused \(action.rawValue): \(error)", default: 0] += 1 }
            }
        }
        return (central, clock, counts)
    }

    /// Every month, the quarter and the year, judged from the candidates and from every report.
    static let periods = ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2026-Q3", "2026-Q4", "2026"]

    @Test("scorecards and personal scores equal those judged from every report, for every period", arguments: [1, 2, 3, 4] as [UInt64])
    func scoresMatchEveryReport(seed: UInt64) throws {
        let (central, clock, counts) = try Self.bureau(seed: seed)
        #expect(["receive", "adopt", "instruct", "reject", "approve"].allSatisfy { counts[$0, default: 0] > 0 }, "the work reached the central: \(counts)")
        let squad = try central.units().first { $0.id == "squad-3" }!
        for text in Self.periods {
            let period = try Period.parse(text)
            let policy = try central.policy(for: period)
            // Judged here from each record, past the store's remembered facts (`ReportFactsCache`).
            let every = try central.reports().map { try ReportFacts(record: try central.record($0.id), policy: policy) }
            let solicitations = try central.solicitations()
            let expected = Scorecard(unit: squad, period: period, reports: every, solicitations: solicitations, policy: policy, now: clock.now)
            let cards = try central.scorecards(period: period, now: clock.now)
            #expect(cards == [expected], "seed \(seed), \(text): \(String(describing: cards.first?.lines.filter { !expected.lines.contains($0) })) vs \(expected.lines.filter { !(cards.first?.lines.contains($0) ?? false) }); named \(String(describing: cards.first?.named.count)) vs \(expected.named.count)")
            let people = PersonScore.ranked(
                try central.members().filter { $0.unit == "squad-3" && ($0.role == .drafter || $0.role == .unitHead) }.map {
                    PersonScore(member: $0, unit: squad, period: period, reports: every, policy: policy, now: clock.now)
                })
            #expect(try central.personScores(period: period, now: clock.now) == people, "seed \(seed), \(text)")
        }
    }

    @Test("the open deadlines equal the overdue and due-soon ones among all, at moments through the half-year", arguments: [1, 2, 3, 4] as [UInt64])
    func openDeadlinesMatchEveryReport(seed: UInt64) throws {
        let (central, clock, _) = try Self.bureau(seed: seed)
        let end = clock.now
        for days in stride(from: 0.0, through: 240, by: 20) {
            let now = TestClock.local("2026-07-01T08:00").addingTimeInterval(days * 86_400)
            let all = try central.deadlines(now: now).filter { $0.status == .overdue || $0.status == .dueSoon }
            let open = try central.deadlines(now: now, openOnly: true)
            #expect(open == all, "seed \(seed), \(now) (work ended \(end)): only judged from all \(all.filter { !open.contains($0) }), only from candidates \(open.filter { !all.contains($0) })")
        }
    }
}
