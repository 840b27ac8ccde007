import TestSupport
import Foundation
import Store
import SyncCore
import Testing

/// 000:603–609: the policy is set by an admin, kept as dated versions, and a past period is always
/// scored with the version in force then (the rule-book issue).
@Suite("Policy versions")
struct PolicyHistoryTests {
    let clock = TestClock("2026-09-01T08:00")
    let central: Replica

    init() throws {
        central = try StoreFixtures.clockedCentral(clock, more: [("qian", "bureau", .admin)])
    }

    /// A news item drafted and signed off at `time`.
    func signed(_ title: String, at time: String) throws {
        clock.set(time)
        let id = try central.draft(ReportContent(category: .experience, title: title, body: "\(title)。"), by: "wang").id
        _ = try central.perform(.submit, on: id, by: "wang")
        _ = try central.perform(.review, on: id, by: "li")
        _ = try central.perform(.sign, on: id, by: "zhao")
    }

    func points(_ month: String) throws -> Int {
        try central.scorecards(period: try Period.parse(month), unit: "squad-3", now: clock.now)[0].lines.filter { $0.rule == "submitted" }.map(\.points).reduce(0, +)
    }

    @Test("a version loaded for next month leaves this month's and last month's scores as they were; each month is scored by its own version")
    func pastPeriodsKeepTheirRules() throws {
        var one = Policy.standard
        one.points.submitted = 1
        try central.setPolicy(one, by: "qian")
        try signed("十月信息", at: "2026-10-10T10:00")
        clock.set("2026-10-20T09:00")
        var five = Policy.standard
        five.points.submitted = 5
        let version = try central.setPolicy(five, effectiveFrom: CalendarDay("2026-11-01"), by: "qian")
        #expect(version.effectiveFrom == "2026-11-01" && version.loadedBy == "qian")
        #expect(try central.policy().points.submitted == 1, "not in force before its day")
        try signed("十一月信息", at: "2026-11-10T10:00")
        #expect(try central.policy().points.submitted == 5)
        #expect(try points("2026-10") == 1, "October keeps the rules it was scored under")
        #expect(try points("2026-11") == 5)
        #expect(try central.policy(at: TestClock.local("2026-10-31T23:59")).points.submitted == 1)
        #expect(try central.policyHistory().map(\.effectiveFrom) == ["2026-09-01", "2026-11-01"])
    }

    @Test("only an admin may load a version, and never for a day already past; a refusal writes nothing (a field refuses it too: OfficeCommandTests)")
    func authorityAndNoBackdating() throws {
        clock.set("2026-11-20T09:00")
        let before = try central.changes().count
        var harsh = Policy.standard
        harsh.points.falseReport = -100
        let editor = #expect(throws: ReportSyncError.self) { try central.setPolicy(harsh, by: "chen") }
        #expect(editor?.message.contains("only an admin may change the policy") == true)
        let past = #expect(throws: ReportSyncError.self) { try central.setPolicy(harsh, effectiveFrom: CalendarDay("2026-10-01"), by: "qian") }
        #expect(past?.message.contains("a day already past") == true, "\(past?.message ?? "")")
        #expect(try central.changes().count == before)
        #expect(try central.policyHistory().isEmpty && central.policy() == .standard)
    }

    @Test("003:54 unit kinds as policy: towns owe 8 a month and departments 4 once the policy declares them; an undeclared kind is refused")
    func unitKindsFromThePolicy() throws {
        let undeclared = #expect(throws: ReportSyncError.self) {
            try central.addUnit(OrgUnit(id: "town-1", name: "城关镇", kind: UnitKind(rawValue: "town")!, parent: "bureau"))
        }
        #expect(undeclared?.message.contains("declare it in the policy's unitKinds") == true, "\(undeclared?.message ?? "")")
        let badPolicy = #expect(throws: ReportSyncError.self) { try Policy.decode(json: Data(#"{"quotas": {"monthly": {"town": 8}}}"#.utf8)) }
        #expect(badPolicy?.message.contains("quotas.monthly.town") == true)
        let policy = try Policy.decode(json: Data(#"{"unitKinds": ["town", "department"], "quotas": {"monthly": {"town": 8, "department": 4}}}"#.utf8))
        try central.setPolicy(policy, by: "qian")
        try central.addUnit(OrgUnit(id: "town-1", name: "城关镇", kind: UnitKind(rawValue: "town")!, parent: "bureau"))
        try central.addUnit(OrgUnit(id: "dept-1", name: "财政局", kind: UnitKind(rawValue: "department")!, parent: "bureau"))
        #expect(try central.units().first { $0.id == "town-1" }?.kind.rawValue == "town", "stored and read back")
        let quotas = Dictionary(uniqueKeysWithValues: try central.scorecards(period: try Period.parse("2026-09"), now: clock.now).map { ($0.unit, $0.quota) })
        #expect(quotas["town-1"] == 8 && quotas["dept-1"] == 4 && quotas["squad-3"] == 3)
    }

    @Test("a report is judged by the version of its period: a chain that asks the principal leader from November leaves October's major emergency sent")
    func factsOfThePeriodsVersion() throws {
        var without = Policy.standard
        without.principalApproval = []
        try central.setPolicy(without, by: "qian")
        clock.set("2026-10-10T09:00")
        var content = ReportContent(category: .emergency, title: "山体滑坡", body: "村道塌方。", eventTime: TestClock.local("2026-10-10T08:50"), place: "某村")
        var details = EmergencyDetails()
        details.severity = .major
        details.source = "村委会"; details.cause = "降雨"; details.deaths = 0; details.injuries = 0; details.propertyLoss = "无"
        details.course = "塌方"; details.consequences = "断路"; details.impact = "一村"; details.trend = "稳定"; details.leaderOnSite = true
        details.initialMeasures = "封路"; details.nextMeasures = "抢修"; details.reporterName = "王"; details.reporterContact = "138"
        content.emergency = details
        let id = try central.draft(content, by: "wang").id
        for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao")] { _ = try central.perform(action, on: id, by: actor) }
        clock.set("2026-10-20T09:00")
        try central.setPolicy(.standard, effectiveFrom: CalendarDay("2026-11-01"), by: "qian")
        clock.set("2026-11-05T09:00")
        #expect(try central.policy().principalApproval == ["emergency/major"])
        let october = try central.scorecards(period: try Period.parse("2026-10"), unit: "squad-3", now: clock.now)[0]
        #expect(october.submitted == 1, "signed off in October under October's rules, it was sent then")
    }
}
