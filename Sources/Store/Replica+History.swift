import Foundation
import GRDB
import SyncCore

/// A report's history: every version and every transition, oldest first.
extension Replica {
    /// Every content version and transition of a report, in the order their clocks give.
    public func history(of idOrPrefix: String) throws -> [HistoryEntry] {
        try read { db in
            let id = try Self.resolveID(idOrPrefix, db)
            let versions = try String.fetchAll(
                db, sql: "SELECT body FROM report_versions WHERE report_id = ? ORDER BY version", arguments: [id]
            ).map { try JSONCoding.value(ReportVersion.self, from: $0) }
            let transitions = try String.fetchAll(
                db, sql: "SELECT body FROM transitions WHERE report_id = ? ORDER BY hlc, id", arguments: [id]
            ).map { try JSONCoding.value(TransitionEvent.self, from: $0) }
            let versionByDot = Dictionary(versions.map { ($0.dot, $0.version) }, uniquingKeysWith: { first, _ in first })
            let entries =
                versions.map(HistoryEntry.init)
                + transitions.map { HistoryEntry($0, sawVersion: versionByDot[$0.sawContent]) }
            return entries.sorted { ($0.hlc, $0.kind == .version ? 0 : 1) < ($1.hlc, $1.kind == .version ? 0 : 1) }
        }
    }
}
