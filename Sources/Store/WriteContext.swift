import Foundation
import GRDB
import SyncCore

/// The clocks of one write transaction: hands out this replica's dots and hybrid logical clock stamps,
/// and saves them back with the transaction so that a dot is never issued twice.
struct WriteContext {
    let replicaID: String
    let now: Date
    private var counter: Int64
    private var clock: HybridLogicalClock

    init(_ db: Database, now: Date) throws {
        replicaID = try Meta.require(.replicaID, db)
        self.now = now
        counter = Int64(try Meta.require(.counter, db)) ?? 0
        clock = HybridLogicalClock(last: HybridTimestamp(rawValue: Int64(try Meta.require(.hlc, db)) ?? 0))
    }

    /// A fresh dot and stamp for one write.
    mutating func stamp() -> (dot: Dot, hlc: HybridTimestamp) {
        counter += 1
        return (Dot(replica: replicaID, counter: counter), clock.tick(now: now))
    }

    func save(_ db: Database) throws {
        try Meta.set(.counter, String(counter), db)
        try Meta.set(.hlc, String(clock.last.rawValue), db)
    }
}

extension Replica {
    /// Runs `body` in one write transaction with a write context whose clocks are saved on success.
    func transaction<T>(_ body: (Database, inout WriteContext) throws -> T) throws -> T {
        let at = now()
        return try write { db in
            var context = try WriteContext(db, now: at)
            let result = try body(db, &context)
            try context.save(db)
            return result
        }
    }
}
