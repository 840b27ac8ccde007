import Store
import SyncCore

/// Says on stderr what a change of classification on a field device does beyond this device
/// (docs/bundles.md, "Raising and lowering a classification"): raising it withdraws the text the
/// central and the unit's other devices already hold (a redaction, at the next sync), and lowering it
/// seals what was written while it was off the network: the next sync sends only the report as it stands.
enum ReclassificationWarning {
    static func report(_ id: String, from before: Classification, to after: Classification, on replica: Replica, policy: Policy, in context: CommandContext) throws {
        let offNetwork = Secrecy.offNetwork(under: policy)
        let raised = !offNetwork.contains(before) && offNetwork.contains(after)
        let lowered = offNetwork.contains(before) && !offNetwork.contains(after)
        guard raised || lowered, try replica.role() == .field else { return }
        let spread = try FieldReplica(replica).spread(of: id)
        if raised, spread.elsewhere > 0 {
            context.printError(
                "note: \(spread.elsewhere) earlier change(s) of report \(id) already left this device while it was \(before.rawValue): the next sync withdraws their text from the central and the unit's other devices (they keep the report's id, state and steps; with edits of it not sent yet, once the bundle that carries them is imported); this device keeps it. What is written from now on goes only by bundle"
            )
        }
        if lowered, let sealing = try replica.record(id).redactions.last(where: { $0.seals != nil }) {
            // Only what has not gone by bundle yet: what the central holds already, it keeps.
            let sealed = try FieldReplica(replica).outbox().count { sealing.withholds($0.change.dot) }
            guard sealed > 0 else { return }
            context.printError(
                "note: \(sealed) write(s) of report \(id) made while it was \(before.rawValue) are sealed: the next sync sends the report as it stands now and its steps, not what those writes said before (that stays on this device; to give it to the central, carry it by bundle: report-cli bundle export --report \(id)). Comments of steps taken while it was \(before.rawValue), and a decision's or copy-edit's text, go as they were signed"
            )
        }
    }
}
