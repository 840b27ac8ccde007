import Foundation
import SyncCore

/// The facts of reports already judged, by the digest of the record they were read from: a report's
/// facts are a function of its record and the policy, and reading a record is what deadlines and scores
/// spend their time on. Cleared when asked under another policy, and when full.
final class ReportFactsCache: @unchecked Sendable {
    static let shared = ReportFactsCache()
    /// About 1 KiB each: at most some 50 MiB, a few years of a large bureau's months.
    static let capacity = 50_000
    private let lock = NSLock()
    private var policy: Policy?
    private var known: [String: ReportFacts] = [:]

    /// The facts of the record with `digest` under `policy`, if judged before.
    func facts(digest: String, policy: Policy) -> ReportFacts? {
        lock.withLock { self.policy == policy ? known[digest] : nil }
    }

    func remember(_ facts: ReportFacts, digest: String, policy: Policy) {
        lock.withLock {
            if self.policy != policy || known.count >= Self.capacity {
                known.removeAll()
                self.policy = policy
            }
            known[digest] = facts
        }
    }
}
