import Foundation
import ReportCLI
import SyncCore
import Testing

/// report-cli commands parsed and run in-process: output formats, exit codes and refusals.
@Suite("report-cli in-process")
struct CLIInProcessTests {
    @Test("draft prints the new id alone; --json prints {\"id\": …}")
    func draftPrintsID() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let plain = await cli.run("draft", "--as", "wang", "--category", "dynamic", "--title", "巡查", "--body", "正文")
        #expect(plain.succeeded)
        let id = plain.out.trimmingCharacters(in: .newlines)
        #expect(UUID(uuidString: id) != nil && !id.contains(" "))
        let json = await cli.run("draft", "--as", "wang", "--category", "dynamic", "--title", "巡查2", "--body", "正文", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: String]
        #expect(object?.keys.sorted() == ["id"])
    }

    @Test("show --json and list --json print the report's id, unit, category, title, body and state")
    func showAndListJSON() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let id = await cli.run("draft", "--as", "wang", "--category", "experience", "--title", "经验", "--body", "做法")
            .out.trimmingCharacters(in: .newlines)
        let shown = try JSONSerialization.jsonObject(with: Data(await cli.run("show", id, "--json").out.utf8)) as? [String: Any]
        #expect(shown?["id"] as? String == id)
        #expect(shown?["unit"] as? String == "squad-3")
        #expect(shown?["category"] as? String == "experience")
        #expect(shown?["title"] as? String == "经验")
        #expect(shown?["body"] as? String == "做法")
        #expect(shown?["state"] as? String == "draft")
        let listed = try JSONSerialization.jsonObject(with: Data(await cli.run("list", "--json").out.utf8)) as? [[String: Any]]
        #expect(listed?.map { $0["id"] as? String } == [id])
        let filtered = try JSONSerialization.jsonObject(with: Data(await cli.run("list", "--state", "signed", "--json").out.utf8)) as? [Any]
        #expect(filtered?.isEmpty == true)
    }

    @Test("history --json lists entries oldest first with kind, actor, replica, at, and from/to for transitions")
    func historyJSON() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        await cli.run("member", "use", "wang")
        let id = await cli.run("draft", "--category", "dynamic", "--title", "t", "--body", "b").out.trimmingCharacters(in: .newlines)
        #expect(await cli.run("submit", id).succeeded)
        #expect(await cli.run("review", id, "--as", "li").succeeded)
        let history = try JSONSerialization.jsonObject(with: Data(await cli.run("history", id, "--json").out.utf8)) as? [String: Any]
        let entries = history?["entries"] as? [[String: Any]]
        let rows = try #require(entries)
        #expect(rows.map { $0["kind"] as? String } == ["version", "transition", "transition"])
        #expect(rows.map { $0["actor"] as? String } == ["wang", "wang", "li"])
        #expect(rows.allSatisfy { $0["replica"] is String && $0["at"] is String })
        #expect(rows[2]["from"] as? String == "awaiting-review" && rows[2]["to"] as? String == "reviewed")
    }

    @Test("the actor comes from --as, else $REPORT_AS, else the replica's default; nobody is refused")
    func actorResolution() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let nobody = await cli.run("draft", "--category", "dynamic", "--title", "t", "--body", "b")
        #expect(!nobody.succeeded && nobody.err.contains("--as MEMBER"))
        cli.environment["REPORT_AS"] = "wang"
        #expect(await cli.run("draft", "--category", "dynamic", "--title", "t", "--body", "b").succeeded)
        cli.environment["REPORT_AS"] = nil
        await cli.run("member", "use", "wang")
        #expect(await cli.run("draft", "--category", "dynamic", "--title", "t2", "--body", "b").succeeded)
    }

    @Test(
        "bad input gets one clear line, a non-zero exit and nothing written",
        arguments: [
            (["draft", "--as", "ghost", "--category", "dynamic", "--title", "t", "--body", "b"], "unknown member 'ghost'"),
            (["draft", "--as", "wang", "--category", "dynamic", "--title", "t", "--classification", "internal", "--disclosure", "proactive"], "cannot be disclosed proactively"),
            (["draft", "--as", "wang", "--category", "dynamic", "--title", "t", "--event-time", "yesterday"], "--event-time 'yesterday'"),
            (["draft", "--as", "wang", "--category", "emergency", "--title", "续", "--follow-up-of", "01a2ffff"], "not in this replica"),
            (["draft", "--as", "wang", "--category", "dynamic", "--title", "t", "--disclosure", "exempt"], "--disclosure-reason"),
            (["draft", "--as", "zhao", "--category", "dynamic", "--title", "t"], "may not draft reports; that needs a drafter or unit-head"),
            (["init", "--unit", "x", "--unit-name", "y"], "already exists"),
        ])
    func badInput(arguments: [String], message: String) async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let before = await cli.run("list", "--json").out
        let outcome = await cli.run(arguments)
        #expect(outcome.exitCode != 0)
        #expect(outcome.err.contains(message), "\(outcome.err)")
        #expect(outcome.err.split(separator: "\n").count == 1)
        #expect(await cli.run("list", "--json").out == before)
    }

    @Test("a role that may not make the transition, and a transition from the wrong state, are refused")
    func transitionsRefused() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let id = await cli.run("draft", "--as", "wang", "--category", "dynamic", "--title", "t", "--body", "b")
            .out.trimmingCharacters(in: .newlines)
        let wrongState = await cli.run("sign", id, "--as", "zhao")
        #expect(wrongState.exitCode == 1 && wrongState.err.contains("only from: reviewed"))
        await cli.run("submit", id, "--as", "wang")
        let wrongRole = await cli.run("review", id, "--as", "wang")
        #expect(wrongRole.exitCode == 1 && wrongRole.err.contains("needs a unit-head"))
        #expect(await cli.run("show", id, "--json").out.contains("\"awaiting-review\""))
    }

    @Test("an emergency report drafted from a JSON file is refused at submit until its facts are complete")
    func emergencyFromFile() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let file = cli.directory.appendingPathComponent("e.json")
        try Data(
            #"{"category": "emergency", "title": "山体滑坡", "body": "9时许发生滑坡。", "eventTime": "2026-11-22T09:10", "place": "K100", "emergency": {"source": "巡逻", "deaths": 0}}"#
                .utf8
        ).write(to: file)
        let id = await cli.run("draft", "--as", "wang", "--from-file", file.path).out.trimmingCharacters(in: .newlines)
        let refused = await cli.run("submit", id, "--as", "wang")
        #expect(refused.exitCode == 1)
        #expect(refused.err.contains("--injuries") && !refused.err.contains("--deaths") && !refused.err.contains("--place"))
        #expect(await cli.run("show", id).out.contains("still missing before submit"))
        let completed = await cli.run(
            "edit", id, "--as", "wang", "--cause", "降雨", "--injuries", "2", "--property-loss", "5万元", "--course", "经过",
            "--consequences", "中断", "--impact", "双向", "--trend", "可控", "--leader-on-site", "yes", "--initial-measures", "封路",
            "--next-measures", "清理", "--reporter", "王小明", "--reporter-contact", "138")
        #expect(completed.succeeded)
        #expect(await cli.run("submit", id, "--as", "wang").succeeded)
        let shown = try JSONSerialization.jsonObject(with: Data(await cli.run("show", id, "--json").out.utf8)) as? [String: Any]
        #expect(shown?["eventTime"] as? String == "2026-11-22T01:10:00.000Z", "a local time is read in Asia/Shanghai")
        #expect((shown?["emergency"] as? [String: Any])?["leaderOnSite"] as? Bool == true)
    }

    @Test("policy load takes a partial file; a bad key is named; policy show prints the result")
    func policyLoad() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let good = cli.directory.appendingPathComponent("p.json")
        try Data(#"{"lengthLimits": {"dynamic": 5}, "lengthLimitEnforcement": "refuse"}"#.utf8).write(to: good)
        await cli.ok(["member", "add", "--id", "qian", "--name", "钱管理员", "--role", "admin"])
        #expect(await cli.run("policy", "load", good.path, "--as", "zhao").err.contains("only an admin may change the policy"))
        #expect(await cli.run("policy", "load", good.path, "--as", "qian").succeeded)
        let bad = cli.directory.appendingPathComponent("bad.json")
        try Data(#"{"quota": {}}"#.utf8).write(to: bad)
        let refused = await cli.run("policy", "load", bad.path, "--as", "qian")
        #expect(refused.exitCode == 1 && refused.err.contains("unknown key 'quota'"))
        let shown = try JSONSerialization.jsonObject(with: Data(await cli.run("policy", "show").out.utf8)) as? [String: Any]
        #expect((shown?["lengthLimits"] as? [String: Int])?["dynamic"] == 5)
        let id = await cli.ok(["draft", "--as", "wang", "--category", "dynamic", "--title", "t", "--body", "六个字的正文"])
        #expect(await cli.run("submit", id, "--as", "wang").err.contains("at most 5"), "the loaded limit is in force at the submission")
    }

    @Test("a missing replica file is refused with how to create one")
    func missingReplica() async throws {
        let cli = try CLIHarness()
        let outcome = await cli.run("list")
        #expect(outcome.exitCode == 1 && outcome.err.contains("report-cli init"))
    }
}

@Suite("report-cli digest")
struct CLIDigestTests {
    @Test("digest prints the state's fingerprint; it changes with a write and --unit narrows it")
    func digest() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let empty = await cli.run("digest").out
        #expect(empty.trimmingCharacters(in: .newlines).count == 64)
        await cli.run("draft", "--as", "wang", "--category", "dynamic", "--title", "t", "--body", "b")
        let after = await cli.run("digest").out
        #expect(after != empty)
        let json = try JSONSerialization.jsonObject(with: Data(await cli.run("digest", "--unit", "squad-3", "--json").out.utf8)) as? [String: Any]
        #expect(json?["reports"] as? Int == 1 && (json?["digest"] as? String)?.count == 64)
        #expect(json?["digest"] as? String != after.trimmingCharacters(in: .newlines), "the unit digest leaves out reference data")
    }
}
