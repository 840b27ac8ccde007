import AsyncHTTPClient
import Foundation
import NIOCore
import SyncService
import TestSupport
import Testing

/// Restores, copies and deletions across real processes (the Riak "kv679" family): a field file put
/// back from a backup, a central restored from an older backup, a central's file deleted while it
/// serves. After each, every report any replica acknowledged is on every replica that should hold it,
/// the digests are equal, and new work is accepted.
///
/// Nested in `EndToEndTests`, whose serialisation it shares: the suites that wait on real processes run
/// one test at a time between them, so that they never hold every thread the in-process servers of the
/// other suites need.
extension EndToEndTests {
    @Suite("Restores and deletions lose nothing, end to end")
    struct Recovery {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-recovery-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        @discardableResult
        func run(_ tool: String, _ arguments: String...) throws -> String {
            let result = try Binaries.run(tool, arguments, in: directory)
            #expect(result.status == 0, "\(tool) \(arguments): \(result.err)")
            return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        /// A bureau with squad-3 and its people, a running central, and two field devices of squad-3.
        func bureau() async throws -> ServerProcess {
            try run("syncd", "init", "--db", "central.sqlite", "--bureau", "某某局")
            try run("syncd", "unit", "add", "--db", "central.sqlite", "--id", "squad-3", "--name", "第三中队")
            for (id, unit, role) in [("wang", "squad-3", "drafter"), ("li", "squad-3", "unit-head"), ("zhao", "bureau", "leader")] {
                try run("syncd", "member", "add", "--db", "central.sqlite", "--id", id, "--name", id, "--unit", unit, "--role", role)
            }
            let laptop = try run("syncd", "enroll", "--db", "central.sqlite", "--unit", "squad-3", "--device", "laptop")
            let tablet = try run("syncd", "enroll", "--db", "central.sqlite", "--unit", "squad-3", "--device", "tablet")
            let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
            try run("report-cli", "init", "--db", "laptop.sqlite", "--central", server.url, "--token", laptop, "--as", "wang")
            try run("report-cli", "init", "--db", "tablet.sqlite", "--central", server.url, "--token", tablet, "--as", "wang")
            return server
        }

        @discardableResult
        func draft(_ title: String, on db: String) throws -> String {
            try run("report-cli", "draft", "--db", db, "--as", "wang", "--category", "dynamic", "--title", title, "--body", "正文：\(title)")
        }

        /// Syncs each replica in turn, twice round, so that what one sends reaches the others.
        func syncAll(_ dbs: [String] = ["laptop.sqlite", "tablet.sqlite"], central: String? = nil) throws {
            for _ in 0..<2 {
                for db in dbs {
                    if let central { try run("report-cli", "sync", "--db", db, "--central", central) } else { try run("report-cli", "sync", "--db", db) }
                }
            }
        }

        /// Expects the field replicas and the central to hold exactly `titles` for squad-3, with equal digests.
        func expectConverged(holding titles: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let central = try run("report-cli", "digest", "--db", "central.sqlite", "--unit", "squad-3")
            for db in ["laptop.sqlite", "tablet.sqlite", "central.sqlite"] {
                #expect(try run("report-cli", "digest", "--db", db, "--unit", "squad-3") == central, "\(db) differs from the central", sourceLocation: sourceLocation)
                let listed = try JSONSerialization.jsonObject(with: Data(try run("report-cli", "list", "--db", db, "--json").utf8)) as? [[String: Any]] ?? []
                #expect(Set(listed.compactMap { $0["title"] as? String }) == titles, "\(db) holds other reports", sourceLocation: sourceLocation)
            }
        }

        /// Puts `backup` back over `name` the way `cp backup name` does: the same file (same inode), new bytes.
        func copyOver(_ backup: String, to name: String) throws {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path(name) + suffix) }
            let handle = try #require(FileHandle(forWritingAtPath: path(name)))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: try Data(contentsOf: URL(fileURLWithPath: path(backup))))
            try handle.close()
        }

        /// How a person puts a field's backup back.
        enum PutBack: String, CaseIterable, Sendable {
            /// `rm field.sqlite*; cp backup field.sqlite`: a new file (usually another inode).
            case removeAndCopy
            /// `cp backup field.sqlite`: the same file, new bytes; only the watermark tells.
            case copyOver
        }

        @Test(
            "a field put back from a plain copy and drafting before its next sync takes a new replica id first: nothing is refused, nothing is missing",
            arguments: PutBack.allCases)
        func fieldPutBack(_ how: PutBack) async throws {
            defer { try? FileManager.default.removeItem(at: directory) }
            let server = try await bureau()
            defer { server.stop() }
            try draft("备份前", on: "laptop.sqlite")
            try syncAll()
            try FileManager.default.copyItem(atPath: path("laptop.sqlite"), toPath: path("laptop.bak"))
            for title in ["备份后一", "备份后二", "备份后三"] { try draft(title, on: "laptop.sqlite") }
            try run("report-cli", "sync", "--db", "laptop.sqlite")

            switch how {
            case .removeAndCopy:
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path("laptop.sqlite") + suffix) }
                try FileManager.default.copyItem(atPath: path("laptop.bak"), toPath: path("laptop.sqlite"))
            case .copyOver:
                try copyOver("laptop.bak", to: "laptop.sqlite")
            }
            try draft("恢复后", on: "laptop.sqlite")
            try syncAll()

            try expectConverged(holding: ["备份前", "备份后一", "备份后二", "备份后三", "恢复后"])
            #expect(try run("report-cli", "status", "--db", "laptop.sqlite").contains("new replica id"), "status says the replica took a new id, and why")
            let status = try JSONSerialization.jsonObject(with: Data(try run("report-cli", "status", "--db", "laptop.sqlite", "--json").utf8)) as? [String: Any]
            #expect(status?["rejectedByCentral"] as? Int == 0, "nothing the restored device wrote was refused")
        }

        @Test("a field put back whole with its machine (cp over its file, watermarks too) learns from the central at its next sync that it is an older copy")
        func fieldRestoredWithItsMachine() async throws {
            defer { try? FileManager.default.removeItem(at: directory) }
            let server = try await bureau()
            defer { server.stop() }
            try draft("备份前", on: "laptop.sqlite")
            try syncAll()
            try FileManager.default.copyItem(atPath: path("laptop.sqlite"), toPath: path("laptop.bak"))
            try FileManager.default.copyItem(atPath: path(Binaries.stateFolder), toPath: path("state.bak"))
            for title in ["备份后一", "备份后二"] { try draft(title, on: "laptop.sqlite") }
            try run("report-cli", "sync", "--db", "laptop.sqlite")

            // The same file (same inode) and the same watermarks as at the backup: only the central can tell.
            try copyOver("laptop.bak", to: "laptop.sqlite")
            try FileManager.default.removeItem(atPath: path(Binaries.stateFolder))
            try FileManager.default.copyItem(atPath: path("state.bak"), toPath: path(Binaries.stateFolder))
            // Drafted before the sync: under the dot the old self gave 备份后一, which the central holds.
            try draft("恢复后先写", on: "laptop.sqlite")
            let synced = try run("report-cli", "sync", "--db", "laptop.sqlite")
            #expect(synced.contains("older than what this replica had written"), "one line says what happened: \(synced)")
            #expect(synced.contains("written again under a new replica id"), "and one what became of the draft: \(synced)")
            try draft("恢复后", on: "laptop.sqlite")
            try syncAll()

            try expectConverged(holding: ["备份前", "备份后一", "备份后二", "恢复后先写", "恢复后"])
        }

        @Test("a central restored from an older backup: the fields send again what it lost, give back its lost receipt, pull again, and new work goes on")
        func centralRestoredFromOlderBackup() async throws {
            defer { try? FileManager.default.removeItem(at: directory) }
            var server = try await bureau()
            defer { server.stop() }
            try Binaries.setUpKeys(["wang", "li", "zhao"], on: "laptop.sqlite", in: directory)
            try draft("备份前", on: "laptop.sqlite")
            try syncAll()
            try run("syncd", "backup", "--db", "central.sqlite", "--out", "central.bak")
            let signed = try draft("签发件", on: "laptop.sqlite")
            for (action, actor) in [("submit", "wang"), ("review", "li"), ("sign", "zhao")] {
                try run("report-cli", action, signed, "--db", "laptop.sqlite", "--as", actor)
            }
            try draft("平板备份后", on: "tablet.sqlite")
            try syncAll()
            #expect(try run("report-cli", "show", signed, "--db", "tablet.sqlite").contains("received"), "the central received it before it lost its disk")

            server.stop()
            let restored = try run("syncd", "restore", "--from", "central.bak", "--db", "central.sqlite")
            #expect(restored.contains("incarnation"))
            server = try await ServerProcess.start(db: "central.sqlite", in: directory)
            try draft("恢复后", on: "tablet.sqlite")
            let first = try run("report-cli", "sync", "--db", "tablet.sqlite", "--central", server.url)
            #expect(first.contains("the central was restored"), "one line says what happened: \(first)")
            try syncAll(central: server.url)

            try expectConverged(holding: ["备份前", "签发件", "平板备份后", "恢复后"])
            let history = try run("report-cli", "history", signed, "--db", "central.sqlite")
            #expect(history.components(separatedBy: "receive:").count == 2, "the receipt the central lost came back, and no second one was made:\n\(history)")
            #expect(try run("report-cli", "verify", "--db", "central.sqlite").contains("all verify"))
        }

        @Test("a central whose file is deleted while it serves refuses writes with 503 and fails /healthz; after the restore nothing acknowledged is lost")
        func centralDeletedWhileServing() async throws {
            defer { try? FileManager.default.removeItem(at: directory) }
            var server = try await bureau()
            defer { server.stop() }
            try draft("备份前", on: "laptop.sqlite")
            try syncAll()
            try run("syncd", "backup", "--db", "central.sqlite", "--out", "central.bak")
            try draft("备份后", on: "laptop.sqlite")
            try syncAll()
            let probe = try run("syncd", "enroll", "--db", "central.sqlite", "--unit", "squad-3", "--device", "probe")

            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path("central.sqlite") + suffix) }
            try draft("删除后", on: "laptop.sqlite")
            let refused = try Binaries.run("report-cli", ["sync", "--db", "laptop.sqlite"], in: directory)
            #expect(refused.status == 1)
            #expect(refused.err.contains("was deleted or moved away while syncd was serving it"), "\(refused.err)")
            let health = try await SyncClient.http.execute(HTTPClientRequest(url: server.url + "/healthz"), timeout: .seconds(10))
            #expect(health.status.code == 503, "/healthz fails once the file is gone")
            var push = HTTPClientRequest(url: server.url + "/v1/push")
            push.method = .POST
            push.headers.add(name: "Authorization", value: "Bearer \(probe)")
            push.headers.add(name: "Content-Type", value: "application/json")
            push.body = .bytes(ByteBuffer(string: #"{"changes":[]}"#))
            #expect(try await SyncClient.http.execute(push, timeout: .seconds(10)).status.code == 503, "a push is refused too")
            let outbox = try JSONSerialization.jsonObject(with: Data(try run("report-cli", "status", "--db", "laptop.sqlite", "--json").utf8)) as? [String: Any]
            #expect(outbox?["outgoing"] as? Int == 1, "the refused push left the draft in the outbox")

            server.stop()
            // Put back as a person would without syncd restore: a copy of the backup file.
            try FileManager.default.copyItem(atPath: path("central.bak"), toPath: path("central.sqlite"))
            server = try await ServerProcess.start(db: "central.sqlite", in: directory)
            try syncAll(central: server.url)
            try draft("恢复后", on: "tablet.sqlite")
            try syncAll()

            try expectConverged(holding: ["备份前", "备份后", "删除后", "恢复后"])
        }

        @Test("syncd compact while the central serves keeps everything a lagging device needs: it catches up, and its own work goes in")
        func compactionWithALaggingDevice() async throws {
            defer { try? FileManager.default.removeItem(at: directory) }
            let server = try await bureau()
            defer { server.stop() }
            try draft("早前", on: "tablet.sqlite")
            try syncAll()
            // The tablet stays offline while the laptop writes and rewrites (free pages for VACUUM).
            let id = try draft("笔记本", on: "laptop.sqlite")
            for round in 0..<5 {
                try run("report-cli", "edit", id, "--db", "laptop.sqlite", "--as", "wang", "--body", String(repeating: "长正文\(round)", count: 100))
                try run("report-cli", "sync", "--db", "laptop.sqlite")
            }
            try draft("平板离线", on: "tablet.sqlite")
            let compacted = try run("syncd", "compact", "--db", "central.sqlite")
            let sizes = compacted.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            #expect(sizes.count >= 2 && sizes[1] <= sizes[0], "the file does not grow: \(compacted)")

            try syncAll()
            try expectConverged(holding: ["早前", "笔记本", "平板离线"])
            #expect(try run("report-cli", "digest", "--db", "tablet.sqlite") == (try run("report-cli", "digest", "--db", "laptop.sqlite")))
        }
    }
}
