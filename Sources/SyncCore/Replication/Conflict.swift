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
        public internal(set) var value: String?
        /// For workflow steps: the action, e.g. `sign`.
        public let action: WorkflowAction?
        /// For workflow steps: the role the actor took it in.
        public let role: Role?

        public init(
            dot: Dot, hlc: HybridTimestamp, actor: String, value: String? = nil, action: WorkflowAction? = nil, role: Role? = nil
        ) {
            self.dot = dot
            self.hlc = hlc
            self.actor = actor
            self.value = value
            self.action = action
            self.role = role
        }
    }

    /// How a conflict was settled, and the change that settled it.
    public struct Resolution: Codable, Sendable, Equatable {
        /// What the settling change did.
        public enum How: String, Codable, Sendable {
            /// A person confirmed the winner (`conflicts resolve --keep winner`).
            case keptWinner = "kept-winner"
            /// A person put the loser's value or step in place (`--keep loser`).
            case keptLoser = "kept-loser"
            /// A person wrote a third value (`--keep value --value ...`).
            case newValue = "new-value"
            /// A later write or step was made by someone who had seen both sides.
            case superseded
        }

        public let how: How
        public let by: Side

        public init(how: How, by: Side) {
            self.how = how
            self.by = by
        }
    }

    /// Deterministic: the same conflict has the same id on every replica.
    public let id: String
    public let kind: Kind
    public let report: String
    /// For field conflicts: the field.
    public let field: String?
    public internal(set) var winner: Side
    public internal(set) var loser: Side
    /// The rule that decided, as a stable slug (see docs/conflict-policy.md).
    public let rule: String
    /// Why, in a sentence.
    public let reason: String
    public var status: Status
    /// Who settled it and how, once it is resolved.
    public var resolution: Resolution?

    /// A short, stable handle for the command line: the first hex digits of a hash of `id`.
    public var shortID: String { Self.shortID(of: id) }

    /// The short handle of any conflict id (the same function names rejections and waiting changes).
    public static func shortID(of id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(Hex.encode(withUnsafeBytes(of: hash.bigEndian) { Array($0) }).prefix(10))
    }

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
