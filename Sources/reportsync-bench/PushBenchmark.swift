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

    static func run(changes: [Change], replicas: Int, in directory: URL) async throws -> Result {
        let center = try CentralReplica.create(at: directory.appendingPathComponent("central.sqlite").path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        let central = center.replica
        try central.addUnit(OrgUnit(id: "squad", name: "squad", kind: .squad, parent: "bureau"))
        for r in 0..<replicas {
            let id = String(format: "office-%02d", r)
            try central.addMember(Member(id: id, name: id, unit: "squad", role: .drafter))
        }
        let token = try center.enroll(unit: "squad", device: "bench")
        return try await withLoopbackServer(center, token: token) { client, port in
            let started = ContinuousClock.now
            var index = 0
            while index < changes.count {
                let batch = Array(changes[index..<min(index + SyncProtocol.maxBatch, changes.count)])
                let answer = try await client.push(batch)
                precondition(answer.results.allSatisfy { $0.status == .accepted }, "the benchmark's changes must be accepted")
                index += batch.count
            }
            let seconds = (ContinuousClock.now - started).seconds
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
