import Foundation
import GRDB
import SyncCore

/// A replica's epochs (the Riak "kv679" defence): a replica whose file may be an older copy of itself
/// retires its replica id and takes a new one, so that it never issues a dot its old self may already
/// have used. Its changes under the old id stay as they are; the central sends back those it lacks.
enum ReplicaEpoch {
    /// Retires the replica's id and takes a new one, in the transaction `db`. A central starts a new
    /// incarnation too (`CentralIncarnation`): its fields then check what it lost.
    @discardableResult
    static func begin(_ reason: EpochReason, _ db: Database, at: Date) throws -> (old: String, new: String) {
        let old = try Meta.require(.replicaID, db)
        let previous = (try Meta.get(.previousReplicaIDs, db)).map { $0 + "," } ?? ""
        try Meta.set(.previousReplicaIDs, previous + old, db)
        let new = UUIDv7.make(at: at)
        try Meta.set(.replicaID, new, db)
        try Meta.set(.lastEpoch, "\(at.millisecondsSince1970) \(old) \(new) \(reason.description)", db)
        if try Meta.role(db) == .central { try CentralIncarnation.renew(db) }
        return (old, new)
    }

    /// The ids this replica wrote under before its current one, oldest first.
    static func previousIDs(_ db: Database) throws -> [String] {
        try Meta.get(.previousReplicaIDs, db)?.split(separator: ",").map(String.init) ?? []
    }

    /// Checks a file just opened for every sign, known without the network, that it is an older copy
    /// of itself, and begins a new epoch if it is one: a file made by `backup`, a file not where it was,
    /// or a counter behind the watermark this replica id left beside it.
    static func checkOpened(path: String, _ db: Database, at: Date) throws -> EpochReason? {
        let current = FileIdentity.of(path)
        let recorded = try Meta.get(.fileIdentity, db)
        if let current { try Meta.set(.fileIdentity, current, db) }
        let reason: EpochReason?
        if try Meta.get(.backupOf, db) != nil {
            try Meta.remove(.backupOf, db)
            reason = .backupRestored
        } else if let recorded, let current, recorded != current {
            reason = .fileMoved
        } else {
            let counter = Int64(try Meta.require(.counter, db)) ?? 0
            let id = try Meta.require(.replicaID, db)
            // The file's own log may hold a higher dot of its id than its counter (taken in from elsewhere
            // by an older program): the next dot would collide with it.
            let logged = try Int64.fetchOne(db, sql: "SELECT MAX(counter) FROM changes WHERE replica = ?", arguments: [id]) ?? 0
            let issued = max(CounterWatermark.read(replica: id) ?? 0, logged)
            reason = issued > counter ? .behindOwnHistory(issued: issued, file: counter) : nil
        }
        if let reason { try begin(reason, db, at: at) }
        return reason
    }
}
