import Foundation
import GRDB
import SyncCore

/// A report's history: every version and every transition, oldest first.
extension Replica {
    /// Every content version and transition of a report, in clock order (causes before effects).
    public func history(of idOrPrefix: String) throws -> [HistoryEntry] {
        let record = try record(idOrPrefix)
        let versions = record.versions.sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
        let numbers = Dictionary(uniqueKeysWithValues: versions.enumerated().map { ($1.dot, $0 + 1) })
        let entries =
            versions.map { HistoryEntry($0, number: numbers[$0.dot] ?? 0) }
            + record.transitions.map { HistoryEntry($0, sawVersion: numbers[$0.sawContent]) }
        return entries.sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
    }
}
