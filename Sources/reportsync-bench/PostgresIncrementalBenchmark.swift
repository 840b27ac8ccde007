import Foundation
import Store
import StorePostgres
import SyncCore
import SyncService

/// The incremental sync of `IncrementalBenchmark` into a central on PostgreSQL: each central the SQLite
/// part filled is copied into a database of its own (`syncd migrate`'s copy), a new device of the same
/// unit is enrolled there, and a 100-change round (push and pull over loopback HTTP) is timed. The
/// figure must follow the change, not the central's size (docs/postgres.md).
enum PostgresIncrementalBenchmark {
    struct Point: Codable {
        let centralReports: Int
        /// The median of three rounds of `changes` new reports each.
        let roundMilliseconds: Double
        /// How long the copy of the SQLite central into PostgreSQL took (not part of the figure).
        let copySeconds: Double
    }

    static func run(sizes: [Int], changes: Int, cluster: String, in directory: URL) async throws -> [Point] {
        var points: [Point] = []
        for size in sizes {
            let central = try CentralReplica.open(at: IncrementalBenchmark.centralPath(size: size, in: directory))
            let address = try await PostgresPushBenchmark.freshDatabase(on: cluster)
            let started = ContinuousClock.now
            _ = try await CentralMigration.copy(from: central, to: address, pageSize: 5_000)
            let copySeconds = (ContinuousClock.now - started).seconds
            let token = try await PostgresCentral.enroll(unit: "squad", device: "field-postgres", at: address)
            let field = try FieldReplica.create(
                at: directory.appendingPathComponent("field-postgres-\(size).sqlite").path, unit: "squad", centralURL: "", token: token)
            let store = try PostgresCentral(address: address, files: nil)
            let rounds = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                defer { group.cancelAll() }
                return try await withLoopbackServer(store, token: token) { client, port in
                    try field.setCentralURL("http://127.0.0.1:\(port)")
                    _ = try await SyncRound.run(field, client: client)  // reference data and the unit's own reports
                    var rounds: [Double] = []
                    for round in 0..<3 {
                        for i in 0..<changes {
                            _ = try field.replica.draft(ReportContent(category: .dynamic, title: "pg\(round)-\(i)", body: "b"), by: "wang")
                        }
                        let started = ContinuousClock.now
                        _ = try await SyncRound.run(field, client: client)
                        rounds.append((ContinuousClock.now - started).seconds * 1000)
                    }
                    return rounds.sorted()[1]
                }
            }
            await PostgresPushBenchmark.dropDatabase(address, on: cluster)
            points.append(Point(centralReports: size, roundMilliseconds: rounds, copySeconds: copySeconds))
        }
        return points
    }
}
