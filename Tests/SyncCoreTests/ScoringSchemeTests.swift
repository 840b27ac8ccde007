import Foundation
import SyncCore
import Testing

/// The points schemes of the other rule books as policy, not code (the rule-book issue): points by outlet
/// (000:639), by category (002:199), the best adoption only (001:100), and items left out of the quota
/// (001:95). Fixed clocks, October 2026 in the bureau's time zone.
@Suite("Scoring schemes as policy")
struct ScoringSchemeTests {
    let rules = OfficeRulesTests()
    let october = try! Period.parse("2026-10")
    let now = OfficeRulesTests.local("2026-11-05T00:00")
    let squad = OrgUnit(id: "squad-3", name: "第三中队", kind: .squad)

    func at(_ text: String) -> Date { OfficeRulesTests.local(text) }

    func policy(_ json: String) throws -> Policy { try Policy.decode(json: Data(json.utf8)) }

    /// A news item signed off on 5 October and adopted by the central office as `adoptions` say.
    func adopted(_ id: String, category: ReportCategory = .dynamic, _ adoptions: [(AdoptionLevel, String, String)]) throws -> ReportFacts {
        var content = ReportContent(category: category, title: id, body: "b")
        content.eventTime = at("2026-10-05T08:00")
        return try rules.facts(
            content, id: id, signedAt: at("2026-10-05T10:00"), receivedAt: at("2026-10-05T11:00"),
            central: adoptions.map { (.adopt, StepDetail(level: $0.0, outlet: $0.1), at($0.2)) })
    }

    func card(_ reports: [ReportFacts], _ policy: Policy) -> Scorecard {
        Scorecard(unit: squad, period: october, reports: reports, solicitations: [], policy: policy, now: now)
    }

    @Test("000:639: points by outlet — 5 in the bureau's own, 10 in the city's, 20 in Weifang's — in place of the level's")
    func pointsByOutlet() throws {
        let scheme = try policy(#"{"points": {"adoptionByOutlet": {"诸城文化网": 5, "今日诸城": 10, "潍坊市局信息平台": 20}}}"#)
        let report = try adopted("r1", [(.county, "诸城文化网", "2026-10-06T09:00"), (.city, "潍坊市局信息平台", "2026-10-07T09:00"), (.province, "省政务信息", "2026-10-08T09:00")])
        let lines = card([report], scheme).lines.filter { $0.rule == "adoption" }
        #expect(lines.map(\.points) == [5, 20, 3], "an outlet not listed earns its level's points")
    }

    @Test("002:199: adopted work items earn 2, research 5, whatever the level; an outlet listed still comes first")
    func pointsByCategory() throws {
        let scheme = try policy(#"{"points": {"adoptionByCategory": {"dynamic": 2, "research": 5}, "adoptionByOutlet": {"专刊": 9}}}"#)
        let news = try adopted("news", [(.national, "政务信息快报", "2026-10-06T09:00")])
        let research = try adopted("study", category: .research, [(.county, "政务信息快报", "2026-10-06T09:00"), (.county, "专刊", "2026-10-07T09:00")])
        let lines = card([news, research], scheme).lines.filter { $0.rule == "adoption" }
        #expect(lines.map { "\($0.report!):\($0.points)" } == ["news:2", "study:5", "study:9"])
    }

    @Test("001:100 如多级采用,以最高奖励为标准: with adoptionCounting highest only the best adoption of a report earns points; all are still counted")
    func highestOnly() throws {
        let report = try adopted("r1", [(.county, "a", "2026-10-06T09:00"), (.province, "b", "2026-10-07T09:00"), (.city, "c", "2026-10-08T09:00")])
        let accumulating = card([report], .standard)
        #expect(accumulating.total == 1 + 3 + 2)
        let highest = card([report], try policy(#"{"points": {"adoptionCounting": "highest"}}"#))
        #expect(highest.total == 3 && highest.lines.filter { $0.rule == "adoption" }.map(\.points) == [3])
        #expect(highest.adoptions == ["county": 1, "province": 1, "city": 1], "the table still shows every adoption")
    }

    @Test("001:95: late and rejected items may be left out of the quota; they are still sent, and the quota line says so")
    func leftOutOfTheQuota() throws {
        var late = ReportContent(category: .dynamic, title: "迟报", body: "b")
        late.eventTime = at("2026-10-01T08:00")
        let lateItem = try rules.facts(late, id: "late", signedAt: at("2026-10-09T10:00"))
        let poorItem = try rules.facts(
            ReportContent(category: .experience, title: "质量较差", body: "b"), id: "poor", signedAt: at("2026-10-09T10:00"),
            receivedAt: at("2026-10-09T11:00"), central: [(.reject, nil, at("2026-10-10T09:00"))])
        let goodItem = try rules.facts(ReportContent(category: .experience, title: "好", body: "b"), id: "good", signedAt: at("2026-10-09T10:00"))
        let items = [lateItem, poorItem, goodItem]
        let everything = card(items, .standard)
        #expect(everything.submitted == 3 && everything.countedTowardQuota == 3 && everything.shortBy == 0)
        let strict = card(items, try policy(#"{"quotas": {"countLateItems": false, "countRejectedItems": false}, "points": {"perMissingItem": -1}}"#))
        #expect(strict.submitted == 3 && strict.countedTowardQuota == 1 && strict.shortBy == 2)
        let quotaLine = try #require(strict.lines.first { $0.rule == "quota-missing" })
        #expect(quotaLine.points == -2 && quotaLine.detail.contains("2 late or rejected not counted"), "\(quotaLine.detail)")
        let onlyLate = card(items, try policy(#"{"quotas": {"countLateItems": false}}"#))
        #expect(onlyLate.countedTowardQuota == 2)
        let twoGood = card(
            [goodItem, try rules.facts(ReportContent(category: .problem, title: "也好", body: "b"), id: "good2", signedAt: at("2026-10-09T10:00"))],
            try policy(#"{"quotas": {"countLateItems": false, "countRejectedItems": false}}"#))
        #expect(BulletinRanking.ranked([strict, twoGood]).first == twoGood, "the bulletin ranks by what counts, not by what was sent")
    }

    @Test("001:99 each person two a month, 002:109 each person one adopted: per-person scores from the reports each drafted, ranked by points (先进个人, 000:581)")
    func perPerson() throws {
        let wangNews = try adopted("w1", [(.city, "政务信息快报", "2026-10-06T09:00")])
        let wangPlain = try rules.facts(ReportContent(category: .experience, title: "w2", body: "b"), id: "w2", signedAt: at("2026-10-09T10:00"))
        let liItem = try rules.facts(
            ReportContent(category: .experience, title: "l1", body: "b"), id: "l1", signedAt: at("2026-10-09T10:00"), receivedAt: at("2026-10-09T11:00"),
            central: [(.adopt, StepDetail(level: .province, outlet: "省政务信息"), at("2026-10-10T09:00"))], drafter: Cast.li)
        let reports = [wangNews, wangPlain, liItem]
        let office = OrgUnit(id: "squad-3", name: "第三中队", kind: .office)
        let sent = try policy(#"{"quotas": {"perPersonMonthly": {"office": 2}}}"#)
        let wang = PersonScore(member: Cast.wang, unit: office, period: october, reports: reports, policy: sent, now: now)
        let li = PersonScore(member: Cast.li, unit: office, period: october, reports: reports, policy: sent, now: now)
        #expect(wang.submitted == 2 && wang.adopted == 1 && wang.quota == 2 && wang.shortBy == 0 && wang.points == 2)
        #expect(li.submitted == 1 && li.shortBy == 1 && li.points == 3)
        #expect(PersonScore.ranked([wang, li]).map(\.member) == ["li", "wang"], "points first")
        let unitTotal = Scorecard(unit: office, period: october, reports: reports, solicitations: [], policy: sent, now: now).lines
            .filter { PersonScore.personalRules.contains($0.rule) }.reduce(0) { $0 + $1.points }
        #expect(wang.points + li.points == unitTotal, "a person's points are their reports' share of the unit's")
        let adoptedBasis = try policy(#"{"quotas": {"perPersonMonthly": {"office": 1}, "perPersonCounts": "adopted"}}"#)
        let wangAdopted = PersonScore(member: Cast.wang, unit: office, period: october, reports: reports, policy: adoptedBasis, now: now)
        #expect(wangAdopted.counted == 1 && wangAdopted.shortBy == 0)
        let squad = PersonScore(member: Cast.wang, unit: self.squad, period: october, reports: reports, policy: sent, now: now)
        #expect(squad.quota == 0, "the per-person quota is by unit kind")
    }

    @Test("000:631, 003:74 an annual target in points, by unit kind, judged over the year")
    func annualTarget() throws {
        let scheme = try policy(#"{"quotas": {"annualPoints": {"squad": 3}}}"#)
        let report = try adopted("r1", [(.city, "a", "2026-10-06T09:00")])
        let year = Scorecard(unit: squad, period: try Period.parse("2026"), reports: [report], solicitations: [], policy: scheme, now: now)
        #expect(year.pointsTarget == 3 && year.quota == 36 && year.researchQuota == 4)
        #expect(card([report], scheme).pointsTarget == nil, "a month has no annual target")
        #expect(try Period.parse("2026").end(in: OfficeRulesTests.zone) == OfficeRulesTests.local("2027-01-01T00:00"))
    }
}
