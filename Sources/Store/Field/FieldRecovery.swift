import SyncCore

/// What a field replica did when the central's standing showed that one of the two copies is older
/// than what it had acknowledged (`FieldReplica.reconcile`).
public struct FieldRecovery: Sendable, Equatable {
    /// One line each for the person at the device; empty when nothing was wrong.
    public var notices: [String] = []
    /// Local changes put in the outbox again because the central may have lost them.
    public var resent = 0
    /// Signed changes the central made, lost with its disk and held here: given back to it.
    public var returned = 0
    /// Unsigned changes the central made and lost (units, members, solicitations, reminders, key registrations,
    /// refusals from before refusals were signed): this device holds them but cannot prove them, so the
    /// central office must make them again.
    public var lostAtCentral: [Dot] = []
}
