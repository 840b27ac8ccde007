import Foundation
import Store
import StorePostgres
import SyncCore
import SyncService
import TestSupport
import Testing

/// Several `syncd serve` on one PostgreSQL database (docs/postgres.md, "Several servers"): the push of
/// each change taken once, and a feed no reader passes a change in, whichever server each request hits.
@Suite("Two servers on one PostgreSQL database", .serialized)
struct TwoServerTests {
    static let units = ["squad-1", "squad-2", "squad-3", "squad-4", "squad-5"]
    static let devicesPerUnit = 10

    @Test("50 devices push and pull through two syncd serve at random: every change taken once, no reader skips one, every digest the central's")
    func fiftyDevicesTwoServers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-two-servers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let central = try CentralReplica.create(
            at: directory.appendingPathComponent("central.sqlite").path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        var tokens: [(unit: String, token: String)] = []
        for unit in Self.units {
            try central.replica.addUnit(OrgUnit(id: unit, name: unit, kind: .squad, parent: "bureau"))
            try central.replica.addMember(Member(id: "drafter-\(unit)", name: unit, unit: unit, role: .drafter))
            for d in 0..<Self.devicesPerUnit { tokens.append((unit, try central.enroll(unit: unit, device: "\(unit)-device-\(d)"))) }
        }
        let address = try await TestPostgres.copy(centralAt: directory.appendingPathComponent("central.sqlite").path)
        let first = try await ServerProcess.start(db: TestPostgres.url(of: address), in: directory)
        defer { first.stop() }
        let second = try await ServerProcess.start(db: TestPostgres.url(of: address), in: directory)
        defer { second.stop() }
        let servers = [first.url, second.url]

        let fields = try tokens.map { try FieldReplica.inMemory(unit: $0.unit) }
        // Each device's rounds: a sync, then three times two drafts and a sync, each round through a server
        // picked at random; all devices at once.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, field) in fields.enumerated() {
                let token = tokens[index].token
                let unit = tokens[index].unit
                group.addTask {
                    var rng = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
                    var drafted = 0
                    for round in 0..<4 {
                        if round > 0 {
                            for _ in 0..<2 {
                                _ = try field.replica.draft(
                                    ReportContent(category: .dynamic, title: "设备\(index)第\(round)轮", body: "两台服务器"), by: "drafter-\(unit)")
                                drafted += 1
                            }
                        }
                        let server = servers[Int(rng.next() % UInt64(servers.count))]
                        _ = try await SyncRound.run(field, client: SyncClient(baseURL: server, token: token))
                    }
                    return drafted
                }
            }
            var total = 0
            for try await drafted in group { total += drafted }
            #expect(total == fields.count * 6)
        }
        // A last round each, once nobody pushes any more, brings every device what the others sent.
        for (index, field) in fields.enumerated() {
            _ = try await SyncRound.run(field, client: SyncClient(baseURL: servers[index % 2], token: tokens[index].token))
        }

        try await PostgresDatabase.with(address) { db in
            // Every change taken once: each device's six reports, each created once, and nothing waits.
            let reports = try await db.rows("SELECT COUNT(*)::bigint FROM reports", as: Int.self).first
            #expect(reports == fields.count * 6)
            let pending = try await db.rows("SELECT COUNT(*)::bigint FROM pending_changes", as: Int.self).first
            #expect(pending == 0)
            // The feed's sequences have no hole: no transaction took one and committed out of order.
            let logged = try await db.rows("SELECT COUNT(*)::bigint FROM changes", as: Int.self).first
            let span = try await db.rows("SELECT MAX(seq) - MIN(seq) + 1 FROM changes", as: Int.self).first
            #expect(logged != nil && logged == span)
            for (index, field) in fields.enumerated() {
                let unit = tokens[index].unit
                #expect(try field.replica.digest(unit: unit) == (try await db.digest(unit: unit)), "device \(index) of \(unit)")
                #expect(try field.outbox().isEmpty, "device \(index) has nothing left to send")
            }
        }
    }
}
