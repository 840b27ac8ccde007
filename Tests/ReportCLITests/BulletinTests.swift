import TestSupport
import Foundation
import Store
import SyncCore
import Testing

/// The bulletin (通报) of a fixture month, built on a central replica with a fixed clock and compared with
/// a golden file (`UPDATE_GOLDEN=1 swift test --filter BulletinTests` rewrites it after a deliberate change).
@Suite("Bulletin of a fixture month")
struct BulletinTests {
    /// A clock the fixture moves by hand.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date()
        var now: Date { lock.withLock { time } }
        func set(_ text: String) { lock.withLock { time = TimestampParser.parse(text, timeZone: TimeZone(identifier: "Asia/Shanghai")!)! } }
    }

    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/bulletin-2026-10.md")
    static let goldenEnglish = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/bulletin-2026-10.en.md")

    /// October 2026 at a bureau with two squads and an office: adoptions at every level, an instruction,
    /// a late emergency, a false report, an answered and a missed solicitation.
    static func fixture(at path: String) throws {
        let clock = Clock()
        // The bureau and its units were set up before the month, so each owes October's monthly report.
        clock.set("2026-09-01T08:00")
        let c = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice), now: { clock.now })
            .replica
        for (id, name, kind) in [("squad-3", "第三中队", UnitKind.squad), ("squad-4", "第四中队", .squad), ("office-1", "综合科", .office)] {
            try c.addUnit(OrgUnit(id: id, name: name, kind: kind, parent: "bureau"))
        }
        for (id, unit, role) in [
            ("wang", "squad-3", Role.drafter), ("li", "squad-3", .unitHead), ("sun", "squad-4", .drafter), ("zhou", "squad-4", .unitHead),
            ("wu", "office-1", .drafter), ("he", "office-1", .unitHead), ("zhao", "bureau", .leader), ("chen", "bureau", .centralEditor),
        ] {
            try c.addMember(Member(id: id, name: id, unit: unit, role: role))
        }
        clock.set("2026-10-02T09:00")
        let solicited = try c.solicit(
            topic: "秋季安全检查", units: ["squad-3", "squad-4"], deadline: TimestampParser.parse("2026-10-25T18:00", timeZone: TimeZone(identifier: "Asia/Shanghai")!)!,
            contact: "陈编辑", by: "chen")[0].id

        func report(_ content: ReportContent, by drafter: String, head: String, signed: String) throws -> String {
            let id = try c.draft(content, by: drafter).id
            clock.set(signed)
            _ = try c.perform(.submit, on: id, by: drafter)
            _ = try c.perform(.review, on: id, by: head)
            _ = try c.perform(.sign, on: id, by: "zhao")
            _ = try c.perform(.receive, on: id, by: "chen")
            return id
        }
        func step(_ action: WorkflowAction, _ id: String, at time: String, _ detail: StepDetail? = nil, comment: String? = nil) throws {
            clock.set(time)
            _ = try c.perform(action, on: id, by: "chen", comment: comment, detail: detail)
        }
        func content(_ category: ReportCategory, _ title: String, event: String, solicitation: String? = nil) -> ReportContent {
            var content = ReportContent(category: category, title: title, body: "\(title)。")
            content.eventTime = TimestampParser.parse(event, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            content.solicitation = solicitation
            if category == .emergency {
                content.place = "国道318线K100"
                var e = EmergencyDetails()
                (e.severity, e.source, e.cause, e.deaths, e.injuries) = (.general, "巡逻发现", "降雨", 0, 1)
                (e.propertyLoss, e.course, e.consequences, e.impact, e.trend) = ("约2万元", "滑坡阻断道路", "交通中断", "单向", "可控")
                (e.leaderOnSite, e.initialMeasures, e.nextMeasures) = (true, "封闭道路", "清理塌方")
                (e.reporterName, e.reporterContact) = ("王小明", "13800000000")
                content.emergency = e
            }
            return content
        }
        // In clock order: a replica's clock never runs back, so neither may the fixture's.
        clock.set("2026-10-08T09:30")
        let a = try report(content(.dynamic, "夜查行动", event: "2026-10-08T09:00"), by: "wang", head: "li", signed: "2026-10-08T15:00")
        try step(.adopt, a, at: "2026-10-09T10:00", StepDetail(level: .city, outlet: "政务信息快报"))
        clock.set("2026-10-10T08:00")
        let meeting = try report(content(.meeting, "全局工作会议", event: "2026-10-10T07:30"), by: "wu", head: "he", signed: "2026-10-10T12:00")
        try step(.adopt, meeting, at: "2026-10-11T10:00", StepDetail(level: .national, outlet: "全国政务信息"))
        try step(.instruct, meeting, at: "2026-10-12T09:00", StepDetail(level: .province, leader: "省长"))
        clock.set("2026-10-10T09:00")
        _ = try report(content(.monthly, "九月工作报告", event: "2026-09-30T18:00"), by: "wang", head: "li", signed: "2026-10-10T10:00")
        clock.set("2026-10-12T10:10")
        _ = try report(content(.emergency, "山体滑坡", event: "2026-10-12T10:00"), by: "wang", head: "li", signed: "2026-10-12T13:00")
        clock.set("2026-10-15T08:00")
        let untrue = try report(content(.dynamic, "不实信息", event: "2026-10-15T07:00"), by: "sun", head: "zhou", signed: "2026-10-15T11:00")
        try step(.reject, untrue, at: "2026-10-16T09:00", StepDetail(falseReport: true), comment: "经核实不实")
        try step(.adopt, a, at: "2026-10-20T10:00", StepDetail(level: .province, outlet: "省政务信息"))
        clock.set("2026-10-20T11:00")
        _ = try report(content(.monthly, "综合科九月工作报告", event: "2026-09-30T18:00"), by: "wu", head: "he", signed: "2026-10-20T12:00")
        clock.set("2026-10-21T09:00")
        let research = try report(content(.research, "基层执法调研", event: "2026-10-20T09:00"), by: "wang", head: "li", signed: "2026-10-21T15:00")
        try step(.adopt, research, at: "2026-10-22T10:00", StepDetail(level: .county))
        clock.set("2026-10-23T09:00")
        _ = try report(
            content(.solicited, "秋季安全检查情况", event: "2026-10-23T08:00", solicitation: solicited), by: "wang", head: "li",
            signed: "2026-10-24T10:00")
        clock.set("2026-10-30T08:00")
        _ = try report(content(.dynamic, "月末检查", event: "2026-10-30T07:00"), by: "wu", head: "he", signed: "2026-10-30T16:00")
    }

    @Test("the markdown bulletin of 2026-10 matches the golden files, in Chinese by default and in English on request; CSV and HTML carry the same rows")
    func goldenMonth() async throws {
        let cli = try CLIHarness()
        try Self.fixture(at: cli.directory.appendingPathComponent("central.sqlite").path)
        for (golden, language) in [(Self.golden, "zh"), (Self.goldenEnglish, "en")] {
            let markdown = await cli.run(["bulletin", "--db", "central.sqlite", "--month", "2026-10"] + (language == "zh" ? [] : ["--language", language]))
            #expect(markdown.succeeded, "\(markdown.err)")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try Data(markdown.out.utf8).write(to: golden) }
            #expect(markdown.out == (try String(contentsOf: golden, encoding: .utf8)), "\(language)")
        }

        let csv = await cli.run("bulletin", "--db", "central.sqlite", "--month", "2026-10", "--format", "csv")
        let rows = csv.out.trimmingCharacters(in: .newlines).components(separatedBy: "\r\n")
        #expect(rows.count == 4 && rows[0].hasPrefix("名次,单位代码,单位,报送"), "\(rows[0])")
        #expect(rows[1].hasPrefix("1,office-1,综合科,3,2,0,0,0,1,33%,1,19,1,0,0/0"), "\(rows[1])")

        let out = await cli.run("bulletin", "--db", "central.sqlite", "--month", "2026-10", "--format", "html", "--out", "bulletin.html")
        #expect(out.succeeded, "\(out.err)")
        let html = try String(contentsOf: cli.directory.appendingPathComponent("bulletin.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("第三中队") && html.contains("第四中队") && html.contains("综合科"))
        #expect(html.contains("<h2>点名") && html.contains("约稿「秋季安全检查」未在时限（2026-10-25 18:00 +08:00）内答复"), "the named items are in every format")
        let json = try JSONSerialization.jsonObject(with: Data(await cli.run("bulletin", "--db", "central.sqlite", "--month", "2026-10", "--json").out.utf8)) as? [String: Any]
        let named = try #require(json?["named"] as? [[String: Any]])
        #expect(named.map { $0["unit"] as? String } == ["office-1", "squad-3", "squad-4"])
        #expect((named.last?["items"] as? [[String: Any]])?.map { $0["reason"] as? String } == ["false-report", "missing", "missing"])
        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"), "self-contained: no external resources")

        let quarter = await cli.run("bulletin", "--db", "central.sqlite", "--quarter", "2026Q4", "--format", "csv")
        #expect(quarter.succeeded && quarter.out.contains("squad-3"))
        let bad = await cli.run("bulletin", "--db", "central.sqlite", "--quarter", "2026-10")
        #expect(bad.exitCode == 1 && bad.err.contains("--quarter takes a quarter"))
    }
}
