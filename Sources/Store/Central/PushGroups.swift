import GRDB
import NIOConcurrencyHelpers
import NIOPosix
import SyncCore

/// Group commit at the central: pushes that arrive while the one writer is busy wait together, and the
/// next write transaction applies them all, each in a savepoint of its own, and commits once: one
/// write-ahead-log append and one flush to the disk for the group instead of one for each push.
///
/// A push that fails is rolled back to its savepoint and answered with its error; the others go on. A
/// push is answered only after the commit that holds it, so what an answer promises is on the disk,
/// as it was with one transaction a push; when the commit fails, every push of the group gets the error
/// and none of them was taken. Within the group the pushes apply one after the other, exactly as
/// they would have one transaction each.
final class PushGroups: Sendable {
    private struct Waiting {
        let changes: Int
        let push: @Sendable () throws -> [PushResult]
        let answer: CheckedContinuation<[PushResult], any Error>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var draining = false
    }

    private let queue = NIOLockedValueBox(Queue())
    private let replica: Replica

    init(_ replica: Replica) { self.replica = replica }

    /// How many pushes wait for the next group (for tests).
    var waitingCount: Int { queue.withLockedValue { $0.waiting.count } }

    /// Runs `push` (which writes through `replica`) in the next group and returns its answer after
    /// the group's commit.
    func apply(changes: Int, _ push: @escaping @Sendable () throws -> [PushResult]) async throws -> [PushResult] {
        try await withCheckedThrowingContinuation { answer in
            let startsDraining = queue.withLockedValue { queue in
                queue.waiting.append(Waiting(changes: changes, push: push, answer: answer))
                defer { queue.draining = true }
                return !queue.draining
            }
            if startsDraining {
                NIOThreadPool.singleton.submit { state in
                    if case .cancelled = state { return self.failAll(ReportSyncError(.unavailable, "the central is shutting down; sync again later")) }
                    self.drain()
                }
            }
        }
    }

    /// Applies groups until no push waits.
    private func drain() {
        while let group = nextGroup() { run(group) }
    }

    private func nextGroup() -> [Waiting]? {
        queue.withLockedValue { queue in
            guard !queue.waiting.isEmpty else {
                queue.draining = false
                return nil
            }
            let taken = GroupCommit.taken(of: queue.waiting.map(\.changes))
            defer { queue.waiting.removeFirst(taken) }
            return Array(queue.waiting.prefix(taken))
        }
    }

    private func run(_ group: [Waiting]) {
        do {
            let answers = try Self.commit(group.map(\.push), on: replica)
            for (waiting, answer) in zip(group, answers) { waiting.answer.resume(with: answer) }
        } catch {
            for waiting in group { waiting.answer.resume(throwing: error) }
        }
    }

    /// Applies `pushes` in one transaction of `replica`, each in a savepoint of its own (a push that fails
    /// leaves nothing of what it wrote), and commits once: their answers in order, or, when the
    /// transaction fails, its error (then none of them was taken).
    static func commit(_ pushes: [() throws -> [PushResult]], on replica: Replica) throws -> [Result<[PushResult], any Error>] {
        var answers: [Result<[PushResult], any Error>] = []
        try replica.inOneTransaction { db in
            for push in pushes {
                var answer: Result<[PushResult], any Error> = .success([])
                // What a failed push's sessions issued is rolled back with it, watermark included.
                let issuedBefore = replica.sharedTransaction?.issued
                try db.inSavepoint {
                    answer = Result { try push() }
                    if case .failure = answer { return .rollback }
                    return .commit
                }
                if case .failure = answer, let issuedBefore { replica.sharedTransaction?.issued = issuedBefore }
                answers.append(answer)
            }
        }
        return answers
    }

    private func failAll(_ error: any Error) {
        let waiting = queue.withLockedValue { queue in
            defer {
                queue.waiting = []
                queue.draining = false
            }
            return queue.waiting
        }
        for push in waiting { push.answer.resume(throwing: error) }
    }
}
