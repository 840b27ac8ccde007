import NIOConcurrencyHelpers
import Store
import SyncCore

/// Group commit at a central on PostgreSQL: the network pushes that arrive at one server while it
/// writes wait together, and the next write takes them all under one hold of the feed's lock, on one
/// merge engine: one load of what they ask, one write of what they decide, one commit
/// (`PostgresCentral.mergeGroup`). A write under the lock is a chain of round trips to the database
/// (docs/postgres.md); a group pays for the chain once instead of once for each push.
///
/// Every push of a group is answered only after the commit that holds it. When the group fails for any
/// reason (one push refused whole, a report that would stay secret, the database), each of its pushes
/// is applied again alone, as it would have been without the group, and gets its own answer.
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
        /// Whether it was written as one group, or each push alone after the group failed.
        let together: Bool
    }

    private let queue = NIOLockedValueBox(Queue())

    /// How many pushes wait for a group, and how many were taken into one (for tests).
    var counts: (waiting: Int, taken: Int) { queue.withLockedValue { ($0.waiting.count, $0.taken) } }

    /// The groups written so far (for tests).
    var written: [Group] { queue.withLockedValue { $0.groups } }

    /// Waits for the group that takes `changes` and returns their answer after its commit. `apply` writes
    /// a group, answers each of its pushes, and says whether it wrote them together (every push of one
    /// central passes the same).
    func push(
        _ changes: [Change], from device: Enrollment, applying apply: @escaping @Sendable ([Waiting]) async -> Bool
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
    private func drain(_ apply: @Sendable ([Waiting]) async -> Bool) async {
        while let group = nextGroup() {
            let together = await apply(group)
            queue.withLockedValue { $0.groups.append(Group(pushes: group.count, together: together)) }
        }
    }

    private func nextGroup() -> [Waiting]? {
        queue.withLockedValue { queue in
            guard !queue.waiting.isEmpty else {
                queue.draining = false
                return nil
            }
            let taken = GroupCommit.taken(of: queue.waiting.map(\.changes.count))
            queue.taken += taken
            defer { queue.waiting.removeFirst(taken) }
            return Array(queue.waiting.prefix(taken))
        }
    }
}
