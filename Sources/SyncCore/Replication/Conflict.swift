/// Two writes that disagreed, the one that won, the one that lost (kept, never dropped) and the rule
/// that decided. Conflicts are a deterministic function of the writes, so every replica lists the same.
public struct Conflict: Codable, Sendable, Equatable {
    /// What disagreed.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Two concurrent values of one content field.
        case fieldValue = "field-value"
        /// A workflow step that no longer fits the state it met after merging.
        case approvalTransition = "approval-transition"
        /// A review or sign-off whose content changed concurrently: it does not stand.
        case staleApproval = "stale-approval"
    }

    /// Whether a person still has to look at it.
    public enum Status: String, Codable, Sendable {
        case open
        case resolved
    }

    /// One side of a conflict: a write or a workflow step.
    public struct Side: Codable, Sendable, Equatable {
        public let dot: Dot
        public let hlc: HybridTimestamp
        public let actor: String
        /// For field values: the value as JSON text.
        public let value: String?
        /// For workflow steps: the action, e.g. `sign`.
        public let action: WorkflowAction?

        public init(dot: Dot, hlc: HybridTimestamp, actor: String, value: String? = nil, action: WorkflowAction? = nil) {
            self.dot = dot
            self.hlc = hlc
            self.actor = actor
            self.value = value
            self.action = action
        }
    }

    /// Deterministic: the same conflict has the same id on every replica.
    public let id: String
    public let kind: Kind
    public let report: String
    /// For field conflicts: the field.
    public let field: String?
    public let winner: Side
    public let loser: Side
    /// The rule that decided, as a stable slug (see docs/conflict-policy.md).
    public let rule: String
    /// Why, in a sentence.
    public let reason: String
    public var status: Status

    public init(
        kind: Kind, report: String, field: String?, winner: Side, loser: Side, rule: String, reason: String,
        status: Status = .open
    ) {
        id = [kind.rawValue, report, field ?? "-", loser.dot.description, winner.dot.description].joined(separator: "/")
        self.kind = kind
        self.report = report
        self.field = field
        self.winner = winner
        self.loser = loser
        self.rule = rule
        self.reason = reason
        self.status = status
    }
}
