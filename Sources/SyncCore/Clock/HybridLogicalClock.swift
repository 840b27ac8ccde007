import Foundation

/// A hybrid logical clock: stamps that follow wall time but never go backwards and always
/// order a write after every stamp this replica has seen.
public struct HybridLogicalClock: Sendable, Equatable {
    public private(set) var last: HybridTimestamp

    public init(last: HybridTimestamp = .zero) { self.last = last }

    /// A new stamp for a local event at `now`, later than every stamp issued or seen before.
    public mutating func tick(now: Date) -> HybridTimestamp {
        let wall = now.millisecondsSince1970
        if wall > last.wallMilliseconds {
            last = HybridTimestamp(wallMilliseconds: wall, logical: 0)
        } else if last.logical < HybridTimestamp.logicalMask {
            last = HybridTimestamp(wallMilliseconds: last.wallMilliseconds, logical: last.logical + 1)
        } else {
            last = HybridTimestamp(wallMilliseconds: last.wallMilliseconds + 1, logical: 0)
        }
        return last
    }

    /// Takes in a stamp seen on another replica, refusing one more than `maxSkew` ahead of `now`.
    public mutating func observe(_ remote: HybridTimestamp, now: Date, maxSkew: TimeInterval) throws {
        let limit = now.millisecondsSince1970 + Int64(maxSkew * 1000)
        guard remote.wallMilliseconds <= limit else {
            let ahead = Double(remote.wallMilliseconds - now.millisecondsSince1970) / 1000
            throw ReportSyncError(
                .invalidInput,
                "a clock stamp is \(Int(ahead)) s in the future, beyond the \(Int(maxSkew)) s the policy tolerates; check the sending device's clock"
            )
        }
        if remote > last { last = remote }
    }
}
