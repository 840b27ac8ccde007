import Foundation
import Store
import SyncCore
import TestSupport
import Testing

/// The central office's work end to end: report-cli on field replicas and the central, a real central
/// over loopback HTTP. Adoptions, instructions and solicitations reach the unit; scores, quotas and
/// deadlines read the same on both sides.
@Suite("Central office from the command line")
struct OfficeCommandTests {
    let cli: CLIHarness
    let central: LoopbackCentral

    init() async throws {
        cli = try CLIHarness()
        central = try await LoopbackCentral(in: cli.directory)
        try await ok("init", "--db", "laptop.sqlite", "--central", central.url, "--token", central.tokens[0])
        try central.setUpKeys(["wang", "li", "zhao"], on: "laptop.sqlite", in: cli.directory)
        try central.setUpKeys(["chen"], on: "central.sqlite", in: cli.directory)
        try await ok("sync", "--db", "laptop.sqlite")
    }

    @discardableResult
    func ok(_ arguments: String...) async throws -> String { try await ok(arguments) }

    @discardableResult
    func ok(_ arguments: [String]) async throws -> String {
        await cli.ok(arguments)
    }

    func json(_ arguments: String...) async throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try await ok(arguments + ["--json"]).utf8))
    }

    /// A refusal: exit 1, one line naming `expected`, and the central's log unchanged.
    func refused(_ expected: String, _ arguments: String...) async throws {
        let before = try central.replica.lastSequence()
        let outcome = await cli.run(arguments)
        #expect(outcome.exitCode == 1, "report-cli \(arguments.joined(separator: " ")) should be refused")
        #expect(outcome.err.contains(expected), "\(outcome.err)")
        #expect(outcome.err.split(separator: "\n").count == 1)
        #expect(try central.replica.lastSequence() == before, "nothing written")
    }

    static func bureauTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    @Test("a solicitation reaches only the units asked; a unit declines it and the central sees why; bad solicitations are refused")
    func solicitations() async throws {
        defer { central.stop() }
        let due = Self.bureauTime(Date().addingTimeInterval(3 * 86_400))
        let id = try await ok(
            "solicit", "new", "--db", "central.sqlite", "--as", "chen", "--topic", "安全生产经验", "--units", "squad-3",
            "--deadline", due, "--contact", "陈编辑 13900000000")
        try await refused("the deadline 2020-01-01 09:00 +08:00 is already past", "solicit", "new", "--db", "central.sqlite", "--as", "chen", "--topic", "t", "--units", "squad-3", "--deadline", "2020-01-01T09:00", "--contact", "c")
        try await refused("unit squad-9 is unknown", "solicit", "new", "--db", "central.sqlite", "--as", "chen", "--topic", "t", "--units", "squad-9", "--deadline", due, "--contact", "c")
        try await refused("central replica", "solicit", "new", "--db", "laptop.sqlite", "--as", "li", "--topic", "t", "--units", "squad-3", "--deadline", due, "--contact", "c")

        try await ok("sync", "--db", "laptop.sqlite")
        let onLaptop = try #require(try await json("solicit", "list", "--db", "laptop.sqlite") as? [[String: Any]])
        #expect(onLaptop.count == 1 && onLaptop.first?["topic"] as? String == "安全生产经验")
        let squad4 = try central.center.enroll(unit: "squad-4", device: "s4-laptop")
        try await ok("init", "--db", "squad4.sqlite", "--central", central.url, "--token", squad4)
        #expect((try await json("solicit", "list", "--db", "squad4.sqlite") as? [[String: Any]])?.isEmpty == true, "squad-4 was not asked")

        // The office chases the unit (催报); the reminder reaches the laptop at its next sync.
        try await refused("issued on the central replica", "solicit", "remind", id, "--unit", "squad-3", "--db", "laptop.sqlite", "--as", "li")
        try await refused("no solicitation \(id) was sent to squad-4", "solicit", "remind", id, "--unit", "squad-4", "--db", "central.sqlite", "--as", "chen")
        try await ok("solicit", "remind", String(id.prefix(12)), "--unit", "squad-3", "--note", "请本周内报送", "--db", "central.sqlite", "--as", "chen")
        try await ok("sync", "--db", "laptop.sqlite")
        let listed = try await ok("solicit", "list", "--db", "laptop.sqlite")
        #expect(listed.contains("1×") && listed.contains("请本周内报送"), "\(listed)")

        try await ok("solicit", "decline", String(id.prefix(12)), "--reason", "本月无相关工作", "--db", "laptop.sqlite", "--as", "li")
        try await ok("sync", "--db", "laptop.sqlite")
        let atCentral = try #require((try await json("solicit", "list", "--db", "central.sqlite") as? [[String: Any]])?.first)
        #expect((atCentral["declined"] as? [String: Any])?["reason"] as? String == "本月无相关工作")
        try await refused("declined solicitation", "solicit", "remind", id, "--unit", "squad-3", "--db", "central.sqlite", "--as", "chen")
        let deadlines = try #require(try await json("deadlines", "--db", "central.sqlite", "--all") as? [[String: Any]])
        #expect(deadlines.contains { $0["rule"] as? String == "solicitation" && $0["status"] as? String == "declined" })

        // An answer names the solicitation by a prefix of its id; an unknown one is refused.
        try await refused("no solicitation nope", "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "solicited", "--title", "t", "--body", "b", "--solicitation", "nope")
        let answer = try await ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "solicited", "--title", "安全生产经验", "--body", "b",
            "--solicitation", String(id.prefix(14)))
        #expect((try await json("show", answer, "--db", "laptop.sqlite") as? [String: Any])?["solicitation"] as? String == id, "a prefix is resolved")
    }

    @Test("adoption at two levels and an instruction reach the unit; score --explain and --json agree on both sides; bad input is refused")
    func adoptionAndScore() async throws {
        defer { central.stop() }
        let now = Self.bureauTime(Date())
        let id = try await ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "中队开展夜查。", "--event-time", now)
        for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] { try await ok(action, id, "--db", "laptop.sqlite", "--as", actor) }
        let draft = try await ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "草稿", "--body", "b")
        try await ok("sync", "--db", "laptop.sqlite")
        try await refused("cannot adopt a report that is draft", "adopt", draft, "--db", "central.sqlite", "--as", "chen", "--level", "city")
        try await ok("adopt", id, "--db", "central.sqlite", "--as", "chen", "--level", "city", "--outlet", "政务信息快报")
        try await ok("adopt", id, "--db", "central.sqlite", "--as", "chen", "--level", "province", "--outlet", "省政务信息")
        try await refused("--leader", "instruct", id, "--db", "central.sqlite", "--as", "chen", "--level", "city", "--leader", " ")
        try await ok("instruct", id, "--db", "central.sqlite", "--as", "chen", "--level", "city", "--leader", "市长")
        try await ok("copyedit", id, "--db", "central.sqlite", "--as", "chen", "--title", "某中队开展夜间专项巡查")
        try await refused("a drafter may not copyedit", "copyedit", id, "--db", "laptop.sqlite", "--as", "wang", "--title", "改")
        try await ok("sync", "--db", "laptop.sqlite")

        // The result reaches the unit: what was adopted where and when, and who wrote an instruction.
        let today = String(now.prefix(10))
        let shown = try await ok("show", id, "--db", "laptop.sqlite")
        #expect(shown.contains("result:") && shown.contains("received"), "\(shown)")
        #expect(shown.contains("adopted         city level, 政务信息快报, on \(today)"), "\(shown)")
        #expect(shown.contains("adopted         province level, 省政务信息, on \(today)"))
        #expect(shown.contains("instruction     city level, 市长, on \(today)"))
        // 000:213: the central's edited version under its responsible editor, beside the unit's signed title.
        #expect(shown.contains("title             夜查") && shown.contains("edited title    某中队开展夜间专项巡查"), "\(shown)")
        #expect(shown.contains("edited by       chen (责任编辑)"))
        let history = try await ok("history", id, "--db", "laptop.sqlite")
        #expect(history.contains("adopt: received → adopted (city level, 政务信息快报)"), "\(history)")
        #expect(history.contains("instruct: adopted → adopted (city level, by 市长)") || history.contains("(city level, by 市长)"), "\(history)")
        let results = try #require((try await json("show", id, "--db", "laptop.sqlite") as? [String: Any])?["results"] as? [String: Any])
        #expect((results["adoptions"] as? [[String: Any]])?.map { $0["by"] as? String } == ["政务信息快报", "省政务信息"])
        #expect(results["receivedAt"] is String)
        // 001:112: the central registered it at receipt; the number reached the unit with the receipt.
        #expect(shown.contains("registered as \(today.prefix(4))-0001 (登记号)"), "\(shown)")
        #expect(results["registration"] as? String == "\(today.prefix(4))-0001")

        for db in ["central.sqlite", "laptop.sqlite"] {
            let score = try #require(try await json("score", "--db", db, "--unit", "squad-3") as? [String: Any])
            #expect(score["total"] as? Int == 15, "\(db): city 2 + province 3 + city instruction 10")
            let lines = try #require(score["lines"] as? [[String: Any]])
            #expect(lines.map { $0["rule"] as? String } == ["adoption", "adoption", "instruction"])
            #expect(lines.allSatisfy { $0["report"] as? String == id })
        }
        #expect(try await ok("score", "--db", "central.sqlite", "--unit", "squad-3", "--explain").contains("adopted at province level by 省政务信息"))
        try await refused("not one this replica judges", "score", "--db", "central.sqlite", "--unit", "squad-9")
        try await refused("unknown period '2026-13'", "score", "--db", "central.sqlite", "--month", "2026-13")
        let quota = try #require(try await json("quota", "--db", "central.sqlite") as? [[String: Any]])
        #expect(quota.first { $0["unit"] as? String == "squad-3" }?["shortBy"] as? Int == 2, "one report sent of a squad's 3")

        // Per person (001:99, 000:581): the drafter's report earned the points; the unit head drafted nothing.
        for db in ["central.sqlite", "laptop.sqlite"] {
            let people = try #require(try await json("score", "--db", db, "--by-person", "--unit", "squad-3") as? [[String: Any]])
            #expect(people.map { $0["member"] as? String } == ["wang", "li"], "\(db): \(people)")
            #expect(people.first?["points"] as? Int == 15 && people.first?["submitted"] as? Int == 1)
        }
        let year = String(today.prefix(4))
        #expect(try await ok("score", "--db", "central.sqlite", "--unit", "squad-3", "--year", year).contains("squad-3) \(year): 15 points"))
    }

    @Test("a policy version loaded by the central's admin reaches the field with its day and author; the field cannot load one; show --on reads a day's version")
    func policyVersionsReachTheField() async throws {
        defer { central.stop() }
        let file = cli.directory.appendingPathComponent("scheme.json").path
        try Data(#"{"points": {"falseReport": -30}}"#.utf8).write(to: URL(fileURLWithPath: file))
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let tomorrow = BureauTime.day(Date().addingTimeInterval(86_400), in: zone)
        try await refused("only an admin may change the policy", "policy", "load", file, "--db", "central.sqlite", "--as", "chen")
        #expect(try await ok("policy", "load", file, "--db", "central.sqlite", "--as", "qian", "--effective", tomorrow).contains("in force from \(tomorrow)"))
        try await ok("sync", "--db", "laptop.sqlite")
        let history = try #require(try await json("policy", "history", "--db", "laptop.sqlite") as? [[String: Any]])
        #expect(history.map { $0["effectiveFrom"] as? String } == [tomorrow] && history.first?["loadedBy"] as? String == "qian")
        #expect(history.first?["changed"] as? [String] == ["points.falseReport"])
        let today = try #require(try await json("policy", "show", "--db", "laptop.sqlite") as? [String: Any])
        #expect((today["points"] as? [String: Any])?["falseReport"] as? Int == -10, "not in force before its day")
        let then = try #require(try await json("policy", "show", "--db", "laptop.sqlite", "--on", tomorrow) as? [String: Any])
        #expect((then["points"] as? [String: Any])?["falseReport"] as? Int == -30)
        let onField = await cli.run("policy", "load", file, "--db", "laptop.sqlite", "--as", "wang")
        #expect(onField.exitCode == 1 && onField.err.contains("central"), "\(onField.err)")
    }

    @Test("001:112 a major emergency signed off on the field waits at the central for the principal leader; approved on the field, it is received on the next sync")
    func principalLeaderApproval() async throws {
        defer { central.stop() }
        try central.setUpKeys(["ju"], on: "laptop.sqlite", in: cli.directory)
        let file = cli.directory.appendingPathComponent("landslide.json")
        try Data(
            #"""
            {"category": "emergency", "title": "山体滑坡", "body": "村道塌方。", "place": "某村", "emergency": {"severity": "major",
             "source": "村委会", "cause": "降雨", "deaths": 0, "injuries": 1, "propertyLoss": "道路受损", "course": "凌晨塌方",
             "consequences": "交通中断", "impact": "一个村", "trend": "稳定", "leaderOnSite": true, "initialMeasures": "封路",
             "nextMeasures": "抢修", "reporterName": "王小明", "reporterContact": "13800000000"}}
            """#.utf8
        ).write(to: file)
        let id = try await ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--from-file", file.path, "--event-time", Self.bureauTime(Date().addingTimeInterval(-600)))
        for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] { try await ok(action, id, "--db", "laptop.sqlite", "--as", actor) }
        try await ok("sync", "--db", "laptop.sqlite")
        #expect(try central.replica.report(id).state == .signed, "not received: the principal leader has not approved it")
        try await refused("waits for the principal leader's approval", "receive", id, "--db", "central.sqlite", "--as", "chen")
        try await ok("approve", id, "--db", "laptop.sqlite", "--as", "ju")
        try await ok("sync", "--db", "laptop.sqlite")
        #expect(try central.replica.report(id).state == .received)
        let history = try await ok("history", id, "--db", "laptop.sqlite")
        #expect(history.contains("approve") && history.contains("ju"), "\(history)")
    }

    @Test("deadlines: an emergency drafted offline is overdue on the field before any sync, with report, unit, rule, due and status")
    func deadlines() async throws {
        defer { central.stop() }
        let threeHoursAgo = Self.bureauTime(Date().addingTimeInterval(-3 * 3600))
        let id = try await ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "emergency", "--title", "山体滑坡", "--body", "发生滑坡。",
            "--severity", "general", "--event-time", threeHoursAgo)
        let items = try #require(try await json("deadlines", "--db", "laptop.sqlite") as? [[String: Any]])
        let item = try #require(items.first { $0["report"] as? String == id })
        #expect(item["unit"] as? String == "squad-3" && item["rule"] as? String == "emergency-general-written")
        #expect(item["status"] as? String == "overdue" && item["due"] is String)
        try await ok("sync", "--db", "laptop.sqlite")
        let atCentral = try #require(try await json("deadlines", "--db", "central.sqlite") as? [[String: Any]])
        #expect(atCentral.contains { $0["report"] as? String == id && $0["status"] as? String == "overdue" })
        try await refused("--at", "deadlines", "--db", "central.sqlite", "--at", "tomorrow")
    }
}
