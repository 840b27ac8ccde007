import Foundation
import Store
import SyncCore

/// What every write of a central on PostgreSQL reads first, under the feed's lock and in one round trip
/// (`PostgresDatabase.lockForWrite`): its settings (`replica_meta`), its policy's versions, and whether
/// changes wait. The lock is held to the commit, so none of it changes while the write runs: the ledger,
/// the engine and the writes all read it here instead of asking the database again. One state serves one
/// write (`PostgresApply.run` spends it): a second write in the same transaction takes the lock's state again.
final class CentralState {
    private let meta: [String: String]
    private let policyVersions: [(effectiveFrom: String, body: String)]
    /// Whether any received change waits for another (`pending_changes`).
    let hasWaiting: Bool
    /// Whether a write was made from it (after which its counter and clock are stale).
    var spent = false

    fileprivate init(meta: [String: String], policyVersions: [(effectiveFrom: String, body: String)], hasWaiting: Bool) {
        self.meta = meta
        self.policyVersions = policyVersions
        self.hasWaiting = hasWaiting
    }

    func value(_ key: Meta.Key) -> String? { meta[key.rawValue] }

    func require(_ key: Meta.Key) throws -> String {
        guard let value = meta[key.rawValue] else {
            throw ReportSyncError(.storage, "the central's database has no \(key.rawValue): it is not a central, or it is damaged")
        }
        return value
    }

    /// The policy in force at `date` (`PolicyInForce`).
    func policy(at date: Date) throws -> Policy {
        try PolicyInForce.at(date, among: policyVersions, decode: Replica.decodedPolicy)
    }
}

extension PostgresDatabase {
    /// Takes the feed's lock (held to the commit of the caller's transaction) and reads the central's
    /// state under it; refuses a database that holds no central.
    func lockForWrite() async throws -> CentralState {
        try await lockFeed()
        var meta: [String: String] = [:]
        var versions: [(effectiveFrom: String, body: String)] = []
        var waiting = false
        let rows = try await randomAccessRows(
            """
            SELECT 'meta' AS part, key AS name, value FROM replica_meta
            UNION ALL SELECT 'policy', effective_from, body FROM policy_versions
            UNION ALL SELECT 'waiting', '', 'yes' WHERE EXISTS (SELECT 1 FROM pending_changes)
            """)
        for row in rows {
            let name = try row["name"].decode(String.self), value = try row["value"].decode(String.self)
            switch try row["part"].decode(String.self) {
            case "meta": meta[name] = value
            case "policy": versions.append((name, value))
            default: waiting = true
            }
        }
        guard meta[Meta.Key.replicaRole.rawValue] == ReplicaRole.central.rawValue else {
            throw ReportSyncError(.invalidInput, "the PostgreSQL database at \(address) holds no central: make one with syncd init --db URL, or copy one in with syncd migrate")
        }
        let state = CentralState(meta: meta, policyVersions: versions, hasWaiting: waiting)
        try state.checkNotPutBack(at: address)
        return state
    }
}

extension CentralState {
    /// Throws when this machine saw the central issue a higher counter under its replica id than the
    /// database holds: the database was put back from an older dump, and a write now would issue dots
    /// again that devices already hold with other content (docs/postgres.md).
    func checkNotPutBack(at address: PostgresAddress) throws {
        guard let replica = value(.replicaID), let counter = value(.counter).flatMap(Int64.init),
            let mark = CounterWatermark.read(replica: replica), counter < mark
        else { return }
        throw ReportSyncError(
            .wrongState,
            "the central's database at \(address) is older than what was written to it from this machine (its counter \(counter), where \(mark) was issued): it was put back from an older copy. Stop every syncd serve on it and run syncd restore --db URL to take it as a new incarnation; nothing was written"
        )
    }
}
