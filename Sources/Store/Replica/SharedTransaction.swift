import GRDB
import NIOPosix

/// A write transaction that several units of work share on one thread (`Replica.inOneTransaction`):
/// while it is open, the replica's `write` runs in a savepoint of it and `read` reads it, so code written
/// for a transaction of its own runs unchanged inside it. Only the thread that opened it ever sees it
/// (it is thread-specific), hence unchecked `Sendable`.
final class SharedTransaction: @unchecked Sendable {
    let db: Database
    let replica: ObjectIdentifier
    /// The highest dot counter each replica id issued in the transaction, raised on disk after the
    /// commit (`CounterWatermark`): never before, so the watermark never gets ahead of the file.
    var issued: [String: Int64] = [:]

    init(db: Database, replica: Replica) {
        self.db = db
        self.replica = ObjectIdentifier(replica)
    }

    /// The shared transaction open on this thread, if any.
    static let current = ThreadSpecificVariable<SharedTransaction>()
}

extension Replica {
    /// Runs `body` in one write transaction that every `write` and `read` of this replica on this thread
    /// joins meanwhile (a `write` as a savepoint, which rolls back alone when it throws), and commits it
    /// once (`PushGroups`).
    func inOneTransaction(_ body: (Database) throws -> Void) throws {
        var issued: [String: Int64] = [:]
        try write { db in
            let shared = SharedTransaction(db: db, replica: self)
            SharedTransaction.current.currentValue = shared
            defer { SharedTransaction.current.currentValue = nil }
            try body(db)
            issued = shared.issued
        }
        if path != nil { for (replica, counter) in issued { CounterWatermark.raise(replica: replica, to: counter) } }
    }

    /// The shared transaction this replica's work on this thread joins, if one is open.
    var sharedTransaction: SharedTransaction? {
        guard let shared = SharedTransaction.current.currentValue, shared.replica == ObjectIdentifier(self) else { return nil }
        return shared
    }
}
