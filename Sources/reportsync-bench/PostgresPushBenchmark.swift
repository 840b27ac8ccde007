import Foundation
import Store
import StorePostgres
import SyncCore

/// The same push as `PushBenchmark` into a central on PostgreSQL (a copy of the same central, served by
/// `PostgresCentral` on loopback), against the SQLite central's push of the same run, with `pgbench -S`
/// on the same cluster as the database's own ceiling (docs/postgres.md).
enum PostgresPushBenchmark {
    struct Result: Codable {
        let changes: Int
        let seconds: Double
        let perSecond: Double
        /// The SQLite central's push of the same changes in the same run.
        let sqlitePerSecond: Double
        /// PostgreSQL's rate over SQLite's (goal ≥ 0.5).
        let ratio: Double
        /// Read-only transactions a second of `pgbench -S` (two clients) on the same cluster.
        let pgbenchSelectTPS: Double?
    }

    static func run(changes: [Change], replicas: Int, cluster: String, sqlitePerSecond: Double, in directory: URL) async throws -> Result {
        let (center, token) = try PushBenchmark.central(replicas: replicas, named: "central-for-postgres.sqlite", in: directory)
        let address = try await freshDatabase(on: cluster)
        _ = try await CentralMigration.copy(from: center, to: address)
        let central = try PostgresCentral(address: address, files: nil)
        let seconds = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await central.run() }
            defer { group.cancelAll() }
            return try await withLoopbackServer(central, token: token) { client, _ in try await PushBenchmark.pushAll(changes, with: client) }
        }
        await dropDatabase(address, on: cluster)
        let rate = Double(changes.count) / seconds
        let pgbench = try await freshDatabase(on: cluster)
        let tps = try? pgbenchSelect(on: pgbench)
        await dropDatabase(pgbench, on: cluster)
        return Result(
            changes: changes.count, seconds: seconds, perSecond: rate, sqlitePerSecond: sqlitePerSecond, ratio: rate / sqlitePerSecond,
            pgbenchSelectTPS: tps)
    }

    /// Drops a database `freshDatabase` made, once nothing uses it (a benchmark's copies are large).
    static func dropDatabase(_ address: PostgresAddress, on cluster: String) async {
        _ = try? await PostgresDatabase.with(try PostgresAddress(parsing: cluster), migrating: false) { db in
            try await db.run("DROP DATABASE IF EXISTS \(address.database) WITH (FORCE)")
        }
    }

    /// A new database on the cluster at `cluster` (a URL whose user may create databases).
    static func freshDatabase(on cluster: String) async throws -> PostgresAddress {
        var address = try PostgresAddress(parsing: cluster)
        let name = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresDatabase.with(address, migrating: false) { db in try await db.run("CREATE DATABASE \(name)") }
        address.database = name
        return address
    }

    /// `pgbench -S` (select-only), 20,000 transactions by each of two clients after `pgbench -i`:
    /// transactions a second. (A count, not `-T`: pgbench's timer is a signal, which a child of this
    /// process may not get.)
    static func pgbenchSelect(on address: PostgresAddress) throws -> Double? {
        guard let bin = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted().last.map({ "/usr/lib/postgresql/\($0)/bin/pgbench" }),
            FileManager.default.isExecutableFile(atPath: bin)
        else { return nil }
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = address.password
        let target = ["-h", address.host, "-p", String(address.port), "-U", address.user, address.database]
        func pgbench(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: bin)
            process.arguments = arguments + target
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self)
        }
        _ = try pgbench(["-i", "-q"])
        let output = try pgbench(["-S", "-t", "20000", "-c", "2", "-j", "2"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }) else { return nil }
        return Double(line.dropFirst(6).prefix { $0.isNumber || $0 == "." })
    }
}
