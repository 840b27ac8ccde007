import AsyncHTTPClient
import Foundation
import NIOCore
import Store
import SyncCore
import SyncService

/// The central under load: many field replicas at once, each syncing small deltas (push one change,
/// pull what is new) over loopback HTTP: rounds per second and the latency of a round.
enum LoadBenchmark {
    /// Rounds per second and their latency, for `devices` devices of `roundsPerDevice` rounds each.
    struct Rounds: Codable {
        let devices: Int
        let roundsPerDevice: Int
        let roundsPerSecond: Double
        let p50Milliseconds: Double
        let p99Milliseconds: Double

        init(devices: Int, roundsPerDevice: Int, latencies: [Double], seconds: Double) {
            self.devices = devices
            self.roundsPerDevice = roundsPerDevice
            roundsPerSecond = Double(latencies.count) / seconds
            p50Milliseconds = latencies[latencies.count / 2]
            p99Milliseconds = latencies[latencies.count * 99 / 100]
        }
    }

    struct Result: Codable {
        let rounds: Rounds
        /// A device of another unit that starts with this many changes to pull, pulling them while the
        /// others sync.
        let catchUpChanges: Int
        /// Its pulls (pages of 1,000) and the p99 of their latency (with so few pulls, the slowest).
        let catchUpPulls: Int
        let catchUpP99Milliseconds: Double
    }

    static func run(devices: Int, rounds: Int, catchUp catchUpChanges: Int, in directory: URL) async throws -> Result {
        let center = try CentralReplica.create(at: directory.appendingPathComponent("central-load.sqlite").path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        let tokens = try enrollDevices(devices, at: center)
        let catchUpToken = try preloadCatchUp(center, changes: catchUpChanges)
        let http = httpClient(devices: devices)
        let result = try await withLoopbackServer(center, token: tokens[0]) { _, port in
            let catchingUp = SyncClient(baseURL: "http://127.0.0.1:\(port)", token: catchUpToken, http: http)
            let clients = try await firstPulls(tokens.map { SyncClient(baseURL: "http://127.0.0.1:\(port)", token: $0, http: http) })
            let started = ContinuousClock.now
            async let catchUpLatencies = catchUp(catchingUp)
            let latencies = try await allRounds(clients, rounds: rounds)
            let seconds = (ContinuousClock.now - started).seconds
            let pulls = try await catchUpLatencies.sorted()
            return Result(
                rounds: Rounds(devices: devices, roundsPerDevice: rounds, latencies: latencies, seconds: seconds),
                catchUpChanges: catchUpChanges, catchUpPulls: pulls.count, catchUpP99Milliseconds: pulls[pulls.count * 99 / 100])
        }
        try await http.shutdown()
        return result
    }

    /// A unit, a drafter and an enrolled device for each of `count` devices; their tokens.
    static func enrollDevices(_ count: Int, at center: CentralReplica) throws -> [String] {
        try (0..<count).map { d in
            let unit = String(format: "unit-%03d", d)
            try center.replica.addUnit(OrgUnit(id: unit, name: unit, kind: .squad, parent: "bureau"))
            try center.replica.addMember(Member(id: "m-\(unit)", name: unit, unit: unit, role: .drafter))
            return try center.enroll(unit: unit, device: "device-\(d)")
        }
    }

    /// One HTTP client for all the devices, with a connection each.
    static func httpClient(devices: Int) -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: devices + 8),
                decompression: .enabled(limit: .ratio(100))))
    }

    /// Each device first pulls the reference data, as `report-cli init --central` does (not timed).
    static func firstPulls(_ clients: [SyncClient]) async throws -> [(client: SyncClient, cursor: Int64)] {
        var pulled: [(client: SyncClient, cursor: Int64)] = []
        for client in clients { pulled.append((client, try await client.pull(after: 0).next)) }
        return pulled
    }

    /// Every device's rounds at once; the time of each round in ms, sorted.
    static func allRounds(_ devices: [(client: SyncClient, cursor: Int64)], rounds: Int) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for (d, device) in devices.enumerated() {
                group.addTask { try await self.device(d, client: device.client, cursor: device.cursor, rounds: rounds) }
            }
            var all: [Double] = []
            for try await device in group { all += device }
            return all.sorted()
        }
    }

    /// A unit whose device has `changes` new reports waiting in its feed (pushed before the load, not
    /// timed); its token.
    static func preloadCatchUp(_ center: CentralReplica, changes: Int) throws -> String {
        let unit = "catch-up"
        try center.replica.addUnit(OrgUnit(id: unit, name: unit, kind: .squad, parent: "bureau"))
        try center.replica.addMember(Member(id: "m-\(unit)", name: unit, unit: unit, role: .drafter))
        let token = try center.enroll(unit: unit, device: "device-\(unit)")
        let device = try center.authenticate(token: token)
        let now = Date().millisecondsSince1970
        let all = (0..<changes).map { i in
            Change(
                dot: Dot(replica: "device-\(unit)", counter: Int64(i + 1)), hlc: HybridTimestamp(wallMilliseconds: now, logical: Int64(i)),
                record: UUIDv7.make(), unit: unit, actor: "m-\(unit)", context: VersionVector(),
                payload: .content(ContentWrite(creates: true, fields: PeersWorkload.fields(title: "t\(i)", body: "\"巡查情况\""))))
        }
        for start in stride(from: 0, to: all.count, by: SyncProtocol.maxBatch) {
            let answers = try center.receivePush(Array(all[start..<min(start + SyncProtocol.maxBatch, all.count)]), from: device)
            precondition(answers.allSatisfy { $0.status == .accepted }, "the catching-up device's changes must be accepted")
        }
        return token
    }

    /// The catching-up device pulls its whole feed, a page at a time; the time of each pull in ms.
    static func catchUp(_ client: SyncClient) async throws -> [Double] {
        var cursor: Int64 = 0
        var latencies: [Double] = []
        while true {
            let started = ContinuousClock.now
            let page = try await client.pull(after: cursor)
            latencies.append((ContinuousClock.now - started).seconds * 1000)
            cursor = page.next
            if !page.more { return latencies }
        }
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
