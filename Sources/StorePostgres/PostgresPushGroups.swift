import NIOConcurrencyHelpers
import Store
import SyncCore

/// Group commit at a central on PostgreSQL: the network pushes that arrive at one server while it
/// writes wait together, and the next write takes them all under one hold of the feed's lock, on one
/// merge engine: one load of what they ask, one write of what they decide, one commit
/// (`PostgresCentral.mergeGroup`). A write under the lock is a chain of round trips to the database
/// (docs/postgres.md); a group pays for the chain once instead of once for each push.
///
/// Every push of a group is answered only after the commit that holds it. A push the group's run
/// refuses is written alone and the rest again as a group; when the group fails otherwise (a report that
/// would stay secret, the database), each of its pushes is written alone, as it would have been without
/// the group, and gets its own answer. A group holds at most one push of each device: the pushes of one
/// device are written one after the other, each seeing what the central refused of the one before.
final class PostgresPushGroups: Sendable {
    /// A push waiting for its group.
    struct Waiting: Sendable {
        let changes: [Change]
        let device: Enrollment
        fileprivate let answer: CheckedContinuation<[PushResult], any Error>

        /// Answers the push.
        func resume(with result: Result<[PushResult], any Error>) { answer.resume(with: result) }
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var draining = false
        var taken = 0
        var groups: [Group] = []
    }

    /// A group as it was written (for tests).
    struct Group: Equatable {
        let pushes: Int
        /// How many of them were written alone, after the group's run refused them or failed.
        let alone: Int
    }

    /// A push of a group that the group's run refused (its index in the group); nothing was written.
    struct PushFailed: Error {
        let index: Int
        let error: any Error
    }

    /// How many written groups are kept for tests to read.
    private static let groupsKept = 100

    private let queue = NIOLockedValueBox(Queue())

    /// How many pushes wait for a group, and how many were taken into one (for tests).
    var counts: (waiting: Int, taken: Int) { queue.withLockedValue { ($0.waiting.count, $0.taken) } }

    /// The last groups written (for tests).
    var written: [Group] { queue.withLockedValue { $0.groups } }

    /// Waits for the group that takes `changes` and returns their answer after its commit. `apply` writes
    /// a group, answers each of its pushes, and says how many it wrote alone (every push of one central
    /// passes the same).
    func push(
        _ changes: [Change], from device: Enrollment, applying apply: @escaping @Sendable ([Waiting]) async -> Int
    ) async throws -> [PushResult] {
        try await withCheckedThrowingContinuation { answer in
            let startsDraining = queue.withLockedValue { queue in
                queue.waiting.append(Waiting(changes: changes, device: device, answer: answer))
                defer { queue.draining = true }
                return !queue.draining
            }
            if startsDraining { Task { await drain(apply) } }
        }
    }

    /// Writes groups until no push waits.
    private func drain(_ apply: @Sendable ([Waiting]) async -> Int) async {
        while let group = nextGroup() {
            let alone = await apply(group)
            queue.withLockedValue { queue in
                if queue.groups.count == Self.groupsKept { queue.groups.removeFirst() }
                queue.groups.append(Group(pushes: group.count, alone: alone))
            }
        }
    }

    private func nextGroup() -> [Waiting]? {
        queue.withLockedValue { queue in
            guard !queue.waiting.isEmpty else {
                queue.draining = false
                return nil
            }
            // Oldest first, one push a device; the others wait for the next group, in their order.
            var devices: Set<String> = []
            let candidates = queue.waiting.indices.filter { devices.insert(queue.waiting[$0].device.device).inserted }
            let taken = Array(candidates.prefix(GroupCommit.taken(of: candidates.map { queue.waiting[$0].changes.count })))
            queue.taken += taken.count
            defer { for index in taken.reversed() { queue.waiting.remove(at: index) } }
            return taken.map { queue.waiting[$0] }
        }
    }
}
