/// What one batch of the merge engine decided, for a store to persist in one transaction.
///
/// The store writes exactly this and nothing else: every merge decision was made by the engine.
public struct MergeEffects: Sendable {
    /// A change the replica now holds, with its canonical JSON and where it came from.
    public struct Logged: Sendable {
        public let change: Change
        public let body: String
        public let origin: ChangeOrigin
    }

    /// A change the replica refused, with the reason to show whoever sent it.
    public struct Refusal: Sendable {
        public let change: Change
        public let body: String
        public let error: ReportSyncError

        /// What a store keeps of the refused change: the central keeps what it refused, never what the
        /// refused change said (the text stays on the device that wrote it: a secret-era body must not
        /// rest on the central's disk); any other replica keeps it whole, to be shown.
        public func keptBody(role: ReplicaRole) -> String {
            role == .central ? change.withoutText.canonicalJSON : body
        }
    }

    /// Changes to append to the log, in the order they applied.
    public internal(set) var logged: [Logged] = []
    /// The records the batch changed, in their merged state, by id.
    public internal(set) var records: [ReportRecord] = []
    /// Reference writes (units, members, policy, solicitations) whose value now stands, in the order they applied.
    public internal(set) var references: [Change] = []
    /// Received changes that now wait for their causes.
    public internal(set) var waits: [WaitingChange] = []
    /// Changes that were already waiting and now wait on another record.
    public internal(set) var rewaits: [WaitingChange] = []
    /// Changes that were already waiting and left the queue (applied or refused).
    public internal(set) var released: [Dot] = []
    /// Refused changes, in the order they were refused.
    public internal(set) var refusals: [Refusal] = []
    /// Changes this replica holds withheld, offered again as their writers made them (a bundle from the
    /// device that kept the text): a replica that may keep the text (the central) keeps them beside its log.
    public internal(set) var originals: [Logged] = []
    /// The redactions this batch took from elsewhere: the store replaces the stored bodies of the writes
    /// each withholds with their withheld copies (`RedactionEvent.copy`). Its writer's device keeps its own.
    public var receivedRedactions: [(record: String, redaction: RedactionEvent)] {
        logged.compactMap {
            guard $0.origin == .remote, case .redaction(let redaction) = $0.change.payload else { return nil }
            return ($0.change.record, RedactionEvent($0.change, redaction))
        }
    }

    /// Whether the log stores `change` marked withheld, so that the feed sends it to the unit's devices
    /// even while its report is kept off the network: a redaction, or a void of a report raised by one
    /// (its id is known on the network) made while the report was kept off the network, which carries the
    /// stand-in reason (`VoidMarker.reasonKeptOffTheNetwork`). Neither holds any of the report's text, and
    /// a device that holds the report needs both to end where the central does (a refused write of a
    /// raised report, say). Any other void's reason may quote the report, or its report never went by
    /// network: while the report is off the network, it goes by bundle only.
    public func arrivesWithheld(_ change: Change) -> Bool {
        if change.isRedaction { return true }
        guard case .void(let marker) = change.payload, marker.withholdsReason else { return false }
        return records.first { $0.id == change.record }?.redactions.isEmpty == false
    }

    /// The last dot counter this replica issued.
    public internal(set) var counter: Int64 = 0
    /// The last clock stamp issued or seen.
    public internal(set) var clock: HybridTimestamp = .zero
}
