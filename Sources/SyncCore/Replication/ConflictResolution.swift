/// A person's decision on a conflict, as a change carries it: which side stands from now on.
public struct ResolutionStep: Codable, Sendable, Equatable {
    /// Which side a resolution keeps.
    public enum Keep: String, Codable, Sendable, CaseIterable {
        case winner
        case loser
        /// A new value typed by the person (field conflicts only).
        case value
    }

    /// The id of the conflict decided.
    public var conflict: String
    public var keep: Keep
    /// The role the person decided in (only some roles may decide a given conflict).
    public var role: Role
    /// For field conflicts: the value that stands now, as JSON text.
    public var value: String?
    /// The actor's signature over the whole change (`StepSignature`).
    public var signature: StepSignature?

    public init(conflict: String, keep: Keep, role: Role, value: String?, signature: StepSignature? = nil) {
        self.conflict = conflict
        self.keep = keep
        self.role = role
        self.value = value
        self.signature = signature
    }
}

/// A resolution as a record holds it: who decided which conflict, having seen what.
public struct ResolutionEvent: Codable, Sendable, Equatable {
    public let report: String
    public let conflict: String
    public let keep: ResolutionStep.Keep
    public let value: String?
    public let actor: String
    public let role: Role
    public let dot: Dot
    public let hlc: HybridTimestamp
    /// What the person had seen of the report when deciding.
    public let context: VersionVector
    /// The person's signature over the change (checked before the event was taken in).
    public let signature: StepSignature?

    /// The event a resolution change carries.
    public init(_ change: Change, _ step: ResolutionStep) {
        report = change.record
        conflict = step.conflict
        keep = step.keep
        value = step.value
        actor = change.actor
        role = step.role
        dot = change.dot
        hlc = change.hlc
        context = change.context
        signature = step.signature
    }
}

/// Who may decide a conflict: the unit for its reports' content and its own approvals, the central
/// office for conflicts that involve one of its decisions.
public enum ConflictAuthority {
    /// Whether a step of the central office is on either side.
    public static func isCentralDecision(_ conflict: Conflict) -> Bool {
        conflict.winner.role == .centralEditor || conflict.loser.role == .centralEditor
    }

    /// The roles that may resolve `conflict`.
    public static func roles(for conflict: Conflict) -> Set<Role> {
        Permissions.roles(for: .resolve(kind: conflict.kind, centralDecision: isCentralDecision(conflict))) ?? []
    }

    /// Whether a member in `role` may resolve `conflict`.
    public static func mayResolve(_ conflict: Conflict, role: Role) -> Bool {
        roles(for: conflict).contains(role)
    }
}
