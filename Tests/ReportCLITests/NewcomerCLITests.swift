import Foundation
import ReportCLI
import SyncCore
import Testing

/// What a person new to report-cli expects of it (the newcomer issue): global options anywhere, times
/// that name their zone, misspelt keys caught, attachments that can be fixed, a short history, titles
/// that are visible and output that cannot repaint the terminal, secret reports seen in `status`, and
/// defaults kept in a config file.
@Suite("report-cli as a newcomer expects it")
struct NewcomerCLITests {
    let cli: CLIHarness

    init() async throws {
        cli = try CLIHarness()
        await cli.staffedReplica()
    }

    func draft(_ title: String = "巡查", _ more: String...) async -> String {
        await cli.ok(["draft", "--as", "wang", "--category", "dynamic", "--title", title, "--body", "正文"] + more)
    }

    @Test("--db, --as, --json and --pin-file work before the subcommand as after it, also before a nested one")
    func globalOptionsFirst() async throws {
        let db = cli.environment["REPORT_DB"]!
        cli.environment["REPORT_DB"] = nil
        let id = await cli.ok(["--db", db, "--as", "wang", "draft", "--category", "dynamic", "--title", "t", "--body", "b"])
        #expect(UUID(uuidString: id) != nil)
        let listed = await cli.ok(["--json", "--db=\(db)", "list"])
        #expect((try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [Any])?.count == 1)
        #expect(await cli.run("--db", db, "conflicts", "list").succeeded)
        #expect(await cli.run("--db", db, "--as", "wang", "--pin-file", cli.environment["REPORT_PIN_FILE"]!, "submit", id).succeeded)
        // Given again after the subcommand, the later one wins, as it would with both after it.
        #expect(await cli.run("--db", "/nonexistent/x.sqlite", "list", "--db", db).succeeded)
        #expect(await cli.run("--db", "/nonexistent/x.sqlite", "conflicts", "list", "--db", db).succeeded)
        #expect(await cli.run("--db", db, "list", "--db", "/nonexistent/x.sqlite").exitCode == 1)
        // An argument that looks like a global option after the subcommand is left where it is.
        #expect(await cli.run("list", "--db", db).succeeded)
        #expect(await cli.run("--db", db).exitCode == 64, "no subcommand: a usage error")
    }

    @Test("human output names the time zone; a time printed that way reads back as input")
    func timesNameTheirZone() async throws {
        let id = await draft()
        let history = await cli.ok(["history", id])
        #expect(history.contains(" +08:00"), "\(history)")
        let listed = await cli.ok(["list"])
        #expect(listed.contains(" +08:00"), "\(listed)")
        #expect(TimestampParser.parse("2026-11-30 07:46 +08:00", timeZone: TimeZone(identifier: "UTC")!)
            == TimestampParser.parse("2026-11-29T23:46:00Z", timeZone: TimeZone(identifier: "UTC")!))
    }

    @Test("--from-file refuses unknown keys, at the top and inside emergency and attachments, naming the nearest known key")
    func unknownKeysRefused() async throws {
        let file = cli.directory.appendingPathComponent("r.json")
        try #"{"category": "emergency", "title": "火情", "emergency": {"reporter": "王"}, "atachments": [], "boddy": "x"}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let outcome = await cli.run("draft", "--as", "wang", "--from-file", file.path)
        #expect(outcome.exitCode == 1)
        #expect(outcome.err.contains(#"unknown key "emergency.reporter": did you mean "emergency.reporterName"?"#), "\(outcome.err)")
        #expect(outcome.err.contains(#""atachments": did you mean "attachments"?"#), "\(outcome.err)")
        #expect(outcome.err.contains(#""boddy": did you mean "body"?"#), "\(outcome.err)")
        let listed = await cli.ok(["list"])
        #expect(!listed.contains("火情"), "nothing written")
        try #"{"category": "dynamic", "title": "t", "attachments": [{"name": "a.jpg", "captoin": "c"}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let nested = await cli.run("draft", "--as", "wang", "--from-file", file.path)
        #expect(nested.err.contains(#""attachments[0].captoin": did you mean "attachments[0].caption"?"#), "\(nested.err)")
    }

    @Test("what show --json prints reads back through --from-file: its own keys are taken back without being written")
    func showJSONRoundTrip() async throws {
        let id = await draft("原标题", "--place", "北门")
        let shown = await cli.ok(["show", id, "--json"])
        var object = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "draft" && object["drafter"] as? String == "wang")
        object["title"] = "改过的标题"
        object["state"] = "adopted"
        let file = cli.directory.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        await cli.ok(["edit", id, "--as", "wang", "--from-file", file.path])
        let after = try #require(try JSONSerialization.jsonObject(with: Data(await cli.ok(["show", id, "--json"]).utf8)) as? [String: Any])
        #expect(after["title"] as? String == "改过的标题" && after["place"] as? String == "北门")
        #expect(after["state"] as? String == "draft", "the state is the workflow's, not the file's")
    }

    @Test("a photo without a caption is fixed by attaching it again under its name, or removed; no duplicate")
    func attachmentsReplaceAndRemove() async throws {
        try Data("photo".utf8).write(to: cli.directory.appendingPathComponent("scene.jpg"))
        try Data("note".utf8).write(to: cli.directory.appendingPathComponent("note.pdf"))
        let id = await draft("现场", "--attach", "scene.jpg", "--attach", "note.pdf")
        let stuck = await cli.run("submit", id, "--as", "wang")
        #expect(stuck.exitCode == 1 && stuck.err.contains("--attach 'scene.jpg=CAPTION'"), "\(stuck.err)")
        await cli.ok(["edit", id, "--as", "wang", "--attach", "scene.jpg=中队夜查现场"])
        var shown = try JSONSerialization.jsonObject(with: Data(await cli.ok(["show", id, "--json"]).utf8)) as? [String: Any]
        var attachments = shown?["attachments"] as? [[String: Any]] ?? []
        #expect(attachments.map { $0["name"] as? String } == ["scene.jpg", "note.pdf"], "replaced in place, not added")
        #expect(attachments.first?["caption"] as? String == "中队夜查现场")
        #expect(attachments.first?["size"] as? Int == 5 && attachments.first?["mediaType"] as? String == "image/jpeg", "the caption kept the file")
        await cli.ok(["edit", id, "--as", "wang", "--remove-attachment", "note.pdf"])
        shown = try JSONSerialization.jsonObject(with: Data(await cli.ok(["show", id, "--json"]).utf8)) as? [String: Any]
        attachments = shown?["attachments"] as? [[String: Any]] ?? []
        #expect(attachments.map { $0["name"] as? String } == ["scene.jpg"])
        #expect(await cli.run("submit", id, "--as", "wang").succeeded)
    }

    @Test("history names what a version changed: the creating one only the fields it filled in")
    func conciseHistory() async throws {
        let id = await draft()
        await cli.ok(["edit", id, "--as", "wang", "--body", "新的正文"])
        let history = await cli.ok(["history", id])
        let created = try #require(history.split(separator: "\n").first { $0.contains("created (v1)") })
        #expect(!created.contains("attachments") && !created.contains("place") && !created.contains("emergency"), "\(created)")
        #expect(created.contains("title") && created.contains("body"))
        #expect(history.contains("edited (v2): body"), "\(history)")
    }

    @Test("a title of only zero-width, space or control characters is refused; control characters are escaped on output")
    func invisibleTitlesAndEscapes() async throws {
        for title in ["\u{200B}\u{200B}", " \u{3000} ", "\u{1B}[2J", "\u{FEFF}\u{200D}", "\u{2800}\u{2800}", "\u{0301}\u{20DD}", "\u{3164}"] {
            let outcome = await cli.run("draft", "--as", "wang", "--category", "dynamic", "--title", title)
            #expect(outcome.exitCode == 1, "title \(title.unicodeScalars.map { String($0.value, radix: 16) }) should be refused")
        }
        let escape = await cli.run("draft", "--as", "wang", "--category", "dynamic", "--title", "夜查\u{1B}[31m红")
        #expect(escape.exitCode == 1 && escape.err.contains("control characters"))
        // A body may hold what a title may not; on the terminal it is shown escaped.
        let id = await draft("正常", "--body", "第一行\n\u{1B}[2J清屏\u{202E}反向")
        let shown = await cli.ok(["show", id])
        #expect(!shown.contains("\u{1B}") && shown.contains("\\u001b[2J清屏"), "\(shown)")
        #expect(!shown.contains("\u{202E}") && shown.contains("\\u202e"))
        let json = await cli.ok(["show", id, "--json"])
        let body = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["body"] as? String
        #expect(body == "第一行\n\u{1B}[2J清屏\u{202E}反向", "JSON output stays valid and means the same")
    }

    @Test("status shows the secret reports a replica keeps, standalone as on a field")
    func secretReportsInStatus() async throws {
        _ = await draft("涉密", "--classification", "secret")
        let status = await cli.ok(["status"])
        #expect(status.contains("secret reports:       1"), "\(status)")
        let json = try JSONSerialization.jsonObject(with: Data(await cli.ok(["status", "--json"]).utf8)) as? [String: Any]
        #expect(json?["secretReports"] as? Int == 1)
    }

    @Test("deadlines, score and bulletin asked of a unit's replica say on stderr that they cover that unit only")
    func officeFiguresNameTheirReplica() async throws {
        for command in [["deadlines"], ["score", "--month", "2026-10"], ["bulletin", "--month", "2026-10"]] {
            let outcome = await cli.run(command)
            #expect(outcome.succeeded, "\(command): \(outcome.err)")
            #expect(outcome.err.contains("is squad-3's own replica, so these figures cover squad-3 only"), "\(command): \(outcome.err)")
        }
    }

    @Test("a config file gives the defaults; the environment and flags win over it; unknown keys are refused")
    func configFile() async throws {
        let db = cli.environment["REPORT_DB"]!
        cli.environment["REPORT_DB"] = nil
        #expect(await cli.run("list").exitCode == 1, "no replica at ./report.sqlite")
        await cli.ok(["config", "set", "db", db])
        await cli.ok(["config", "set", "as", "wang"])
        let id = await cli.ok(["draft", "--category", "dynamic", "--title", "t", "--body", "b"])
        #expect(await cli.ok(["list"]).contains(String(id.prefix(8))))
        let shown = await cli.ok(["config", "show"])
        #expect(shown.contains("from the config file"), "\(shown)")
        cli.environment["REPORT_DB"] = cli.directory.appendingPathComponent("other.sqlite").path
        #expect(await cli.ok(["config", "show"]).contains("from $REPORT_DB"))
        #expect(await cli.ok(["config", "show", "--db", db]).contains("from the command line"))
        #expect(await cli.run("config", "set", "dbb", "x").err.contains("did you mean db?"))
        cli.environment["REPORT_DB"] = nil
        try #"{"db": "x", "actor": "wang"}"#.write(toFile: cli.environment["REPORTSYNC_CONFIG"]!, atomically: true, encoding: .utf8)
        let refused = await cli.run("list")
        #expect(refused.exitCode == 1 && refused.err.contains(#"unknown key "actor" (known keys: db, as, central)"#), "\(refused.err)")
    }
}
