extension LocalWrites {
    /// The change that withdraws report `record`'s text from every replica but this one (`Redaction`),
    /// made on the device that raises the report's classification, just before the raise. It covers
    /// `covering`: what its writer had seen of the report. `nil` when that is nothing.
    public static func redaction(
        of record: ReportRecord, covering: VersionVector, raisedTo: Classification, by actor: Member, at place: ReplicaRole,
        stamp: () -> Stamp
    ) throws -> Change? {
        // The same permission as the raise it goes with: the central checks it alike (`PushAuthorization`).
        try Permissions.check(.editContent, by: actor, onUnit: record.unit, at: place)
        guard !covering.isEmpty, raisedTo != .public else { return nil }
        let stamp = stamp()
        return Change(
            dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: actor.id, context: covering,
            payload: .redaction(Redaction(raisedTo: raisedTo)))
    }
}

extension LocalWrites {
    /// The change a field device writes just before an edit (`patch`) that lowers report `record` so
    /// that it travels by network again: it seals the writes made while the report was kept off it
    /// (`Redaction.seals`, `ReportRecord.writesWhileOffNetwork`), whose text goes only by bundle. `nil`
    /// when the edit lowers nothing, or no such write holds text.
    public static func sealing(
        before patch: ReportPatch, of record: ReportRecord, by actor: Member, at place: ReplicaRole, policy: Policy, stamp: () -> Stamp
    ) throws -> Change? {
        guard place == .field, let lowered = patch.classification else { return nil }
        let offNetwork = Secrecy.offNetwork(under: policy)
        guard !offNetwork.contains(lowered), offNetwork.contains(record.networkClassification) else { return nil }
        let seals = record.writesWhileOffNetwork(offNetwork)
        guard !seals.isEmpty else { return nil }
        guard seals.count <= ChangeShape.maxSeals else {
            throw ReportSyncError(
                .tooLarge,
                "report \(record.id) holds \(seals.count) writes made while it was \(record.networkClassification.rawValue), more than one sealing names (\(ChangeShape.maxSeals)); carry it by bundle (report-cli bundle export --report \(record.id)) and keep it as it is")
        }
        try Permissions.check(.editContent, by: actor, onUnit: record.unit, at: place)
        let stamp = stamp()
        return Change(
            dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: actor.id, context: record.vv,
            payload: .redaction(Redaction(raisedTo: record.networkClassification, seals: seals)))
    }

    /// The fields an edit on a field device that makes report `shown` (as this device shows it, its
    /// withheld values put back where it keeps their text) travel by network again writes anew: those
    /// whose standing value `stored` holds withheld or sealed and `shown` reveals, so that every replica
    /// gets the text back with the lowering.
    public static func restoredByLowering(stored: ReportRecord, shown: ReportRecord, _ patch: ReportPatch, at place: ReplicaRole, policy: Policy) -> Set<String> {
        guard place == .field, let lowered = patch.classification else { return [] }
        let offNetwork = Secrecy.offNetwork(under: policy)
        guard !offNetwork.contains(lowered), offNetwork.contains(shown.guardedClassification) else { return [] }
        return Set(stored.withheldFields).subtracting(shown.withheldFields)
    }
}
