import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix

/// Runs bcrypt password checks on NIO's pool of blocking threads, at most `capacity` at once: a flood
/// of sign-ins (real names or made-up ones, each costing a full check) cannot take the threads the
/// central's database work needs. A check that finds the gate full is not made.
final class BcryptGate: Sendable {
    private let capacity: Int
    private let running = NIOLockedValueBox(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Whether `password` matches `hash`, or `nil` when `capacity` checks are already running.
    func verify(_ password: String, hash: String) async throws -> Bool? {
        try await run { Bcrypt.verify(password, hash: hash) }
    }

    /// The bcrypt hash of a new password at `cost`, or `nil` when `capacity` bcrypt runs are already going.
    func hash(_ password: String, cost: UInt8) async throws -> String? {
        try await run { Bcrypt.hash(password, cost: cost) }
    }

    /// Runs one bcrypt job on the pool of blocking threads if the gate has room, else gives `nil`.
    private func run<T: Sendable>(_ job: @escaping @Sendable () -> T) async throws -> T? {
        let entered = running.withLockedValue { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard entered else { return nil }
        defer { running.withLockedValue { $0 -= 1 } }
        return try await NIOThreadPool.singleton.runIfActive { job() }
    }
}
