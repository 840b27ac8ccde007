import Foundation
import GRDB
import Store
import SyncCore

/// Applying received changes into an SQLite replica, against a raw SQLite upsert of the same rows
/// (the peers' schema) in the same run.
enum StoreApplyBenchmark {
    struct Result: Codable {
        let changes: Int
        let replicaSeconds: Double
        let rawSeconds: Double
        let replicaPerSecond: Double
        let rawPerSecond: Double
        /// ReportSync's rate over the raw upsert's, measured in the same run.
        let ratio: Double

        init(changes: Int, replicaSeconds: Double, rawSeconds: Double) {
            self.changes = changes
            self.replicaSeconds = replicaSeconds
            self.rawSeconds = rawSeconds
            replicaPerSecond = Double(changes) / replicaSeconds
            rawPerSecond = Double(changes) / rawSeconds
            ratio = rawSeconds / replicaSeconds
        }
    }

    static func run(changes: [Change], batch: Int, in directory: URL) throws -> Result {
        let replicaPath = directory.appendingPathComponent("apply.sqlite").path
        let replica = try Replica.create(at: replicaPath, unit: OrgUnit(id: "squad", name: "squad", kind: .squad))
        let started = DispatchTime.now()
        var index = 0
        while index < changes.count {
            let slice = Array(changes[index..<min(index + batch, changes.count)])
            _ = try replica.receive(slice)
            index += batch
        }
        let replicaSeconds = seconds(since: started)

        let rawSeconds = try rawUpsert(changes, at: directory.appendingPathComponent("raw.sqlite").path)
        return Result(changes: changes.count, replicaSeconds: replicaSeconds, rawSeconds: rawSeconds)
    }

    /// The peers' raw table: id, a 300-byte payload, a small vector clock, a sequence; one transaction.
    static func rawUpsert(_ changes: [Change], at path: String) throws -> Double {
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let pool = try DatabasePool(path: path, configuration: config)
        try pool.write { db in
            try db.execute(
                sql: "CREATE TABLE reports(id TEXT PRIMARY KEY, payload TEXT, vclock TEXT, seq INTEGER); CREATE INDEX reports_seq ON reports(seq)")
        }
        let rows = try changes.enumerated().map { i, change -> (String, String, String, Int) in
            let payload: String
            if case .content(let write) = change.payload { payload = write.fields["body"] ?? "" } else { payload = "" }
            return (change.record, payload, try JSONCoding.string(change.context), i)
        }
        let started = DispatchTime.now()
        try pool.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO reports(id, payload, vclock, seq) VALUES (?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET payload = excluded.payload, vclock = excluded.vclock, seq = excluded.seq
                    """)
            for row in rows { try statement.execute(arguments: [row.0, row.1, row.2, row.3]) }
        }
        return seconds(since: started)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
