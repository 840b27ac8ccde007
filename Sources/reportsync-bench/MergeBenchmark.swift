import Foundation
import SyncCore

/// In-memory merge of the peers' workload into a fresh central replica (peers figure (c)).
enum MergeBenchmark {
    struct Result: Codable {
        let writes: Int
        let seconds: Double
        let recordsPerSecond: Double
        let conflicts: Int
        let converged: Bool

        init(writes: Int, seconds: Double, conflicts: Int, converged: Bool) {
            self.writes = writes
            self.seconds = seconds
            recordsPerSecond = Double(writes) / seconds
            self.conflicts = conflicts
            self.converged = converged
        }
    }

    static func run(_ workload: PeersWorkload) throws -> Result {
        let now = Date(timeIntervalSince1970: 1_795_100_000)
        var central = MemoryReplica(replicaID: "central")
        central.receive(workload.baseline, now: now)
        let started = DispatchTime.now()
        for changes in workload.writes { central.receive(changes, now: now) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let conflicts = central.records.values.reduce(0) { $0 + $1.fieldConflicts.count }
        // Convergence: a replica that takes the writes in the opposite order holds the same state.
        var other = MemoryReplica(replicaID: "other")
        other.receive(workload.baseline, now: now)
        for changes in workload.writes.reversed() { other.receive(changes.reversed(), now: now) }
        return Result(
            writes: workload.totalWrites, seconds: seconds, conflicts: conflicts,
            converged: try central.digest() == other.digest())
    }
}
