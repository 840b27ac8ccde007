import GRDB
import SyncCore

/// How far one report's changes have gone from a field device: what a person changing its
/// classification needs to know (docs/bundles.md, "Raising and lowering a classification").
public struct ReportSpread: Sendable, Equatable {
    /// Its changes held elsewhere: written here and taken off the outbox (the central has them), or
    /// received from another replica.
    public let elsewhere: Int
    /// Its changes still in this device's outbox, the last one written included.
    public let waiting: Int
}

extension FieldReplica {
    /// How far report `id`'s changes have gone (`ReportSpread`): every change its record holds (each
    /// content write, step, decision and void, by dot) less those in the outbox.
    public func spread(of id: String) throws -> ReportSpread {
        let record = try replica.record(id)
        let held = record.versions.count + record.transitions.count + record.resolutions.count + record.voided.count
            + record.redactions.count
        let waiting = try replica.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE record = ?", arguments: [record.id]) ?? 0
        }
        return ReportSpread(elsewhere: max(0, held - waiting), waiting: waiting)
    }
}
