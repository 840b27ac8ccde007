import SyncCore

extension SplitMix64 {
    /// A number in 0..<bound, for the seeded schedules of tests.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
