import Foundation
import StorePostgres
import TestSupport
import Testing

/// A central `syncd serve` on a loopback port and field replicas driven through the real `report-cli`;
/// the scenarios that need nothing of the central office's commands run on a central in a SQLite file
/// and on one in PostgreSQL (`CentralKind`), the same test code.
@Suite("End to end across processes", .serialized)
struct EndToEndTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func syncd(_ arguments: String...) throws -> String {
        let result = try Binaries.run("syncd", arguments, in: directory)
        #expect(result.status == 0, "syncd \(arguments): \(result.err)")
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func cli(_ arguments: String...) throws -> (status: Int32, out: String, err: String) {
        try Binaries.run("report-cli", arguments, in: directory)
    }

    func ok(_ arguments: String...) throws -> String {
        let result = try Binaries.run("report-cli", arguments, in: directory)
        #expect(result.status == 0, "report-cli \(arguments): \(result.err)")
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `syncd run` on field replica `db`, every second, its output dropped.
    func startDaemon(db: String) throws -> Process {
        let daemon = Process()
        daemon.executableURL = Binaries.directory.appendingPathComponent("syncd")
        daemon.arguments = ["run", "--db", db, "--interval", "1"]
        daemon.currentDirectoryURL = directory
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        return daemon
    }

    /// The central served on loopback behind a `LoggingProxy`, with the laptop and the tablet set up
    /// through the proxy (`tokens` from `bureau()`): where the tests that watch the wire start. The
    /// caller stops both.
    func centralBehindProxy(
        _ tokens: (laptop: String, tablet: String), db: String = "central.sqlite"
    ) async throws -> (server: ServerProcess, proxy: LoggingProxy) {
        let server = try await ServerProcess.start(db: db, in: directory)
        let proxy: LoggingProxy
        do { proxy = try await LoggingProxy.start(upstream: server.url) } catch {
            server.stop()
            throw error
        }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", proxy.url, "--token", tokens.laptop)
        _ = try ok("init", "--db", "tablet.sqlite", "--central", proxy.url, "--token", tokens.tablet)
        return (server, proxy)
    }

    /// A bureau with squad-3 and its people, and two enrolled devices of squad-3.
    func bureau() throws -> (laptop: String, tablet: String) {
        _ = try syncd("init", "--db", "central.sqlite", "--bureau", "某某局")
        _ = try syncd("unit", "add", "--db", "central.sqlite", "--id", "squad-3", "--name", "第三中队")
        _ = try syncd("unit", "add", "--db", "central.sqlite", "--id", "squad-4", "--name", "第四中队")
        for (id, unit, role) in [
            ("wang", "squad-3", "drafter"), ("li", "squad-3", "unit-head"), ("zhao", "bureau", "leader"), ("chen", "bureau", "central-editor"),
            ("sun", "squad-4", "drafter"),
        ] {
            _ = try syncd("member", "add", "--db", "central.sqlite", "--id", id, "--name", id, "--unit", unit, "--role", role)
        }
        return (
            try syncd("enroll", "--db", "central.sqlite", "--unit", "squad-3", "--device", "laptop"),
            try syncd("enroll", "--db", "central.sqlite", "--unit", "squad-3", "--device", "tablet")
        )
    }

    /// The central of `bureau()` as `kind` keeps it: the file's path, or the URL of its copy in a fresh
    /// PostgreSQL database (`syncd migrate`'s copy, enrolments included).
    func central(_ kind: CentralKind) async throws -> String {
        switch kind {
        case .sqlite: return "central.sqlite"
        case .postgres:
            return TestPostgres.url(of: try await TestPostgres.copy(centralAt: directory.appendingPathComponent("central.sqlite").path))
        }
    }

    /// The digest of `unit`'s reports at the central `db`.
    func centralDigest(_ db: String, unit: String) async throws -> String {
        guard PostgresAddress.isAddress(db) else { return try ok("digest", "--db", db, "--unit", unit) }
        return try await PostgresDatabase.with(try PostgresAddress(parsing: db)) { try await $0.digest(unit: unit) }
    }

    /// The ids of every report the central `db` holds.
    func centralReports(_ db: String) async throws -> Set<String> {
        guard PostgresAddress.isAddress(db) else {
            let listed = try JSONSerialization.jsonObject(with: Data(try ok("list", "--db", db, "--json").utf8)) as? [[String: Any]]
            return Set(listed?.compactMap { $0["id"] as? String } ?? [])
        }
        return Set(try await PostgresDatabase.with(try PostgresAddress(parsing: db)) { try await $0.rows("SELECT id FROM reports", as: String.self) })
    }

    @Test("two devices edit offline, sync in different orders, and end with the central's digest; conflicts and returns reach the field")
    func offlineEditsConverge() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        defer { server.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        _ = try ok("init", "--db", "tablet.sqlite", "--central", server.url, "--token", tokens.tablet)
        for db in ["laptop.sqlite", "tablet.sqlite"] { try Binaries.setUpKeys(["wang", "li", "zhao"], on: db, in: directory) }
        try Binaries.setUpKeys(["chen"], on: "central.sqlite", in: directory)

        let id = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "初稿")
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")
        // Offline on both devices: the same field, and another field.
        _ = try ok("edit", id, "--db", "laptop.sqlite", "--as", "wang", "--title", "笔记本的标题")
        _ = try ok("edit", id, "--db", "tablet.sqlite", "--as", "li", "--title", "平板的标题", "--place", "城东")
        _ = try ok("sync", "--db", "tablet.sqlite")
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")
        let central = try ok("digest", "--db", "central.sqlite", "--unit", "squad-3")
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == central)
        #expect(try ok("digest", "--db", "tablet.sqlite", "--unit", "squad-3") == central)
        let shown = try JSONSerialization.jsonObject(with: Data(try ok("show", id, "--db", "laptop.sqlite", "--json").utf8)) as? [String: Any]
        #expect(shown?["title"] as? String == "平板的标题", "the later write wins")
        #expect(shown?["place"] as? String == "城东", "a different field merges in")
        let conflicts = shown?["conflicts"] as? [[String: Any]]
        #expect(conflicts?.count == 1 && conflicts?.first?["field"] as? String == "title")
        #expect((conflicts?.first?["loser"] as? [String: Any])?["value"] as? String == "\"笔记本的标题\"", "the losing title is kept")

        // Up the workflow, received on arrival, returned by the central office, seen on the field.
        for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] {
            _ = try ok(action, id, "--db", "laptop.sqlite", "--as", actor)
        }
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("return", id, "--db", "central.sqlite", "--as", "chen", "--comment", "请补充数据")
        _ = try ok("sync", "--db", "tablet.sqlite")
        let returned = try JSONSerialization.jsonObject(with: Data(try ok("show", id, "--db", "tablet.sqlite", "--json").utf8)) as? [String: Any]
        #expect(returned?["state"] as? String == "returned")
        #expect(returned?["lastComment"] as? String == "请补充数据")

        // Revised, submitted, reviewed and signed again, it goes back up and is received again.
        _ = try ok("edit", id, "--db", "tablet.sqlite", "--as", "wang", "--body", "补充了数据")
        for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] {
            _ = try ok(action, id, "--db", "tablet.sqlite", "--as", actor)
        }
        _ = try ok("sync", "--db", "tablet.sqlite")
        let again = try JSONSerialization.jsonObject(with: Data(try ok("show", id, "--db", "central.sqlite", "--json").utf8)) as? [String: Any]
        #expect(again?["state"] as? String == "received")
        #expect(again?["body"] as? String == "补充了数据")
    }

    @Test("a change the central refuses is shown on the field and does not block the rest", arguments: CentralKind.underTest)
    func rejectionsVisible(kind: CentralKind) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let db = try await central(kind)
        let server = try await ServerProcess.start(db: db, in: directory)
        defer { server.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        // A squad-4 member drafts on squad-3's laptop; the device may not send squad-4's reports.
        let id = try ok("draft", "--db", "laptop.sqlite", "--as", "sun", "--category", "dynamic", "--title", "t", "--body", "b")
        let other = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "t2", "--body", "b2")
        let sync = try ok("sync", "--db", "laptop.sqlite")
        #expect(sync.contains("rejected 1"))
        let rejected = try JSONSerialization.jsonObject(with: Data(try ok("list", "--db", "laptop.sqlite", "--rejected", "--json").utf8)) as? [[String: Any]]
        #expect(rejected?.count == 1 && rejected?.first?["report"] as? String == id)
        #expect((rejected?.first?["reason"] as? String)?.contains("does not sync for") == true)
        #expect(try ok("status", "--db", "laptop.sqlite").contains("rejected by central:  1"))
        #expect(try await centralReports(db).contains(other), "the change after the refused one went through")
    }

    @Test(
        "the server killed in the middle of a push: after a restart the next sync loses nothing and duplicates nothing",
        arguments: CentralKind.underTest)
    func serverKilledMidPush(kind: CentralKind) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let db = try await central(kind)
        var server = try await ServerProcess.start(db: db, in: directory)
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        let file = directory.appendingPathComponent("report.json")
        try Data(#"{"category": "dynamic", "title": "批量", "body": "正文"}"#.utf8).write(to: file)
        for _ in 0..<40 { _ = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--from-file", file.path) }
        let pushing = Task.detached { try Binaries.run("report-cli", ["sync", "--db", "laptop.sqlite"], in: directory) }
        server.kill()
        _ = try await pushing.value
        server = try await ServerProcess.start(db: db, in: directory)
        defer { server.stop() }
        // The restarted server listens on another port: point the replica at it.
        _ = try ok("sync", "--db", "laptop.sqlite", "--central", server.url)
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == (try await centralDigest(db, unit: "squad-3")))
        #expect(try await centralReports(db).count == 40)
        #expect(try ok("status", "--db", "laptop.sqlite").contains("outgoing changes:     0"))
    }

    @Test("the field daemon killed at any moment: a later sync loses nothing and duplicates nothing", arguments: CentralKind.underTest)
    func daemonKilled(kind: CentralKind) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let db = try await central(kind)
        let server = try await ServerProcess.start(db: db, in: directory)
        defer { server.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        let daemon = try startDaemon(db: "laptop.sqlite")
        var ids: [String] = []
        for i in 0..<15 {
            ids.append(try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "t\(i)", "--body", "b"))
        }
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == (try await centralDigest(db, unit: "squad-3")))
        #expect(try await centralReports(db) == Set(ids))
    }

    @Test("SIGTERM shuts the server down cleanly, and what it accepted is kept", arguments: CentralKind.underTest)
    func gracefulShutdown(kind: CentralKind) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let db = try await central(kind)
        let server = try await ServerProcess.start(db: db, in: directory)
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        let id = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "t", "--body", "b")
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(server.stop() == 0)
        #expect(try await centralReports(db).contains(id))
    }

    @Test("a report drafted secret is held while a public one goes; made public, it reaches the central over real processes")
    func declassifiedReportReachesTheCentral() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        defer { server.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        let secret = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "涉密", "--body", "b", "--classification", "secret")
        let open = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "公开", "--body", "b")
        let status = try ok("status", "--db", "laptop.sqlite")
        #expect(status.contains("outgoing changes:     1") && status.contains("held (secret):        1"), "\(status)")
        let json = try JSONSerialization.jsonObject(with: Data(try ok("status", "--db", "laptop.sqlite", "--json").utf8)) as? [String: Any]
        #expect(json?["role"] as? String == "field" && json?["secretReports"] as? Int == 1 && json?["heldSecret"] as? Int == 1, "\(String(describing: json))")
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(try ok("status", "--db", "laptop.sqlite").contains("outgoing changes:     0"))
        #expect(try cli("show", secret, "--db", "central.sqlite").status == 1, "a secret report never crosses the network")
        _ = try ok("show", open, "--db", "central.sqlite")
        _ = try ok("edit", secret, "--db", "laptop.sqlite", "--as", "wang", "--classification", "public")
        let synced = try ok("sync", "--db", "laptop.sqlite")
        #expect(synced.contains("pushed 3 (accepted 3)"), "the creation sealed, the sealing and the lowering: \(synced)")
        #expect(try ok("show", secret, "--db", "central.sqlite").contains("涉密"))
        #expect(try ok("status", "--db", "laptop.sqlite").contains("outgoing changes:     0"))
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == ok("digest", "--db", "central.sqlite", "--unit", "squad-3"))
    }
}
