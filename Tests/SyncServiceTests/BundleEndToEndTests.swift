import Foundation
import Store
import StorePostgres
import TestSupport
import Testing

/// Bundle files carried by hand between field devices and the central, over real processes
/// (docs/bundles.md). Part of the end-to-end suite, with its bureau and its helpers.
extension EndToEndTests {
    /// The JSON `report-cli … --json` printed.
    func json(_ arguments: String...) throws -> [String: Any] {
        let result = try Binaries.run("report-cli", arguments + ["--json"], in: directory)
        #expect(result.status == 0, "report-cli \(arguments): \(result.err)")
        return (try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]) ?? [:]
    }

    /// Runs report-cli and expects a refusal whose message says `reason`.
    func refused(_ reason: String, _ arguments: String...) throws {
        let result = try Binaries.run("report-cli", arguments, in: directory)
        #expect(result.status == 1 && result.err.contains(reason), "report-cli \(arguments): \(result.status) \(result.err)")
    }

    @Test(
        "a secret report goes by bundle: signed offline, received and counted at the central, adopted and brought back to both devices; none of its text crosses HTTP"
    )
    func secretReportTravelsByBundle() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let (server, proxy) = try await centralBehindProxy(tokens)
        defer {
            proxy.stop()
            server.stop()
        }
        try Binaries.setUpKeys(["wang", "li", "zhao"], on: "laptop.sqlite", in: directory)
        try Binaries.setUpKeys(["chen"], on: "central.sqlite", in: directory)
        _ = try ok("sync", "--db", "laptop.sqlite")
        let devices = try syncd("devices", "--db", "central.sqlite").split(separator: "\n")
        #expect(devices.count == 2 && devices.allSatisfy { $0.contains(", bundle keys ") }, "each device's first round bound its keys: \(devices)")
        let secret = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "SECRET-TITLE 涉密", "--body",
            "SECRET-BODY 涉密正文", "--classification", "secret")
        let open = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "OPEN-TITLE", "--body", "b")
        for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] {
            _ = try ok(action, secret, "--db", "laptop.sqlite", "--as", actor)
        }
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(try cli("show", secret, "--db", "central.sqlite").status == 1, "held on the device")
        #expect(try ok("status", "--db", "laptop.sqlite").contains("bundle export"), "status says what waits for a bundle")

        _ = try ok("bundle", "export", "--db", "laptop.sqlite", "--out", "stick.bundle")
        let file = try Data(contentsOf: directory.appendingPathComponent("stick.bundle"))
        #expect(
            file.range(of: Data("SECRET-TITLE".utf8)) == nil && file.range(of: Data(tokens.laptop.utf8)) == nil,
            "a lost stick reveals nothing")
        #expect(try ok("bundle", "import", "stick.bundle", "--db", "central.sqlite").contains("accepted 4"))
        #expect(try json("show", secret, "--db", "central.sqlite")["state"] as? String == "received", "received on arrival")
        #expect(
            try json("score", "--db", "central.sqlite", "--unit", "squad-3")["countedTowardQuota"] as? Int == 1,
            "counted like any other")
        _ = try ok("adopt", secret, "--db", "central.sqlite", "--as", "chen", "--level", "county")

        // The tablet has never written a bundle: the central holds its key from its first sync round.
        _ = try ok("sync", "--db", "tablet.sqlite")
        #expect(try cli("show", secret, "--db", "tablet.sqlite").status == 1, "the network feed never carries it")
        _ = try ok("bundle", "export", "--db", "central.sqlite", "--unit", "squad-3", "--out", "back.bundle")
        #expect(
            try ok("bundle", "import", "back.bundle", "--db", "laptop.sqlite").contains(
                "4 of this device's changes reached the central"))
        _ = try ok("bundle", "import", "back.bundle", "--db", "tablet.sqlite")
        for device in ["laptop.sqlite", "tablet.sqlite"] {
            let shown = try json("show", secret, "--db", device)
            #expect(
                shown["state"] as? String == "adopted" && shown["title"] as? String == "SECRET-TITLE 涉密", "\(device): \(shown)")
        }
        #expect(try json("status", "--db", "laptop.sqlite")["heldSecret"] as? Int == 0, "delivered changes leave the outbox")

        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")
        let central = try ok("digest", "--db", "central.sqlite", "--unit", "squad-3")
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == central)
        #expect(try ok("digest", "--db", "tablet.sqlite", "--unit", "squad-3") == central)
        let traffic = proxy.traffic
        #expect(traffic.contains("OPEN-TITLE") && traffic.contains(open), "the proxy saw the public report's text")
        #expect(!traffic.contains("SECRET-TITLE") && !traffic.contains("SECRET-BODY"), "no secret text crossed HTTP")
    }

    @Test(
        "a report made secret after it went over the network: its earlier text is withdrawn from the central and the tablet at the next sync, the laptop keeps it and its bundle gives it back to the central; nothing written after the raise crosses HTTP",
        arguments: CentralKind.underTest)
    func raisedReportTravelsByBundle(kind: CentralKind) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let db = try await central(kind)
        let (server, proxy) = try await centralBehindProxy(tokens, db: db)
        defer {
            proxy.stop()
            server.stop()
        }
        let id = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "OPEN-TITLE", "--body", "OPEN-BODY")
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")

        let raised = try cli(
            "edit", id, "--db", "laptop.sqlite", "--as", "wang", "--classification", "secret", "--body", "RAISED-BODY 定密后的正文")
        #expect(raised.status == 0 && raised.err.contains("the next sync withdraws their text"), "\(raised.err)")
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(try json("status", "--db", "laptop.sqlite")["heldSecret"] as? Int == 1, "the raise and its text wait for a bundle")
        _ = try ok("sync", "--db", "tablet.sqlite")
        let shown = try json("show", id, "--db", "tablet.sqlite")
        #expect(shown["title"] as? String == "" && shown["body"] as? String == "", "the tablet holds no earlier text: \(shown)")
        #expect(shown["withheld"] as? [String] == ["body", "category", "title"], "the tablet says what was withdrawn: \(shown)")
        #expect(try ok("show", id, "--db", "tablet.sqlite").contains("withheld: body, category, title (withdrawn when wang raised the report to secret"))
        for device in [db, "tablet.sqlite"] {
            #expect(try await logText(of: device).contains("OPEN-BODY") == false, "\(device)'s log holds no earlier text")
        }
        let atCentral = try json("show", id, "--db", db)
        #expect(atCentral["title"] as? String == "OPEN-TITLE" && atCentral["withheld"] == nil, "the central keeps it beside its log: \(atCentral)")
        #expect(try ok("show", id, "--db", db).contains("withdrawn: body, category, title from the network and the unit's other devices"))
        #expect(try json("show", id, "--db", "laptop.sqlite")["title"] as? String == "OPEN-TITLE", "the laptop keeps everything")
        #expect(try await logText(of: "laptop.sqlite").contains("OPEN-BODY"))
        let withdrawn = try ok("digest", "--db", db, "--unit", "squad-3")
        #expect(try ok("digest", "--db", "tablet.sqlite", "--unit", "squad-3") == withdrawn, "one state, text withheld or not")

        _ = try ok("bundle", "export", "--db", "laptop.sqlite", "--out", "stick.bundle")
        _ = try ok("bundle", "import", "stick.bundle", "--db", db)
        let whole = try json("show", id, "--db", db)
        #expect(whole["title"] as? String == "OPEN-TITLE" && whole["body"] as? String == "RAISED-BODY 定密后的正文", "\(whole)")
        _ = try ok("sync", "--db", "tablet.sqlite")
        _ = try ok("bundle", "export", "--db", db, "--unit", "squad-3", "--out", "back.bundle")
        for device in ["laptop.sqlite", "tablet.sqlite"] {
            _ = try ok("bundle", "import", "back.bundle", "--db", device)
            #expect(try json("show", id, "--db", device)["body"] as? String == "RAISED-BODY 定密后的正文", "\(device)")
        }
        #expect(try json("show", id, "--db", "tablet.sqlite")["title"] as? String == "", "the tablet never gets the earlier text back")
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")
        let central = try ok("digest", "--db", db, "--unit", "squad-3")
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == central)
        #expect(try ok("digest", "--db", "tablet.sqlite", "--unit", "squad-3") == central)
        let traffic = proxy.traffic
        #expect(traffic.contains("OPEN-BODY"), "the proxy saw what was public")
        #expect(!traffic.contains("RAISED-BODY"), "nothing written after the raise crossed HTTP")
    }

    /// The log of the replica file `name`, or of the central on PostgreSQL at that URL (every row of
    /// `changes`, or of another table of change bodies), as text.
    func logText(of name: String, table: String = "changes") async throws -> String {
        if name.hasPrefix("postgres") {
            return try await PostgresDatabase.with(try PostgresAddress(parsing: name, environment: [:])) { db in
                try await db.rows("SELECT body FROM \(table)", as: String.self).joined(separator: "\n")
            }
        }
        let tables = try ReplicaTables(try Replica.open(at: directory.appendingPathComponent(name).path))
        let changes = try #require(try tables.shapes().first { $0.name == table })
        return try tables.page(of: changes, after: nil, limit: 100_000).json
    }

    @Test(
        "a secret report lowered to public travels by network without what was written while it was secret: the central and the tablet hold sealed copies of those writes, the laptop keeps them, one digest everywhere; the laptop's bundle gives the central their text",
        arguments: CentralKind.underTest)
    func loweredReportSealsItsSecretEra(kind: CentralKind) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let db = try await central(kind)
        let (server, proxy) = try await centralBehindProxy(tokens, db: db)
        defer {
            proxy.stop()
            server.stop()
        }
        try Binaries.setUpKeys(["wang"], on: "laptop.sqlite", central: db, in: directory)
        _ = try ok("sync", "--db", "laptop.sqlite")
        let id = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "SEALED-TITLE", "--body",
            "SECRET-BODY 涉密的正文", "--classification", "secret")
        _ = try ok("edit", id, "--db", "laptop.sqlite", "--as", "wang", "--body", "SECRET-EDIT 涉密的补充")
        _ = try ok("submit", id, "--db", "laptop.sqlite", "--as", "wang")
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(try json("status", "--db", "laptop.sqlite")["heldSecretReports"] as? Int == 1, "kept off the network while secret")

        let lowered = try cli("edit", id, "--db", "laptop.sqlite", "--as", "wang", "--classification", "public", "--body", "PUBLIC-BODY 公开的正文")
        #expect(lowered.status == 0 && lowered.err.contains("2 write(s) of report \(id) made while it was secret are sealed"), "\(lowered.err)")
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")
        for device in [db, "tablet.sqlite"] {
            let shown = try json("show", id, "--db", device)
            #expect(shown["body"] as? String == "PUBLIC-BODY 公开的正文" && shown["title"] as? String == "SEALED-TITLE", "\(device): \(shown)")
            #expect(shown["state"] as? String == "awaiting-review", "\(device): the steps taken while secret came: \(shown)")
            let log = try await logText(of: device)
            #expect(!log.contains("SECRET-BODY") && !log.contains("SECRET-EDIT"), "\(device)'s log holds no secret-era text")
            #expect(log.contains("withheld") && log.contains("sealed"), "\(device)'s log holds the sealed copies")
        }
        #expect(try await logText(of: "laptop.sqlite").contains("SECRET-EDIT"), "the laptop keeps what it wrote")
        let central = try ok("digest", "--db", db, "--unit", "squad-3")
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == central)
        #expect(try ok("digest", "--db", "tablet.sqlite", "--unit", "squad-3") == central)
        let traffic = proxy.traffic
        #expect(traffic.contains("PUBLIC-BODY") && traffic.contains("SEALED-TITLE"), "the report as it stands went by network")
        #expect(!traffic.contains("SECRET-BODY") && !traffic.contains("SECRET-EDIT"), "nothing written while it was secret crossed HTTP")

        _ = try ok("bundle", "export", "--db", "laptop.sqlite", "--report", id, "--out", "stick.bundle")
        _ = try ok("bundle", "import", "stick.bundle", "--db", db)
        #expect(try await logText(of: db, table: "withheld_originals").contains("SECRET-EDIT"), "the central keeps the text the bundle brought beside its log")
        #expect(!(try await logText(of: db).contains("SECRET-EDIT")), "and never in the log it serves")
        #expect(try ok("digest", "--db", db, "--unit", "squad-3") == central)
    }

    @Test(
        "a bureau that starts allowing internal reports over the network: the next sync of a device that pulled past one says so and brings it; its text crossed HTTP only after the policy"
    )
    func policyReleasesInternalReport() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        _ = try syncd("member", "add", "--db", "central.sqlite", "--id", "qian", "--name", "qian", "--unit", "bureau", "--role", "admin")
        let (server, proxy) = try await centralBehindProxy(tokens)
        defer {
            proxy.stop()
            server.stop()
        }
        let id = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "INTERNAL-TITLE", "--body", "INTERNAL-BODY",
            "--classification", "internal")
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("bundle", "export", "--db", "laptop.sqlite", "--out", "stick.bundle")
        _ = try ok("bundle", "import", "stick.bundle", "--db", "central.sqlite")
        for _ in 0..<2 { _ = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "OPEN", "--body", "b") }
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")
        #expect(try cli("show", id, "--db", "tablet.sqlite").status == 1, "kept off the network by the standard policy")
        #expect(!proxy.traffic.contains("INTERNAL-BODY"))

        try Data(#"{"internalOverNetwork": true}"#.utf8).write(to: directory.appendingPathComponent("policy.json"))
        _ = try ok("policy", "load", "policy.json", "--db", "central.sqlite", "--as", "qian")
        let synced = try ok("sync", "--db", "tablet.sqlite")
        #expect(synced.contains("policy now lets reports on the network"), "\(synced)")
        #expect(try json("show", id, "--db", "tablet.sqlite")["body"] as? String == "INTERNAL-BODY")
        #expect(proxy.traffic.contains("INTERNAL-BODY"), "it crossed HTTP once the policy allowed it")
        let again = try ok("sync", "--db", "tablet.sqlite")
        #expect(!again.contains("policy now lets"), "a release is pulled again for once: \(again)")
        _ = try ok("sync", "--db", "laptop.sqlite")
        let central = try ok("digest", "--db", "central.sqlite", "--unit", "squad-3")
        #expect(try ok("digest", "--db", "laptop.sqlite", "--unit", "squad-3") == central)
        #expect(try ok("digest", "--db", "tablet.sqlite", "--unit", "squad-3") == central)
    }

    @Test("a tampered, truncated, replayed, foreign or revoked device's bundle is refused in one line, and nothing is written")
    func badBundlesRefused() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        _ = try ok("init", "--db", "tablet.sqlite", "--central", server.url, "--token", tokens.tablet)
        server.stop()
        _ = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "t", "--body", "b",
            "--classification", "secret")
        _ = try ok("bundle", "export", "--db", "laptop.sqlite", "--out", "good.bundle")
        _ = try ok("bundle", "export", "--db", "tablet.sqlite", "--all", "--out", "tablet.bundle")
        let good = try Data(contentsOf: directory.appendingPathComponent("good.bundle"))
        var tampered = good
        tampered[tampered.count / 2] ^= 0x01
        try tampered.write(to: directory.appendingPathComponent("tampered.bundle"))
        try good.prefix(good.count - 100).write(to: directory.appendingPathComponent("truncated.bundle"))
        _ = try syncd("init", "--db", "other.sqlite", "--bureau", "另一个局")

        let before = try ok("digest", "--db", "central.sqlite")
        try refused("changed after it was written", "bundle", "import", "tampered.bundle", "--db", "central.sqlite")
        try refused("incomplete or damaged", "bundle", "import", "truncated.bundle", "--db", "central.sqlite")
        try refused("not addressed to this replica", "bundle", "import", "good.bundle", "--db", "other.sqlite")
        try refused("import it at the central", "bundle", "import", "good.bundle", "--db", "tablet.sqlite")
        _ = try syncd("revoke", "--db", "central.sqlite", "--device", "tablet")
        try refused("revoked", "bundle", "import", "tablet.bundle", "--db", "central.sqlite")
        #expect(try ok("digest", "--db", "central.sqlite") == before, "nothing refused changed the central")

        _ = try ok("bundle", "import", "good.bundle", "--db", "central.sqlite")
        let after = try ok("digest", "--db", "central.sqlite")
        try refused("already imported", "bundle", "import", "good.bundle", "--db", "central.sqlite")
        #expect(try ok("digest", "--db", "central.sqlite") == after, "importing twice changes nothing")
    }

    @Test("a station with no network syncs for a month by bundles only and ends with the central's digest")
    func stationWithoutNetwork() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        // Set up at the office, where there is a network; then out to the station.
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        _ = try ok("init", "--db", "station.sqlite", "--central", server.url, "--token", tokens.laptop)
        try Binaries.setUpKeys(["wang", "li", "zhao"], on: "station.sqlite", in: directory)
        try Binaries.setUpKeys(["chen"], on: "central.sqlite", in: directory)
        _ = try ok("sync", "--db", "station.sqlite")
        server.stop()
        var sent: [String] = []
        for week in 1...4 {
            let report = try ok(
                "draft", "--db", "station.sqlite", "--as", "wang", "--category", "dynamic", "--title", "第\(week)周", "--body", "b")
            let secret = try ok(
                "draft", "--db", "station.sqlite", "--as", "wang", "--category", "dynamic", "--title", "涉密\(week)", "--body", "b",
                "--classification", "secret")
            for id in [report, secret] {
                for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] {
                    _ = try ok(action, id, "--db", "station.sqlite", "--as", actor)
                }
            }
            _ = try ok("bundle", "export", "--db", "station.sqlite", "--all", "--out", "week\(week).bundle")
            _ = try ok("bundle", "import", "week\(week).bundle", "--db", "central.sqlite")
            if let last = sent.last { _ = try ok("adopt", last, "--db", "central.sqlite", "--as", "chen", "--level", "county") }
            _ = try ok("return", secret, "--db", "central.sqlite", "--as", "chen", "--comment", "请补充")
            _ = try ok("bundle", "export", "--db", "central.sqlite", "--unit", "squad-3", "--out", "back\(week).bundle")
            _ = try ok("bundle", "import", "back\(week).bundle", "--db", "station.sqlite")
            #expect(try json("show", secret, "--db", "station.sqlite")["state"] as? String == "returned", "week \(week)")
            sent.append(report)
        }
        let status = try json("status", "--db", "station.sqlite")
        #expect(status["outgoing"] as? Int == 0 && status["heldSecret"] as? Int == 0, "\(status)")
        #expect(try json("show", sent[2], "--db", "station.sqlite")["state"] as? String == "adopted")
        #expect(
            try ok("digest", "--db", "station.sqlite", "--unit", "squad-3")
                == ok("digest", "--db", "central.sqlite", "--unit", "squad-3"))
    }
}
