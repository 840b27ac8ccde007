import Foundation
import Store
import StorePostgres
import SyncCore
import SyncService
import TestSupport
import Testing

/// What a central on PostgreSQL must answer as a central in a file does, through the real binaries: each
/// test runs on both stores (`CentralKind`) against a real `syncd serve`.
///
/// Nested in `EndToEndTests`, whose serialisation it shares: it waits on real processes, and must never
/// hold every thread the in-process servers of the other suites need.
extension EndToEndTests {
    @Suite("Both stores answer alike")
    struct StoreParity {
        /// A served central of one unit, its drafter and two enrolled devices' tokens.
        struct Served {
            let server: ServerProcess
            let tokens: [String]
            let directory: URL
            /// The central's `--db`: the file's path or the database's URL.
            let db: String

            /// Both enrolled devices, in memory, each after its first sync.
            func devices() async throws -> [(field: FieldReplica, client: SyncClient)] {
                var devices: [(field: FieldReplica, client: SyncClient)] = []
                for token in tokens {
                    let device = (field: try FieldReplica.inMemory(unit: "squad-1"), client: SyncClient(baseURL: server.url, token: token))
                    _ = try await SyncRound.run(device.field, client: device.client, files: false)
                    devices.append(device)
                }
                return devices
            }

            /// Runs `report-cli` in the test's folder; its output trimmed.
            func cli(_ arguments: String...) throws -> (status: Int32, out: String, err: String) { try run("report-cli", arguments) }

            /// Runs `report-cli` in the test's folder and expects it to succeed; its output trimmed.
            func ok(_ arguments: String...) throws -> String { try ok(arguments) }

            /// Runs `report-cli` in the test's folder and expects it to succeed; its output trimmed.
            func ok(_ arguments: [String]) throws -> String {
                let result = try Binaries.run("report-cli", arguments, in: directory)
                #expect(result.status == 0, "report-cli \(arguments): \(result.err)")
                return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
            }

            /// Makes the replicas of both enrolled devices, `field.sqlite` and `tablet.sqlite`, each synced once.
            func fieldAndTablet() throws {
                for (file, token) in zip(["field.sqlite", "tablet.sqlite"], tokens) {
                    _ = try ok("init", "--db", file, "--central", server.url, "--token", token)
                    _ = try ok("sync", "--db", file)
                }
            }

            /// Runs `syncd` in the test's folder; its output trimmed.
            func syncd(_ arguments: String...) throws -> (status: Int32, out: String, err: String) { try run("syncd", arguments) }

            private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
                let result = try Binaries.run(tool, arguments, in: directory)
                return (result.status, result.out.trimmingCharacters(in: .whitespacesAndNewlines), result.err)
            }

            /// Stops the server and removes the test's folder.
            func end() {
                server.stop()
                try? FileManager.default.removeItem(at: directory)
            }
        }

        static func serve(_ kind: CentralKind) async throws -> Served {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-parity-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("central.sqlite").path
            let central = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "局", kind: .centralOffice))
            try central.replica.addUnit(OrgUnit(id: "squad-1", name: "一中队", kind: .squad, parent: "bureau"))
            try central.replica.addMember(Member(id: "drafter-1", name: "王", unit: "squad-1", role: .drafter))
            try central.replica.addMember(Member(id: "head-1", name: "李", unit: "squad-1", role: .unitHead))
            try central.replica.addMember(Member(id: "leader-1", name: "赵", unit: "squad-1", role: .leader))
            try central.replica.addMember(Member(id: "editor", name: "陈", unit: "bureau", role: .centralEditor))
            try central.replica.addMember(Member(id: "admin", name: "钱", unit: "bureau", role: .admin))
            let tokens = [try central.enroll(unit: "squad-1", device: "device-a"), try central.enroll(unit: "squad-1", device: "device-b")]
            let db = kind == .postgres ? TestPostgres.url(of: try await TestPostgres.copy(centralAt: path)) : path
            return Served(server: try await ServerProcess.start(db: db, in: directory), tokens: tokens, directory: directory, db: db)
        }

        @Test(
            "a member's key registered with a code from syncd member invite, then revoked with syncd member revoke-key: a step signed with it afterwards is refused",
            arguments: CentralKind.underTest)
        func keyRevoked(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            func cli(_ arguments: String...) throws -> String {
                let result = try Binaries.run("report-cli", arguments, in: served.directory)
                #expect(result.status == 0, "report-cli \(arguments): \(result.err)")
                return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            _ = try cli("init", "--db", "field.sqlite", "--central", served.server.url, "--token", served.tokens[0])
            try Binaries.setUpKeys(["drafter-1"], on: "field.sqlite", central: served.db, in: served.directory)
            _ = try cli("sync", "--db", "field.sqlite")
            let before = try cli("draft", "--db", "field.sqlite", "--as", "drafter-1", "--category", "dynamic", "--title", "先", "--body", "正文")
            _ = try cli("submit", before, "--db", "field.sqlite", "--as", "drafter-1")
            #expect(try cli("sync", "--db", "field.sqlite").contains("rejected") == false)

            let revoked = try Binaries.run("syncd", ["member", "revoke-key", "--db", served.db, "--member", "drafter-1"], in: served.directory)
            #expect(revoked.status == 0 && revoked.out.contains("revoked"), "\(revoked.err)")
            // Offline still: the device does not know of the revocation when it signs.
            let after = try cli("draft", "--db", "field.sqlite", "--as", "drafter-1", "--category", "dynamic", "--title", "后", "--body", "正文")
            _ = try cli("submit", after, "--db", "field.sqlite", "--as", "drafter-1")
            #expect(try cli("sync", "--db", "field.sqlite").contains("rejected 1"))
        }

        @Test(
            "the central office's steps with report-cli on the central's --db: a signed report adopted (a wrong PIN first refused), returned one refused, shown with its history, scored, counted and bulletined; the device sees it adopted, digests equal",
            arguments: CentralKind.underTest)
        func officeSteps(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            _ = try served.cli("init", "--db", "field.sqlite", "--central", served.server.url, "--token", served.tokens[0])
            try Binaries.setUpKeys(["drafter-1", "head-1", "leader-1"], on: "field.sqlite", central: served.db, in: served.directory)
            try Binaries.setUpKeys(["editor"], on: served.db, central: served.db, in: served.directory)
            _ = try served.cli("sync", "--db", "field.sqlite")
            let id = try served.cli("draft", "--db", "field.sqlite", "--as", "drafter-1", "--category", "dynamic", "--title", "夜查", "--body", "正文").out
            for (step, member) in [("submit", "drafter-1"), ("review", "head-1"), ("sign", "leader-1")] {
                #expect(try served.cli(step, id, "--db", "field.sqlite", "--as", member).status == 0)
            }
            _ = try served.cli("sync", "--db", "field.sqlite")
            #expect(try served.cli("list", "--db", served.db, "--state", "received").out.contains(id))

            try "not-the-pin\n".write(to: served.directory.appendingPathComponent("wrong-pin"), atomically: true, encoding: .utf8)
            let wrong = try served.cli("adopt", String(id.prefix(13)), "--db", served.db, "--as", "editor", "--level", "city", "--pin-file", "wrong-pin")
            #expect(wrong.status == 1 && wrong.err == "error: wrong PIN for editor's key (1 in a row)\n", "\(wrong.err)")
            let adopted = try served.cli("adopt", String(id.prefix(13)), "--db", served.db, "--as", "editor", "--level", "city", "--outlet", "快报")
            #expect(adopted.status == 0 && adopted.out.hasSuffix("now adopted"), "\(adopted.err)")
            let returned = try served.cli("return", id, "--db", served.db, "--as", "editor", "--comment", "改")
            #expect(returned.status == 1 && returned.err.contains("cannot return a report that is adopted"), "\(returned.err)")
            let drafter = try served.cli("archive", id, "--db", served.db, "--as", "drafter-1")
            #expect(drafter.status == 1 && drafter.err.contains("a drafter may not archive"), "\(drafter.err)")

            let score = try served.cli("score", "--db", served.db, "--explain")
            #expect(score.status == 0 && score.out.contains("+2      adoption  「夜查」 adopted at city level by 快报"), "\(score.out)\(score.err)")
            let quota = try served.cli("quota", "--db", served.db, "--json")
            #expect(quota.status == 0 && quota.out.contains("\"submitted\" : 1"), "\(quota.out)\(quota.err)")
            let bulletin = try served.cli("bulletin", "--db", served.db, "--format", "csv")
            #expect(bulletin.status == 0 && bulletin.out.contains("squad-1,一中队,1,"), "\(bulletin.out)\(bulletin.err)")
            let deadlines = try served.cli("deadlines", "--db", served.db, "--all")
            #expect(deadlines.status == 0 && deadlines.out.contains("met"), "\(deadlines.out)\(deadlines.err)")
            let shown = try served.cli("show", String(id.prefix(13)), "--db", served.db)
            #expect(shown.status == 0 && shown.out.contains("adopt by editor: signature verified"), "\(shown.out)\(shown.err)")
            let history = try served.cli("history", id, "--db", served.db)
            #expect(history.status == 0 && history.out.contains("adopt: received → adopted (city level, 快报)"), "\(history.out)\(history.err)")

            _ = try served.cli("sync", "--db", "field.sqlite")
            #expect(try served.cli("list", "--db", "field.sqlite", "--state", "adopted").out.contains(id))
            // The device shows the same signed steps as the central.
            #expect(try served.cli("show", id, "--db", "field.sqlite").out.hasSuffix(shown.out.components(separatedBy: "signed steps:").last ?? "-"))
            let central = try served.cli("digest", "--db", served.db, "--unit", "squad-1")
            let field = try served.cli("digest", "--db", "field.sqlite", "--unit", "squad-1")
            #expect(central.status == 0 && central.out == field.out, "\(central.err)")
        }

        @Test(
            "the conflicts at the central, listed, shown, counted and dismissed with report-cli on its --db: a title written on two devices at once, and a change the central refused",
            arguments: CentralKind.underTest)
        func conflictsInspected(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            let devices = try await served.devices()
            let (a, clientA, b, clientB) = (devices[0].field, devices[0].client, devices[1].field, devices[1].client)
            let report = try a.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "正文"), by: "drafter-1")
            _ = try await SyncRound.run(a, client: clientA, files: false)
            _ = try await SyncRound.run(b, client: clientB, files: false)
            for (field, title) in [(a, "夜间巡查"), (b, "夜查情况")] {
                var patch = ReportPatch()
                patch.title = title
                _ = try field.replica.edit(report.id, with: patch, by: "drafter-1")
            }
            _ = try await SyncRound.run(a, client: clientA, files: false)
            _ = try await SyncRound.run(b, client: clientB, files: false)
            // A step signed by nobody's key: the central refuses it.
            let forged = Change(
                dot: Dot(replica: try a.replica.identity().replicaID, counter: 99), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
                record: report.id, unit: "squad-1", actor: "drafter-1", context: VersionVector(),
                payload: .transition(TransitionStep(action: .submit, from: .draft, to: .awaitingReview, role: .drafter, comment: nil, sawContent: report.contentDot)))
            #expect(try await clientA.push([forged]).results.map(\.status) == [.rejected])

            let list = try served.cli("conflicts", "list", "--db", served.db, "--json")
            #expect(list.status == 0, "\(list.err)")
            let entries = try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]] ?? []
            #expect(Set(entries.compactMap { $0["kind"] as? String }) == ["field-value", "rejected-by-central"], "\(list.out)")
            let field = try #require(entries.first { $0["kind"] as? String == "field-value" }?["id"] as? String)
            let shown = try served.cli("conflicts", "show", String(field.prefix(5)), "--db", served.db)
            #expect(shown.status == 0 && shown.out.contains("夜间巡查") && shown.out.contains("夜查情况") && shown.out.contains("word diff"), "\(shown.out)\(shown.err)")
            let refused = try served.cli("conflicts", "list", "--db", served.db, "--kind", "rejected-by-central", "--report", String(report.id.prefix(13)))
            #expect(refused.status == 0 && refused.out.contains("1 listed, 1 open"), "\(refused.out)\(refused.err)")
            let none = try served.cli("conflicts", "show", "zzzz", "--db", served.db)
            #expect(none.status == 1 && none.err == "error: no conflict zzzz in this replica; see report-cli conflicts list\n", "\(none.err)")

            // The refusal dismissed by the central office: one conflict stays open.
            let refusal = try #require(entries.first { $0["kind"] as? String == "rejected-by-central" }?["id"] as? String)
            let kept = try served.cli("conflicts", "resolve", refusal, "--keep", "loser", "--db", served.db, "--as", "editor")
            #expect(kept.status == 1 && kept.err.contains("it cannot be kept"), "\(kept.err)")
            let dismissed = try served.cli("conflicts", "resolve", refusal, "--keep", "winner", "--db", served.db, "--as", "editor")
            #expect(dismissed.status == 0 && dismissed.out.contains("resolved (dismissed) by editor"), "\(dismissed.out)\(dismissed.err)")
            let stats = try served.cli("conflicts", "stats", "--db", served.db, "--json")
            #expect(stats.status == 0 && stats.out.contains("\"open\" : 1") && stats.out.contains("\"resolved\" : 1"), "\(stats.out)\(stats.err)")
        }

        @Test(
            "a solicitation issued, listed and chased with report-cli on the central's --db reaches the device; a chase of a unit not asked is refused",
            arguments: CentralKind.underTest)
        func solicitationChased(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            let format = DateFormatter()
            format.timeZone = TimeZone(identifier: "Asia/Shanghai")
            format.dateFormat = "yyyy-MM-dd'T'HH:mm"
            let due = format.string(from: Date().addingTimeInterval(7 * 86_400))
            let issued = try served.cli(
                "solicit", "new", "--db", served.db, "--as", "editor", "--topic", "冬季防火", "--units", "squad-1", "--deadline", due, "--contact", "陈 123")
            #expect(issued.status == 0 && issued.out.count == 36, "\(issued.err)")
            let past = try served.cli("solicit", "new", "--db", served.db, "--as", "editor", "--topic", "旧", "--units", "squad-1", "--deadline", "2020-01-01T09:00", "--contact", "陈")
            #expect(past.status == 1 && past.err.contains("is already past"), "\(past.err)")
            let chased = try served.cli("solicit", "remind", String(issued.out.prefix(13)), "--unit", "squad-1", "--db", served.db, "--as", "editor", "--note", "请于今日报送")
            #expect(chased.status == 0 && chased.out.hasPrefix("chased squad-1"), "\(chased.err)")
            let nowhere = try served.cli("solicit", "remind", String(issued.out.prefix(13)), "--unit", "squad-9", "--db", served.db, "--as", "editor")
            #expect(nowhere.status == 1 && nowhere.err.contains("was sent to squad-9"), "\(nowhere.err)")
            let list = try served.cli("solicit", "list", "--db", served.db)
            #expect(list.status == 0 && list.out.contains("冬季防火") && list.out.contains("none yet") && list.out.contains("1×"), "\(list.out)\(list.err)")

            let field = try FieldReplica.inMemory(unit: "squad-1")
            _ = try await SyncRound.run(field, client: SyncClient(baseURL: served.server.url, token: served.tokens[0]), files: false)
            #expect(try field.replica.solicitations().map(\.topic) == ["冬季防火"])
            #expect(try field.replica.reminders().map(\.note) == ["请于今日报送"])
        }

        @Test("a unit and a member added with syncd reach a device at its next sync; added twice, each is refused with the same line", arguments: CentralKind.underTest)
        func unitAndMemberAdded(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            #expect(try served.syncd("unit", "add", "--db", served.db, "--id", "squad-9", "--name", "九中队").status == 0)
            #expect(try served.syncd("member", "add", "--db", served.db, "--id", "zhou", "--name", "周", "--unit", "squad-9", "--role", "drafter").status == 0)
            let again = try served.syncd("unit", "add", "--db", served.db, "--id", "squad-9", "--name", "九中队")
            #expect(again.status == 1 && again.err == "error: unit squad-9 already exists\n", "\(again.err)")
            let twice = try served.syncd("member", "add", "--db", served.db, "--id", "zhou", "--name", "周", "--unit", "squad-9", "--role", "drafter")
            #expect(twice.status == 1 && twice.err.contains("member zhou already exists (周, drafter)"), "\(twice.err)")
            let nowhere = try served.syncd("member", "add", "--db", served.db, "--id", "wu", "--name", "吴", "--unit", "squad-0", "--role", "drafter")
            #expect(nowhere.status == 1 && nowhere.err.contains("unit squad-0 is unknown"), "\(nowhere.err)")

            let field = try FieldReplica.inMemory(unit: "squad-1")
            _ = try await SyncRound.run(field, client: SyncClient(baseURL: served.server.url, token: served.tokens[0]), files: false)
            #expect(try field.replica.members().contains { $0.id == "zhou" && $0.unit == "squad-9" })
        }

        @Test("a bureau set up on PostgreSQL from the start: init, a unit, a member, a device enrolled and served; its draft reaches the central; a second init is refused")
        func bureauOnPostgresFromTheStart() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-pg-init-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let db = TestPostgres.url(of: try await TestPostgres.freshDatabase())
            func syncd(_ arguments: String...) throws -> String {
                let result = try Binaries.run("syncd", arguments, in: directory)
                #expect(result.status == 0, "syncd \(arguments): \(result.err)")
                return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            _ = try syncd("init", "--db", db, "--bureau", "某某局")
            let again = try Binaries.run("syncd", ["init", "--db", db, "--bureau", "某某局"], in: directory)
            #expect(again.status == 1 && again.err.contains("already holds a central"), "\(again.err)")
            _ = try syncd("unit", "add", "--db", db, "--id", "squad-3", "--name", "第三中队")
            _ = try syncd("member", "add", "--db", db, "--id", "wang", "--name", "王小明", "--unit", "squad-3", "--role", "drafter")
            let token = try syncd("enroll", "--db", db, "--unit", "squad-3", "--device", "laptop")
            let server = try await ServerProcess.start(db: db, in: directory)
            defer { server.stop() }
            let field = try FieldReplica.inMemory(unit: "squad-3")
            let client = SyncClient(baseURL: server.url, token: token)
            _ = try await SyncRound.run(field, client: client, files: false)
            let report = try field.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "正文"), by: "wang")
            _ = try await SyncRound.run(field, client: client, files: false)
            let digest = try await PostgresDatabase.with(try PostgresAddress(parsing: db)) { try await $0.digest(unit: "squad-3") }
            #expect(digest == (try field.replica.digest(unit: "squad-3")))
            #expect(try field.outbox().isEmpty && !report.id.isEmpty)
        }

        @Test(
            "a central on PostgreSQL put back from an older copy refuses every write, saying what to do; syncd restore --db takes it as a new incarnation and a device sends back what it lacks"
        )
        func putBackFromAnOlderCopy() async throws {
            let served = try await Self.serve(.postgres)
            defer { served.end() }
            let field = try FieldReplica.inMemory(unit: "squad-1")
            let client = SyncClient(baseURL: served.server.url, token: served.tokens[0])
            _ = try await SyncRound.run(field, client: client, files: false)
            // The copy (as a dump would be) taken before the central issues more dots; then put back over it.
            served.server.stop()
            let address = try PostgresAddress(parsing: served.db)
            let cluster = try PostgresAddress(parsing: TestPostgres.url(), environment: [:])
            let dump = address.database + "_dump"
            try await PostgresDatabase.with(cluster, migrating: false) { try await $0.run("CREATE DATABASE \(dump) TEMPLATE \(address.database)") }
            #expect(try served.syncd("unit", "add", "--db", served.db, "--id", "squad-2", "--name", "二中队").status == 0)
            let report = try field.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "正文"), by: "drafter-1")
            let server = try await ServerProcess.start(db: served.db, in: served.directory)
            _ = try await SyncRound.run(field, client: SyncClient(baseURL: server.url, token: served.tokens[0]), files: false)
            server.stop()
            try await PostgresDatabase.with(cluster, migrating: false) { db in
                try await db.run("DROP DATABASE \(address.database)")
                try await db.run("ALTER DATABASE \(dump) RENAME TO \(address.database)")
            }

            let refused = try served.syncd("unit", "add", "--db", served.db, "--id", "squad-4", "--name", "四中队")
            #expect(refused.status == 1 && refused.err.contains("it was put back from an older copy") && refused.err.contains("syncd restore --db URL"), "\(refused.err)")
            let restored = try served.syncd("restore", "--db", served.db)
            #expect(restored.status == 0 && restored.out.hasPrefix("took the central's database as incarnation"), "\(restored.err)")
            #expect(try served.syncd("unit", "add", "--db", served.db, "--id", "squad-4", "--name", "四中队").status == 0)

            // The device learns of the new incarnation at its next sync and sends its report again.
            let again = try await ServerProcess.start(db: served.db, in: served.directory)
            defer { again.stop() }
            let client2 = SyncClient(baseURL: again.url, token: served.tokens[0])
            _ = try await SyncRound.run(field, client: client2, files: false)
            _ = try await SyncRound.run(field, client: client2, files: false)
            let held = try await PostgresCentral.reports(matching: ReportFilter(unit: "squad-1"), at: address).map(\.id)
            #expect(held.contains(report.id))
            #expect(try await PostgresCentral.digest(unit: "squad-1", at: address).digest == (try field.replica.digest(unit: "squad-1")))
        }

        @Test("edits of seventy follow-ups in one push are all taken", arguments: CentralKind.underTest)
        func seventyFollowUps(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            let field = try FieldReplica.inMemory(unit: "squad-1")
            let client = SyncClient(baseURL: served.server.url, token: served.tokens[0])
            _ = try await SyncRound.run(field, client: client, files: false)
            var followUps: [String] = []
            for i in 0..<70 {
                let first = try field.replica.draft(ReportContent(category: .emergency, title: "首报\(i)", body: "事件"), by: "drafter-1")
                followUps.append(
                    try field.replica.draft(ReportContent(category: .emergency, title: "续报\(i)", body: "进展", followUpOf: first.id), by: "drafter-1").id)
            }
            _ = try await SyncRound.run(field, client: client, files: false)
            var patch = ReportPatch()
            patch.title = "续报（改）"
            for id in followUps { _ = try field.replica.edit(id, with: patch, by: "drafter-1") }
            let answer = try await client.push(try field.nextPush(limit: 1000).map(\.change))
            #expect(answer.results.count == 70 && answer.results.allSatisfy { $0.status == .accepted })
        }

        @Test(
            "one file named twice under two media types, in a change another device's push releases: that push is taken",
            arguments: CentralKind.underTest)
        func fileNamedTwiceReleased(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            let devices = try await served.devices()
            let (a, clientA, b, clientB) = (devices[0].field, devices[0].client, devices[1].field, devices[1].client)
            let report = try a.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "正文"), by: "drafter-1")
            let other = try a.replica.draft(ReportContent(category: .dynamic, title: "另一篇", body: "正文"), by: "drafter-1")
            _ = try await SyncRound.run(a, client: clientA, files: false)
            _ = try await SyncRound.run(b, client: clientB, files: false)
            let hash = BlobHash(hex: String(repeating: "ab", count: 32))!
            try a.replica.noteHeld(BlobReference(hash: hash, size: 10, mediaType: "image/png"))
            var patch = ReportPatch()
            patch.attachments = [
                Attachment(name: "a.png", kind: .photo, caption: "现场", blob: BlobReference(hash: hash, size: 10, mediaType: "image/png")),
                Attachment(name: "a.jpg", kind: .photo, caption: "现场", blob: BlobReference(hash: hash, size: 10, mediaType: "image/jpeg")),
            ]
            _ = try a.replica.edit(report.id, with: patch, by: "drafter-1")
            // Made by hand to wait for device B's next write of the other report.
            var change = try a.nextPush(limit: 10).map(\.change)[0]
            change.requires = [RecordDot(record: other.id, dot: Dot(replica: try b.replica.identity().replicaID, counter: 1))]
            let waiting = try await clientA.push([change])
            #expect(waiting.results.map(\.status) == [.waiting])
            var edit = ReportPatch()
            edit.body = "B 改了另一篇"
            _ = try b.replica.edit(other.id, with: edit, by: "drafter-1")
            let released = try await clientB.push(try b.nextPush(limit: 10).map(\.change))
            #expect(released.results.map(\.status) == [.accepted])
        }

        @Test(
            "a secret report goes by bundle: imported at the central (received, counted; a tampered or replayed file refused), adopted there, brought back by the unit's bundle; the network never carries it; digests equal",
            arguments: CentralKind.underTest)
        func secretReportByBundle(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            try served.fieldAndTablet()  // each device's first sync binds its bundle keys at the central
            try Binaries.setUpKeys(["drafter-1", "head-1", "leader-1"], on: "field.sqlite", central: served.db, in: served.directory)
            try Binaries.setUpKeys(["editor"], on: served.db, central: served.db, in: served.directory)
            _ = try served.ok("sync", "--db", "field.sqlite")  // the keys' registrations
            let id = try served.ok(
                "draft", "--db", "field.sqlite", "--as", "drafter-1", "--category", "dynamic", "--title", "SECRET-TITLE 涉密", "--body", "正文",
                "--classification", "secret")
            for (step, member) in [("submit", "drafter-1"), ("review", "head-1"), ("sign", "leader-1")] {
                _ = try served.ok(step, id, "--db", "field.sqlite", "--as", member)
            }
            _ = try served.ok("sync", "--db", "field.sqlite")
            #expect(try served.cli("show", id, "--db", served.db).status == 1, "held on the device")

            _ = try served.ok("bundle", "export", "--db", "field.sqlite", "--out", "stick.bundle")
            var tampered = try Data(contentsOf: served.directory.appendingPathComponent("stick.bundle"))
            tampered[tampered.count / 2] ^= 0x01
            try tampered.write(to: served.directory.appendingPathComponent("tampered.bundle"))
            let refused = try served.cli("bundle", "import", "tampered.bundle", "--db", served.db)
            #expect(refused.status == 1 && refused.err.contains("changed after it was written"), "\(refused.err)")
            let imported = try served.cli("bundle", "import", "stick.bundle", "--db", served.db)
            #expect(imported.status == 0 && imported.out.contains("accepted 4"), "\(imported.out)\(imported.err)")
            let replayed = try served.cli("bundle", "import", "stick.bundle", "--db", served.db)
            #expect(replayed.status == 1 && replayed.err.contains("already imported"), "\(replayed.err)")
            #expect(try served.ok("list", "--db", served.db, "--state", "received").contains(id), "received on arrival")
            #expect(try served.ok("quota", "--db", served.db, "--json").contains("\"submitted\" : 1"), "counted like any other")
            _ = try served.ok("adopt", id, "--db", served.db, "--as", "editor", "--level", "city")

            let back = try served.ok("bundle", "export", "--db", served.db, "--unit", "squad-1", "--out", "back.bundle")
            #expect(back.contains("encrypted to device-a"), "\(back)")
            #expect(try served.ok("bundle", "import", "back.bundle", "--db", "field.sqlite").contains("4 of this device's changes reached the central"))
            #expect(try served.ok("list", "--db", "field.sqlite", "--state", "adopted").contains(id))
            _ = try served.ok("sync", "--db", "field.sqlite")
            _ = try served.ok("sync", "--db", "tablet.sqlite")
            #expect(try served.cli("show", id, "--db", "tablet.sqlite").status == 1, "the network feed never carries it")
            #expect(try served.ok("digest", "--db", "field.sqlite", "--unit", "squad-1") == served.ok("digest", "--db", served.db, "--unit", "squad-1"))

            // A bundle of a device revoked since it wrote it is refused, saying why, and nothing of it is taken.
            _ = try served.ok("draft", "--db", "tablet.sqlite", "--as", "drafter-1", "--category", "dynamic", "--title", "撤销后", "--body", "b")
            _ = try served.ok("bundle", "export", "--db", "tablet.sqlite", "--all", "--out", "tablet.bundle")
            #expect(try served.syncd("revoke", "--db", served.db, "--device", "device-b").status == 0)
            let before = try served.ok("digest", "--db", served.db)
            let revoked = try served.cli("bundle", "import", "tablet.bundle", "--db", served.db)
            #expect(revoked.status == 1 && revoked.err.contains("the bundle's device may not sync here") && revoked.err.contains("revoked"), "\(revoked.err)")
            #expect(try served.ok("digest", "--db", served.db) == before)
        }

        @Test(
            "a policy loaded at the central by its admin (another member or a past day refused) is shown and listed there, and releases an internal report to the unit's other device",
            arguments: CentralKind.underTest)
        func policyLoadedAtTheCentral(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            try served.fieldAndTablet()
            let id = try served.ok(
                "draft", "--db", "field.sqlite", "--as", "drafter-1", "--category", "dynamic", "--title", "内部", "--body", "INTERNAL-BODY",
                "--classification", "internal")
            _ = try served.ok("bundle", "export", "--db", "field.sqlite", "--out", "stick.bundle")
            _ = try served.ok("bundle", "import", "stick.bundle", "--db", served.db)
            _ = try served.ok("sync", "--db", "tablet.sqlite")
            #expect(try served.cli("show", id, "--db", "tablet.sqlite").status == 1, "kept off the network by the standard policy")

            try Data(#"{"internalOverNetwork": true}"#.utf8).write(to: served.directory.appendingPathComponent("policy.json"))
            let editor = try served.cli("policy", "load", "policy.json", "--db", served.db, "--as", "editor")
            #expect(editor.status == 1 && editor.err.contains("only an admin may change the policy"), "\(editor.err)")
            let past = try served.cli("policy", "load", "policy.json", "--db", served.db, "--as", "admin", "--effective", "2020-01-01")
            #expect(past.status == 1 && past.err.contains("a day already past"), "\(past.err)")
            #expect(try served.ok("policy", "load", "policy.json", "--db", served.db, "--as", "admin").contains("in force from"))
            #expect(try served.ok("policy", "show", "--db", served.db).contains("\"internalOverNetwork\" : true"))
            #expect(try served.ok("policy", "history", "--db", served.db).contains("admin"))
            let synced = try served.ok("sync", "--db", "tablet.sqlite")
            #expect(synced.contains("policy now lets reports on the network"), "\(synced)")
            #expect(try served.ok("show", id, "--db", "tablet.sqlite").contains("INTERNAL-BODY"))
            #expect(try served.ok("policy", "show", "--db", "tablet.sqlite").contains("\"internalOverNetwork\" : true"))
            #expect(try served.ok("digest", "--db", "tablet.sqlite", "--unit", "squad-1") == served.ok("digest", "--db", served.db, "--unit", "squad-1"))
        }

        @Test(
            "a secret report's photo goes by bundle to the central and by the unit's bundle to its other device; a central on PostgreSQL asks for the folder of its files first and takes nothing without it",
            arguments: CentralKind.underTest)
        func secretPhotoByBundle(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            try served.fieldAndTablet()
            var rng = SplitMix64(seed: 7)
            let photo = Data((0..<20_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            try photo.write(to: served.directory.appendingPathComponent("secret.jpg"))
            let id = try served.ok([
                "draft", "--db", "field.sqlite", "--as", "drafter-1", "--category", "dynamic", "--title", "涉密", "--body", "b",
                "--classification", "secret", "--attach", "secret.jpg=现场",
            ])
            _ = try served.ok(["bundle", "export", "--db", "field.sqlite", "--out", "up.bundle"])
            var files: [String] = []
            if kind == .postgres {
                let without = try served.cli("bundle", "import", "up.bundle", "--db", served.db)
                #expect(without.status == 1 && without.err.contains("give --files FOLDER"), "\(without.err)")
                files = ["--files", "central-files"]
            }
            let imported = try served.ok(["bundle", "import", "up.bundle", "--db", served.db] + files)
            #expect(imported.contains("accepted 1") && imported.contains("1 attached file(s)"), "nothing was taken before: \(imported)")
            if kind == .postgres {
                let kept = BlobStore.at(served.directory.appendingPathComponent("central-files").path).path(of: BlobHash.of(photo))
                #expect(FileManager.default.contents(atPath: kept) == photo)
            }
            _ = try served.ok(["bundle", "export", "--db", served.db, "--unit", "squad-1", "--out", "back.bundle"] + files)
            #expect(try served.ok(["bundle", "import", "back.bundle", "--db", "tablet.sqlite"]).contains("1 attached file(s)"))
            _ = try served.ok(["attachment", "get", id, "secret.jpg", "--db", "tablet.sqlite", "--out", "copy.jpg"])
            #expect(try Data(contentsOf: served.directory.appendingPathComponent("copy.jpg")) == photo)
        }

        @Test(
            "a push crafted to bring a secret report over the network is answered held, and nothing of it rests at the central; the public report beside it in that push is taken",
            arguments: CentralKind.underTest)
        func secretPushHeld(kind: CentralKind) async throws {
            let served = try await Self.serve(kind)
            defer { served.end() }
            let device = try await served.devices()[0]
            let open = try device.field.replica.draft(ReportContent(category: .dynamic, title: "公开", body: "正文"), by: "drafter-1")
            let secret = try device.field.replica.draft(
                ReportContent(category: .dynamic, title: "SECRET-TITLE", body: "涉密", classification: .secret), by: "drafter-1")
            // By hand: the outbox would hold the secret report back; this push sends it anyway.
            let crafted = try device.field.replica.changes().map(\.change).filter { [open.id, secret.id].contains($0.record) }
            let answer = try await device.client.push(crafted)
            #expect(
                answer.results.map(\.status) == crafted.map { $0.record == secret.id ? .held : .accepted },
                "\(answer.results.map(\.status))")
            #expect(try served.cli("show", secret.id, "--db", served.db).status == 1, "nothing of it at the central")
            #expect(try served.cli("show", open.id, "--db", served.db).status == 0)
        }
    }
}
