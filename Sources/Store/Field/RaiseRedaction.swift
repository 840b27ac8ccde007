import GRDB
import SyncCore

extension Replica {
    /// The redaction an edit on a field device writes just before it raises report `record` to a
    /// classification kept off the network (`Redaction`): it withdraws the text the central and the
    /// unit's other devices hold, and covers exactly that (`Outbox.heldByCentral`). `nil` when the edit
    /// raises nothing, or nothing of the report has left this device.
    static func redactionForRaise(of record: ReportRecord, _ patch: ReportPatch, by actor: Member, _ s: ApplySession) throws -> Change? {
        guard s.role == .field, let raised = patch.classification else { return nil }
        let offNetwork = Secrecy.offNetwork(under: s.policy)
        guard offNetwork.contains(raised), !offNetwork.contains(record.guardedClassification) else { return nil }
        return try LocalWrites.redaction(
            of: record, covering: Outbox.heldByCentral(record, s.db), raisedTo: raised, by: actor, at: s.role, stamp: s.stamp)
    }
}

extension Replica {
    /// The fields an edit on a field device that makes report `shown` (as this device shows it) travel
    /// by network again writes anew: those whose standing value the stored record holds withheld and
    /// this device keeps the text of, so that every replica gets the text back with the lowering.
    static func restoredByLowering(_ shown: ReportRecord, _ patch: ReportPatch, _ s: ApplySession) throws -> Set<String> {
        guard s.role == .field, let lowered = patch.classification else { return [] }
        let offNetwork = Secrecy.offNetwork(under: s.policy)
        guard !offNetwork.contains(lowered), offNetwork.contains(shown.guardedClassification) else { return [] }
        return Set(try s.engine.requireRecord(shown.id).withheldFields).subtracting(shown.withheldFields)
    }
}

extension Outbox {
    /// What of `record` the central holds, as far as this device knows: every write the record holds
    /// but this device's own still in the outbox, and for each replica id with one, every later write
    /// of that id too (a version vector covers a replica's writes up to a counter). What a redaction
    /// covers, so that the central can take it at once.
    static func heldByCentral(_ record: ReportRecord, _ db: Database) throws -> VersionVector {
        var firstUnsent: [String: Int64] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT replica, MIN(counter) AS first FROM outbox WHERE record = ? GROUP BY replica", arguments: [record.id])
        {
            firstUnsent[row["replica"]] = row["first"]
        }
        let dots = record.versions.map(\.dot) + record.transitions.map(\.dot) + record.resolutions.map(\.dot)
            + record.voided.map(\.dot) + record.redactions.map(\.dot)
        var held = VersionVector()
        for dot in dots where firstUnsent[dot.replica].map({ dot.counter < $0 }) ?? true { held.add(dot) }
        return held
    }
}
