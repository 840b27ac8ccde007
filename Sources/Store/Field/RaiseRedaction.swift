import GRDB
import SyncCore

extension Replica {
    /// The redaction an edit on a field device writes just before it raises report `record` to a
    /// classification kept off the network (`Redaction`): it withdraws the text the central and the
    /// unit's other devices hold. It covers everything the device holds of the report: a version vector
    /// cannot leave out this device's writes still in its outbox (its own later dot covers them), so
    /// where there are some, the central takes it only once the bundle with the raise brings them.
    /// `nil` when the edit raises nothing, or nothing of the report has left this device.
    static func redactionForRaise(of record: ReportRecord, _ patch: ReportPatch, by actor: Member, _ s: ApplySession) throws -> Change? {
        guard s.role == .field, let raised = patch.classification else { return nil }
        let offNetwork = Secrecy.offNetwork(under: s.policy)
        guard offNetwork.contains(raised), !offNetwork.contains(record.guardedClassification) else { return nil }
        guard try Outbox.anyLeft(record, s.db) else { return nil }
        return try LocalWrites.redaction(of: record, covering: record.vv, raisedTo: raised, by: actor, at: s.role, stamp: s.stamp)
    }
}

extension Replica {
    /// The fields an edit on a field device that lowers report `shown` writes anew
    /// (`LocalWrites.restoredByLowering`), judged against the record this replica stores.
    static func restoredByLowering(_ shown: ReportRecord, _ patch: ReportPatch, _ s: ApplySession) throws -> Set<String> {
        guard s.role == .field, patch.classification != nil else { return [] }
        return LocalWrites.restoredByLowering(stored: try s.engine.requireRecord(shown.id), shown: shown, patch, at: s.role, policy: s.policy)
    }
}

extension Outbox {
    /// Whether any write of `record` has left this device: one it holds that is not in its outbox (its
    /// own, answered by the central, or one received from elsewhere).
    static func anyLeft(_ record: ReportRecord, _ db: Database) throws -> Bool {
        let unsent = Set(
            try Row.fetchAll(db, sql: "SELECT replica, counter FROM outbox WHERE record = ?", arguments: [record.id])
                .map { Dot(replica: $0["replica"], counter: $0["counter"]) })
        let dots = record.versions.map(\.dot) + record.transitions.map(\.dot) + record.resolutions.map(\.dot) + record.redactions.map(\.dot)
        return dots.contains { !unsent.contains($0) }
    }
}
