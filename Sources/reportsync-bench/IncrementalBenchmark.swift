import Foundation
import Store
import SyncCore
import SyncService

/// A 100-change sync round (push and pull over loopback HTTP) into centrals holding different numbers
/// of reports: the cost must follow the change, not the size of the central.
enum IncrementalBenchmark {
    struct Point: Codable {
        let centralReports: Int
        let roundMilliseconds: Double
    }

    static func run(sizes: [Int], changes: Int, in directory: URL) async throws -> [Point] {
        var points: [Point] = []
        for size in sizes {
            points.append(Point(centralReports: size, roundMilliseconds: try await round(size: size, changes: changes, in: directory)))
        }
        return points
    }

    /// Where the central of `size` reports is kept for the rest of the run (the memory part serves it).
    static func centralPath(size: Int, in directory: URL) -> String {
        directory.appendingPathComponent("central-\(size).sqlite").path
    }

    /// Fills a central with `size` reports of another unit, then times one field round of `changes` new writes.
    static func round(size: Int, changes: Int, in directory: URL) async throws -> Double {
        let center = try CentralReplica.create(at: centralPath(size: size, in: directory), bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        let central = center.replica
        try central.addUnit(OrgUnit(id: "squad", name: "squad", kind: .squad, parent: "bureau"))
        try central.addUnit(OrgUnit(id: "other", name: "other", kind: .squad, parent: "bureau"))
        try central.addMember(Member(id: "wang", name: "wang", unit: "squad", role: .drafter))
        try fill(central, reports: size)
        let token = try center.enroll(unit: "squad", device: "field")
        let field = try FieldReplica.create(
            at: directory.appendingPathComponent("field-\(size).sqlite").path, unit: "squad", centralURL: "", token: token)
        return try await withLoopbackServer(center, token: token) { client, port in
            try field.setCentralURL("http://127.0.0.1:\(port)")
            _ = try await SyncRound.run(field, client: client)  // reference data; the central's reports are another unit's
            for i in 0..<changes {
                _ = try field.replica.draft(ReportContent(category: .dynamic, title: "t\(i)", body: "b"), by: "wang")
            }
            let started = ContinuousClock.now
            _ = try await SyncRound.run(field, client: client)
            return (ContinuousClock.now - started).seconds * 1000
        }
    }

    /// Adds `reports` drafts of unit `other` to `central`, 5,000 to a transaction.
    static func fill(_ central: Replica, reports: Int) throws {
        let hlc0 = Date().millisecondsSince1970 - 86_400_000
        var index = 0
        while index < reports {
            let batch = (index..<min(index + 5000, reports)).map { i in
                Change(
                    dot: Dot(replica: "filler", counter: Int64(i + 1)), hlc: HybridTimestamp(wallMilliseconds: hlc0, logical: 0),
                    record: String(format: "filler-%08d", i), unit: "other", actor: "filler", context: VersionVector(),
                    payload: .content(
                        ContentWrite(creates: true, fields: PeersWorkload.fields(title: "filler", body: "\"\(String(repeating: "x", count: 280))\""))))
            }
            _ = try central.receive(batch)
            index += batch.count
        }
    }
}
