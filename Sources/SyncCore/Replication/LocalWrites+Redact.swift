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
