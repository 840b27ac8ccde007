import AsyncHTTPClient
import Foundation
import Store
import SyncCore
import SyncService

/// Field → central push over loopback HTTP into an SQLite central, against a raw SQLite insert of the
/// same rows in the same run; and the cost of an idle sync.
enum PushBenchmark {
    struct Result: Codable {
        let changes: Int
        let seconds: Double
        let perSecond: Double
        let rawInsertPerSecond: Double
        /// ReportSync's rate over the raw insert's.
        let ratio: Double
        let idleRoundTrips: Int
        let idleResponseBytes: Int
    }

    /// The central the pushes go to, in a new file named `name`: a unit, a drafter for each of the
    /// workload's `replicas`, and the token of the device that pushes.
    static func central(replicas: Int, named name: String, in directory: URL) throws -> (central: CentralReplica, token: String) {
        let center = try CentralReplica.create(at: directory.appendingPathComponent(name).path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        try center.replica.addUnit(OrgUnit(id: "squad", name: "squad", kind: .squad, parent: "bureau"))
        for r in 0..<replicas {
            let id = String(format: "office-%02d", r)
            try center.replica.addMember(Member(id: id, name: id, unit: "squad", role: .drafter))
        }
        return (center, try center.enroll(unit: "squad", device: "bench"))
    }

    /// Pushes `changes` in batches of the protocol's largest and returns the seconds it took.
    static func pushAll(_ changes: [Change], with client: SyncClient) async throws -> Double {
        let started = ContinuousClock.now
        var index = 0
        while index < changes.count {
            let batch = Array(changes[index..<min(index + SyncProtocol.maxBatch, changes.count)])
            let answer = try await client.push(batch)
            precondition(answer.results.allSatisfy { $0.status == .accepted }, "the benchmark's changes must be accepted")
            index += batch.count
        }
        return (ContinuousClock.now - started).seconds
    }

    static func run(changes: [Change], replicas: Int, in directory: URL) async throws -> Result {
        let (center, token) = try central(replicas: replicas, named: "central.sqlite", in: directory)
        let central = center.replica
        return try await withLoopbackServer(center, token: token) { client, port in
            let seconds = try await pushAll(changes, with: client)
            // An idle sync: one pull after the last sequence.
            let top = try central.lastSequence()
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/changes?after=\(top)")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await SyncClient.http.execute(request, timeout: .seconds(10))
            let idleBytes = try await response.body.collect(upTo: 1 << 20).readableBytes
            let raw = try StoreApplyBenchmark.rawUpsert(changes, at: directory.appendingPathComponent("raw-push.sqlite").path)
            let rate = Double(changes.count) / seconds
            let rawRate = Double(changes.count) / raw
            return Result(
                changes: changes.count, seconds: seconds, perSecond: rate, rawInsertPerSecond: rawRate, ratio: rate / rawRate,
                idleRoundTrips: 1, idleResponseBytes: idleBytes)
        }
    }
}
