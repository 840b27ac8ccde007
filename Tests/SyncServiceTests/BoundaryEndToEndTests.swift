import AsyncHTTPClient
import Foundation
import Store
import SyncCore
import SyncService
import TestSupport
import Testing

/// The push boundary across real processes: a real `syncd serve`, field replicas driven by the real
/// `report-cli`, and a device that crafts its own requests with its valid token.
@Suite("Push boundary end to end", .serialized)
struct BoundaryEndToEndTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-boundary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func run(_ tool: String, _ arguments: String...) throws -> String {
        let result = try Binaries.run(tool, arguments, in: directory)
        #expect(result.status == 0, "\(tool) \(arguments): \(result.err)")
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a device that pushes as the other device of its unit is refused; both devices keep syncing and end equal to the central")
    func deviceWritesOnlyAsItself() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try run("syncd", "init", "--db", "central.sqlite", "--bureau", "某某局")
        _ = try run("syncd", "unit", "add", "--db", "central.sqlite", "--id", "squad-3", "--name", "第三中队")
        _ = try run("syncd", "member", "add", "--db", "central.sqlite", "--id", "wang", "--name", "王", "--unit", "squad-3", "--role", "drafter")
        _ = try run("syncd", "member", "add", "--db", "central.sqlite", "--id", "li", "--name", "李", "--unit", "squad-3", "--role", "unit-head")
        let laptop = try run("syncd", "enroll", "--db", "central.sqlite", "--unit", "squad-3", "--device", "laptop")
        let tablet = try run("syncd", "enroll", "--db", "central.sqlite", "--unit", "squad-3", "--device", "tablet")
        let scrape = directory.appendingPathComponent("metrics.token")
        try Data("a-scrape-token-for-prometheus\n".utf8).write(to: scrape)
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory, arguments: ["--metrics-token-file", scrape.path])
        defer { server.stop() }
        _ = try run("report-cli", "init", "--db", "laptop.sqlite", "--central", server.url, "--token", laptop)
        _ = try run("report-cli", "init", "--db", "tablet.sqlite", "--central", server.url, "--token", tablet)
        try Binaries.setUpKeys(["wang"], on: "laptop.sqlite", in: directory)

        let id = try run("report-cli", "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "初稿")
        _ = try run("report-cli", "sync", "--db", "laptop.sqlite")
        _ = try run("report-cli", "sync", "--db", "tablet.sqlite")

        // The tablet crafts the laptop's next change by hand: its dot names the laptop's replica.
        let laptopReplica = try Replica.open(at: directory.appendingPathComponent("laptop.sqlite").path)
        let victim = try laptopReplica.identity().replicaID
        let record = try #require(try laptopReplica.records().first { $0.id == id })
        let counter = try laptopReplica.changes(limit: 10_000).map(\.change).filter { $0.dot.replica == victim }.map(\.dot.counter).max() ?? 0
        let forged = Change(
            dot: Dot(replica: victim, counter: counter + 1), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: id, unit: "squad-3", actor: "wang", context: record.vv,
            payload: .content(ContentWrite(creates: false, fields: ["title": #""冒名""#])))
        await #expect(throws: ReportSyncError.self) { _ = try await SyncClient(baseURL: server.url, token: tablet).push([forged]) }
        let central = try run("report-cli", "digest", "--db", "central.sqlite", "--unit", "squad-3")

        // The laptop's own next change takes that very dot, and goes through; every copy ends equal.
        _ = try run("report-cli", "submit", id, "--db", "laptop.sqlite", "--as", "wang")
        let sync = try run("report-cli", "sync", "--db", "laptop.sqlite")
        #expect(!sync.contains("rejected 1"), "\(sync)")
        _ = try run("report-cli", "sync", "--db", "tablet.sqlite")
        let digests = try ["central.sqlite", "laptop.sqlite", "tablet.sqlite"].map { try run("report-cli", "digest", "--db", $0, "--unit", "squad-3") }
        #expect(Set(digests).count == 1, "\(digests)")
        #expect(digests[0] != central, "the submit arrived")
        #expect(try run("report-cli", "show", id, "--db", "central.sqlite").contains("夜查"))

        // Metrics: a device's token is refused; the scrape token reads them.
        for (token, status) in [(tablet, 401), ("a-scrape-token-for-prometheus", 200)] as [(String, UInt)] {
            var request = HTTPClientRequest(url: server.url + "/metrics")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await SyncClient.http.execute(request, timeout: .seconds(10))
            #expect(response.status.code == status)
        }
    }
}
