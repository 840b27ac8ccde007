import Store
import SyncCore

/// Says on stderr what a change of classification on a field device does beyond this device
/// (docs/bundles.md, "Raising and lowering a classification"): raising it withdraws the text the
/// central and the unit's other devices already hold (a redaction, at the next sync), and lowering it
/// sends what was written while it was off the network, text and all, with the next sync.
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
        if lowered, spread.waiting > 1 {
            context.printError(
                "warning: \(spread.waiting - 1) change(s) of report \(id) written while it was \(before.rawValue) now go over the network with this one at the next sync, their text included; to keep them off it, carry them by bundle first (report-cli bundle export --report \(id), and import the central's bundle back), or make it \(before.rawValue) again before the next sync"
            )
        }
    }
}
