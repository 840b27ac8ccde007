import AsyncHTTPClient
import Foundation
import NIOCore
import Store
import SyncCore
import SyncService

/// The central under load: many field replicas at once, each syncing small deltas (push one change,
/// pull what is new) over loopback HTTP: rounds per second and the latency of a round.
enum LoadBenchmark {
    struct Result: Codable {
        let devices: Int
        let roundsPerDevice: Int
        let roundsPerSecond: Double
        let p50Milliseconds: Double
        let p99Milliseconds: Double
    }

    static func run(devices: Int, rounds: Int, in directory: URL) async throws -> Result {
        let center = try CentralReplica.create(at: directory.appendingPathComponent("central-load.sqlite").path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        let central = center.replica
        let tokens = try (0..<devices).map { d in
            let unit = String(format: "unit-%03d", d)
            try central.addUnit(OrgUnit(id: unit, name: unit, kind: .squad, parent: "bureau"))
            try central.addMember(Member(id: "m-\(unit)", name: unit, unit: unit, role: .drafter))
            return try center.enroll(unit: unit, device: "device-\(d)")
        }
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: devices + 8),
                decompression: .enabled(limit: .ratio(100))))
        let result = try await withLoopbackServer(center, token: tokens[0]) { _, port in
            let clients = tokens.map { SyncClient(baseURL: "http://127.0.0.1:\(port)", token: $0, http: http) }
            // Each device first pulls the reference data, as `report-cli init --central` does.
            var cursors: [Int64] = []
            for client in clients { cursors.append(try await client.pull(after: 0).next) }
            let started = ContinuousClock.now
            let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                for (d, client) in clients.enumerated() {
                    let cursor = cursors[d]
                    group.addTask { try await device(d, client: client, cursor: cursor, rounds: rounds) }
                }
                var all: [Double] = []
                for try await device in group { all += device }
                return all.sorted()
            }
            let seconds = (ContinuousClock.now - started).seconds
            return Result(
                devices: devices, roundsPerDevice: rounds, roundsPerSecond: Double(latencies.count) / seconds,
                p50Milliseconds: latencies[latencies.count / 2], p99Milliseconds: latencies[latencies.count * 99 / 100])
        }
        try await http.shutdown()
        return result
    }

    /// One device's rounds: push a new report, pull the feed after its cursor; the time of each round in ms.
    static func device(_ d: Int, client: SyncClient, cursor: Int64, rounds: Int) async throws -> [Double] {
        let unit = String(format: "unit-%03d", d)
        var cursor = cursor
        var latencies: [Double] = []
        for r in 0..<rounds {
            let change = Change(
                dot: Dot(replica: "device-\(d)", counter: Int64(r + 1)),
                hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
                record: UUIDv7.make(), unit: unit, actor: "m-\(unit)", context: VersionVector(),
                payload: .content(ContentWrite(creates: true, fields: PeersWorkload.fields(title: "t\(r)", body: "\"巡查情况\""))))
            let started = ContinuousClock.now
            let pushed = try await client.push([change])
            precondition(pushed.results.allSatisfy { $0.status == .accepted }, "the load's changes must be accepted: \(pushed.results)")
            cursor = try await client.pull(after: cursor).next
            latencies.append((ContinuousClock.now - started).seconds * 1000)
        }
        return latencies
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
