import Foundation
import Store
import SyncCore
import TestSupport
import Testing

/// `report-cli conflicts` and `history` on two field replicas and a real central over loopback HTTP:
/// each conflict kind is built by people working offline, then inspected and settled through the CLI.
@Suite("Conflicts from the command line")
struct ConflictCommandTests {
    let cli: CLIHarness
    let central: LoopbackCentral

    init() async throws {
        cli = try CLIHarness()
        central = try await LoopbackCentral(in: cli.directory)
        try await ok("init", "--db", "laptop.sqlite", "--central", central.url, "--token", central.tokens[0])
        try await ok("init", "--db", "tablet.sqlite", "--central", central.url, "--token", central.tokens[1])
        for db in ["laptop.sqlite", "tablet.sqlite"] { try central.setUpKeys(["wang", "li", "zhao"], on: db, in: cli.directory) }
        try central.setUpKeys(["chen"], on: "central.sqlite", in: cli.directory)
        try await sync("laptop.sqlite", "tablet.sqlite")
    }

    @discardableResult
    func ok(_ arguments: String...) async throws -> String {
        await cli.ok(arguments)
    }

    func json(_ arguments: String...) async throws -> Any {
        let outcome = await cli.run(arguments + ["--json"])
        #expect(outcome.succeeded, "report-cli \(arguments.joined(separator: " ")): \(outcome.err)")
        return try JSONSerialization.jsonObject(with: Data(outcome.out.utf8))
    }

    func conflicts(_ db: String, _ filters: String...) async throws -> [[String: Any]] {
        try #require(try await json(["conflicts", "list", "--db", db] + filters) as? [[String: Any]])
    }

    func json(_ arguments: [String]) async throws -> Any {
        let outcome = await cli.run(arguments + ["--json"])
        #expect(outcome.succeeded, "report-cli \(arguments.joined(separator: " ")): \(outcome.err)")
        return try JSONSerialization.jsonObject(with: Data(outcome.out.utf8))
    }

    func sync(_ dbs: String...) async throws {
        for db in dbs { try await ok("sync", "--db", db) }
    }

    /// A report drafted on the laptop, reviewed, and known to both devices.
    func reviewedReport() async throws -> String {
        let id = try await ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "中队开展夜查。")
        try await ok("submit", id, "--db", "laptop.sqlite", "--as", "wang")
        try await ok("review", id, "--db", "laptop.sqlite", "--as", "li")
        try await sync("laptop.sqlite", "tablet.sqlite")
        return id
    }

    @Test("field value: the later title wins, the loser and the rule are listed; keeping the loser closes it on the other device after sync")
    func fieldValue() async throws {
        defer { central.stop() }
        let id = try await ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "b")
        try await sync("laptop.sqlite", "tablet.sqlite")
        try await ok("edit", id, "--db", "laptop.sqlite", "--as", "wang", "--title", "城东夜查行动")
        try await ok("edit", id, "--db", "tablet.sqlite", "--as", "li", "--title", "城西夜查行动")
        try await sync("laptop.sqlite", "tablet.sqlite", "laptop.sqlite")

        for db in ["laptop.sqlite", "tablet.sqlite", "central.sqlite"] {
            let list = try await conflicts(db)
            #expect(list.count == 1, "\(db) lists the same conflict")
            let c = try #require(list.first)
            #expect(c["kind"] as? String == "field-value" && c["status"] as? String == "open" && c["report"] as? String == id)
            #expect((c["winner"] as? [String: Any])?["value"] as? String == "城西夜查行动")
            #expect((c["winner"] as? [String: Any])?["actor"] as? String == "li")
            #expect((c["loser"] as? [String: Any])?["value"] as? String == "城东夜查行动")
            #expect(c["rule"] as? String == "later-clock-wins")
        }
        let conflictID = try #require(try await conflicts("laptop.sqlite").first?["id"] as? String)
        let shown = try #require(try await json("conflicts", "show", String(conflictID.prefix(6)), "--db", "laptop.sqlite") as? [String: Any])
        #expect(shown["field"] as? String == "title")
        let diff = try #require(shown["diff"] as? [[String: Any]])
        #expect(diff.contains { $0["op"] as? String == "removed" && $0["text"] as? String == "东" })
        #expect(diff.contains { $0["op"] as? String == "added" && $0["text"] as? String == "西" })
        #expect(try await ok("conflicts", "show", conflictID, "--db", "laptop.sqlite").contains("[-东-]{+西+}"))

        try await ok("conflicts", "resolve", conflictID, "--keep", "loser", "--db", "laptop.sqlite", "--as", "wang")
        #expect(try await conflicts("tablet.sqlite", "--open").count == 1, "the tablet has not synced yet")
        try await sync("laptop.sqlite", "tablet.sqlite")
        let settled = try #require(try await conflicts("tablet.sqlite").first)
        #expect(settled["status"] as? String == "resolved")
        let resolution = try #require(settled["resolution"] as? [String: Any])
        #expect(resolution["how"] as? String == "kept-loser" && resolution["actor"] as? String == "wang")
        #expect((try await json("show", id, "--db", "tablet.sqlite") as? [String: Any])?["title"] as? String == "城东夜查行动")
        #expect(try await conflicts("tablet.sqlite", "--open").isEmpty)

        let history = try #require(try await json("history", id, "--db", "tablet.sqlite") as? [String: Any])
        let entries = try #require(history["entries"] as? [[String: Any]])
        #expect(entries.contains { $0["outcome"] as? String == "lost" && $0["actor"] as? String == "wang" }, "wang's first title lost")
        #expect(entries.contains { $0["kind"] as? String == "resolution" && $0["actor"] as? String == "wang" })
    }

    @Test("approval transition: a withdrawal loses to a concurrent sign-off; only the unit head or leader may settle it")
    func approvalTransition() async throws {
        defer { central.stop() }
        let id = try await reviewedReport()
        try await ok("withdraw", id, "--db", "laptop.sqlite", "--as", "wang")
        try await ok("sign", id, "--db", "tablet.sqlite", "--as", "zhao")
        try await sync("laptop.sqlite", "tablet.sqlite", "laptop.sqlite")
        let list = try await conflicts("laptop.sqlite", "--kind", "approval-transition")
        let c = try #require(list.first)
        #expect(list.count == 1)
        #expect((c["loser"] as? [String: Any])?["action"] as? String == "withdraw")
        #expect((c["winner"] as? [String: Any])?["action"] as? String == "sign")
        #expect(c["rule"] as? String == "causal-order-then-precedence")
        let conflictID = try #require(c["id"] as? String)

        let digest = try await ok("digest", "--db", "laptop.sqlite")
        let refused = await cli.run("conflicts", "resolve", conflictID, "--keep", "winner", "--db", "laptop.sqlite", "--as", "wang")
        #expect(refused.exitCode == 1 && refused.err.contains("may not resolve"))
        let noValue = await cli.run("conflicts", "resolve", conflictID, "--keep", "value", "--value", "x", "--db", "laptop.sqlite", "--as", "li")
        #expect(noValue.exitCode == 1 && noValue.err.contains("not a value"))
        #expect(try await ok("digest", "--db", "laptop.sqlite") == digest, "nothing was written")

        try await ok("conflicts", "resolve", conflictID, "--keep", "winner", "--db", "laptop.sqlite", "--as", "li")
        let again = await cli.run("conflicts", "resolve", conflictID, "--keep", "winner", "--db", "laptop.sqlite", "--as", "li")
        #expect(again.exitCode == 1 && again.err.contains("already resolved"))
        try await sync("laptop.sqlite")
        let atCentral = try #require(try await conflicts("central.sqlite", "--kind", "approval-transition").first)
        #expect(atCentral["status"] as? String == "resolved")
        let history = try #require(try await json("history", id, "--db", "central.sqlite") as? [String: Any])
        #expect((history["because"] as? String)?.contains("receive") == true, "signed reports are received on arrival")
        let entries = try #require(history["entries"] as? [[String: Any]])
        #expect(entries.contains { $0["action"] as? String == "withdraw" && $0["outcome"] as? String == "not-applied" })
    }

    @Test("stale approval: a sign-off made while the body changed does not stand; reviewing again settles it everywhere")
    func staleApproval() async throws {
        defer { central.stop() }
        let id = try await reviewedReport()
        try await ok("edit", id, "--db", "laptop.sqlite", "--as", "wang", "--body", "中队开展夜查，检查场所12处。")
        try await ok("sign", id, "--db", "tablet.sqlite", "--as", "zhao")
        // The edit reaches the central first (a sign-off that got there first would stand, and the edit be refused).
        try await sync("laptop.sqlite", "tablet.sqlite", "laptop.sqlite")
        let stale = try #require(try await conflicts("tablet.sqlite", "--kind", "stale-approval").first)
        #expect((stale["loser"] as? [String: Any])?["actor"] as? String == "zhao")
        #expect((stale["winner"] as? [String: Any])?["actor"] as? String == "wang")
        #expect(stale["rule"] as? String == "approval-bound-to-content")
        let report = try #require(try await json("show", id, "--db", "tablet.sqlite") as? [String: Any])
        #expect(report["state"] as? String == "awaiting-review")
        let history = try #require(try await json("history", id, "--db", "tablet.sqlite") as? [String: Any])
        #expect((history["because"] as? String)?.contains("did not stand") == true)

        try await ok("review", id, "--db", "laptop.sqlite", "--as", "li")
        try await sync("laptop.sqlite", "tablet.sqlite")
        let settled = try #require(try await conflicts("tablet.sqlite", "--kind", "stale-approval").first)
        #expect(settled["status"] as? String == "resolved")
        #expect((settled["resolution"] as? [String: Any])?["how"] as? String == "superseded")
    }

    @Test("rejected by central and pending dependency are listed with their reasons; a refusal can only be dismissed")
    func refusalsAndWaits() async throws {
        defer { central.stop() }
        // A squad-4 member drafts on squad-3's laptop: the central refuses what this device may not send.
        let foreign = try await ok("draft", "--db", "laptop.sqlite", "--as", "sun", "--category", "dynamic", "--title", "借用设备", "--body", "b")
        try await sync("laptop.sqlite")
        let refused = try #require(try await conflicts("laptop.sqlite", "--kind", "rejected-by-central").first)
        #expect(refused["report"] as? String == foreign)
        #expect((refused["reason"] as? String)?.contains("does not sync for") == true)
        #expect((refused["loser"] as? [String: Any])?["actor"] as? String == "sun")
        #expect(refused["winner"] is NSNull)
        let refusedID = try #require(refused["id"] as? String)
        let keep = await cli.run("conflicts", "resolve", refusedID, "--keep", "loser", "--db", "laptop.sqlite", "--as", "li")
        #expect(keep.exitCode == 1 && keep.err.contains("cannot be kept"))
        try await ok("conflicts", "resolve", refusedID, "--keep", "winner", "--db", "laptop.sqlite", "--as", "sun")
        #expect(try await conflicts("laptop.sqlite", "--kind", "rejected-by-central", "--open").isEmpty)
        let history = try #require(try await json("history", foreign, "--db", "laptop.sqlite") as? [String: Any])
        #expect((history["entries"] as? [[String: Any]])?.first?["outcome"] as? String == "refused")

        // A field device cannot take the central office's steps: the central would refuse them.
        let id = try await reviewedReport()
        let central = await cli.run("receive", id, "--db", "laptop.sqlite", "--as", "chen")
        #expect(central.exitCode == 1 && central.err.contains("central replica"))

        // Two offline edits on the laptop; the tablet is handed only the second one.
        try await ok("edit", id, "--db", "laptop.sqlite", "--as", "wang", "--body", "第一次修改")
        try await ok("edit", id, "--db", "laptop.sqlite", "--as", "wang", "--body", "第二次修改")
        let laptop = try Replica.open(at: cli.directory.appendingPathComponent("laptop.sqlite").path)
        let tablet = try Replica.open(at: cli.directory.appendingPathComponent("tablet.sqlite").path)
        _ = try tablet.receive([try #require(try laptop.changes().last?.change)])
        let waiting = try #require(try await conflicts("tablet.sqlite", "--kind", "pending-dependency").first)
        #expect(waiting["status"] as? String == "open" && waiting["rule"] as? String == "wait-for-causes")
        let waitingHistory = try #require(try await json("history", id, "--db", "tablet.sqlite") as? [String: Any])
        #expect((waitingHistory["entries"] as? [[String: Any]])?.contains { $0["outcome"] as? String == "waiting" } == true)
        try await sync("laptop.sqlite", "tablet.sqlite")
        #expect(try await conflicts("tablet.sqlite", "--kind", "pending-dependency").isEmpty, "it applied once its cause arrived")
    }

    @Test("stats count by kind, unit and week; bad handles and filters get one clear line")
    func statsAndBadInput() async throws {
        defer { central.stop() }
        let id = try await reviewedReport()
        try await ok("withdraw", id, "--db", "laptop.sqlite", "--as", "wang")
        try await ok("sign", id, "--db", "tablet.sqlite", "--as", "zhao")
        try await sync("laptop.sqlite", "tablet.sqlite")
        let stats = try #require(try await json("conflicts", "stats", "--db", "central.sqlite") as? [String: Any])
        #expect((stats["all"] as? [String: Any])?["total"] as? Int == 1)
        #expect((stats["byUnit"] as? [[String: Any]])?.first?["key"] as? String == "squad-3")
        #expect((stats["byWeek"] as? [[String: Any]])?.first?["key"] as? String != nil)
        #expect(try await ok("conflicts", "stats", "--db", "central.sqlite").contains("approval-transition"))

        let unknown = await cli.run("conflicts", "show", "ffffffffff", "--db", "central.sqlite")
        #expect(unknown.exitCode == 1 && unknown.err.contains("no conflict ffffffffff"))
        let badSince = await cli.run("conflicts", "list", "--since", "yesterday", "--db", "central.sqlite")
        #expect(badSince.exitCode == 1 && badSince.err.contains("--since"))
        #expect(try await conflicts("central.sqlite", "--since", "2999-01-01").isEmpty)
        #expect(try await conflicts("central.sqlite", "--unit", "squad-4").isEmpty)
    }
}

extension ConflictCommandTests {
    @Test("a change the central refuses is voided: the device's later edits still reach it, and every copy ends equal")
    func refusedThenVoided() async throws {
        defer { central.stop() }
        var strict = try central.replica.policy()
        strict.maxClockSkewSeconds = 60
        try central.replica.setPolicy(strict, by: "qian")
        let id = try await ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "初稿")
        try await sync("laptop.sqlite", "tablet.sqlite")
        // The laptop's clock runs two minutes ahead: beyond the 60 s the central tolerates today.
        let laptopPath = cli.directory.appendingPathComponent("laptop.sqlite").path
        let fast = try Replica.open(at: laptopPath, now: { Date().addingTimeInterval(120) })
        var retitle = ReportPatch()
        retitle.title = "快钟的标题"
        _ = try fast.edit(id, with: retitle, by: "wang")
        try await sync("laptop.sqlite")
        let refused = try #require(try await conflicts("laptop.sqlite", "--kind", "rejected-by-central").first)
        #expect((refused["reason"] as? String)?.contains("in the future") == true)
        #expect((try await json("show", id, "--db", "laptop.sqlite") as? [String: Any])?["title"] as? String == "夜查", "the refused title is gone here too")

        // The central relaxes; an edit that saw the refused one is accepted, not left waiting.
        strict.maxClockSkewSeconds = 300
        try central.replica.setPolicy(strict, by: "qian")
        var rebody = ReportPatch()
        rebody.body = "修改后的正文"
        _ = try fast.edit(id, with: rebody, by: "wang")
        try await sync("laptop.sqlite", "tablet.sqlite")
        #expect(try await conflicts("central.sqlite", "--kind", "pending-dependency").isEmpty)
        let central = try await ok("digest", "--db", "central.sqlite", "--unit", "squad-3")
        #expect(try await ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == central)
        #expect(try await ok("digest", "--db", "tablet.sqlite", "--unit", "squad-3") == central)
        #expect((try await json("show", id, "--db", "tablet.sqlite") as? [String: Any])?["body"] as? String == "修改后的正文")
        let history = try #require(try await json("history", id, "--db", "laptop.sqlite") as? [String: Any])
        #expect((history["entries"] as? [[String: Any]])?.contains {
            $0["outcome"] as? String == "refused" && ($0["note"] as? String)?.contains("without effect") == true
        } == true, "the refused write is still in its writer's history")
    }
}
