import Foundation
import ReportCLI
import SyncCore
import Testing

/// The rule books' settings as a person meets them through report-cli (the rule-book issue): each test
/// names the seed line it follows.
@Suite("Rule-book settings from the command line")
struct RuleBookCLITests {
    let cli: CLIHarness

    init() async throws {
        cli = try CLIHarness()
        await cli.staffedReplica()
        await cli.ok(["member", "add", "--id", "qian", "--name", "钱管理员", "--role", "admin"])
    }

    /// Loads `json` as the policy of the replica.
    func loadPolicy(_ json: String) async throws {
        let path = cli.directory.appendingPathComponent("policy.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        await cli.ok(["policy", "load", path, "--as", "qian"])
    }

    @Test("000:673 原则上: a long body is drafted freely with a warning; by default it is submitted with a warning, under a hard policy refused")
    func lengthLimitsAtSubmission() async throws {
        let long = String(repeating: "报", count: 650)
        let drafted = await cli.run("draft", "--as", "wang", "--category", "dynamic", "--title", "长动态", "--body", long)
        #expect(drafted.succeeded && drafted.err.contains("650 characters") && drafted.err.contains("may still be submitted"), "\(drafted.err)")
        let id = drafted.out.trimmingCharacters(in: .whitespacesAndNewlines)
        let submitted = await cli.run("submit", id, "--as", "wang")
        #expect(submitted.succeeded && submitted.err.contains("submitted all the same"), "\(submitted.err)")

        try await loadPolicy(#"{"lengthLimitEnforcement": "refuse"}"#)
        let second = await cli.ok(["draft", "--as", "wang", "--category", "dynamic", "--title", "又一条", "--body", long])
        let refused = await cli.run("submit", second, "--as", "wang")
        #expect(refused.exitCode == 1 && refused.err.contains("at most 600") && refused.err.contains("Shorten it"), "\(refused.err)")
        await cli.ok(["edit", second, "--as", "wang", "--body", String(repeating: "报", count: 600)])
        #expect(await cli.run("submit", second, "--as", "wang").succeeded)
    }

    @Test("001:52 a table due every day by 24:00 shows in deadlines with its rule once a policy asks for it; a unit set up today owes only the days to come")
    func recurringDeadlinesListed() async throws {
        try await loadPolicy(#"{"deadlines": {"recurring": [{"rule": "daily-table", "category": "problem", "weekdays": [1, 2, 3, 4, 5, 6, 7]}]}}"#)
        let id = await cli.ok(["draft", "--as", "wang", "--category", "problem", "--title", "日报表", "--body", "今日情况。"])
        for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] { await cli.ok([action, id, "--as", actor]) }
        let items = try #require(try JSONSerialization.jsonObject(with: Data(await cli.ok(["deadlines", "--all", "--json"]).utf8)) as? [[String: Any]])
        let tables = items.filter { $0["rule"] as? String == "daily-table" }
        #expect(!tables.isEmpty && tables.allSatisfy { $0["unit"] as? String == "squad-3" }, "\(items)")
        #expect(!tables.contains { $0["report"] as? String == id }, "the unit was set up today: today's table covers a day that began before it")
        #expect(tables.allSatisfy { ["open", "due-soon"].contains($0["status"] as? String) }, "only days to come: \(tables)")
    }

    @Test("000:513 a new-media item from the command line: platform and publisher as options or in --from-file, shown, required at submission")
    func newMediaItem() async throws {
        let id = await cli.ok(["draft", "--as", "wang", "--category", "new-media", "--title", "公众号推送", "--body", "推送三篇。"])
        let refused = await cli.run("submit", id, "--as", "wang")
        #expect(refused.exitCode == 1 && refused.err.contains("the platform (--platform)"), "\(refused.err)")
        await cli.ok(["edit", id, "--as", "wang", "--platform", "微信公众号", "--publisher", "马文", "--publisher-post", "宣传干事", "--event-time", "2026-11-05T21:00"])
        let shown = await cli.ok(["show", id])
        #expect(shown.contains("platform          微信公众号") && shown.contains("publisher         马文, 宣传干事"), "\(shown)")
        #expect(await cli.run("submit", id, "--as", "wang").succeeded)
        let file = cli.directory.appendingPathComponent("item.json")
        try Data(#"{"category": "new-media", "title": "头条", "newMedia": {"platfrom": "今日头条"}}"#.utf8).write(to: file)
        let misspelt = await cli.run("draft", "--as", "wang", "--from-file", file.path)
        #expect(misspelt.exitCode == 1 && misspelt.err.contains(#"did you mean "newMedia.platform"?"#), "\(misspelt.err)")
    }
}
