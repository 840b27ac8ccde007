import Foundation

/// One line of a report's history: a content version, a transition, a conflict resolution, or a change
/// that was refused or still waits, with who, when and where, and whether it took effect.
public struct HistoryEntry: Codable, Sendable, Equatable {
    /// What the entry records.
    public enum Kind: String, Codable, Sendable {
        case version
        case transition
        case resolution
        /// A change refused by the central or on receipt: kept as evidence, not applied.
        case refused
        /// A change held back until the writes it depends on arrive.
        case waiting
    }

    /// Whether the entry's change stands.
    public enum Outcome: String, Codable, Sendable {
        case applied
        /// A field value that lost a conflict: kept, not shown.
        case lost
        /// A step that did not fit the merged state, or an approval that did not stand.
        case notApplied = "not-applied"
        case refused
        case waiting
    }

    public let kind: Kind
    public let actor: String
    public let replica: String
    public let at: Date
    public let hlc: HybridTimestamp
    public let dot: Dot
    /// For versions: the version number on this replica; for transitions: the version the actor saw.
    public let version: Int?
    public let changedFields: [String]?
    public let action: WorkflowAction?
    public let from: ApprovalState?
    public let to: ApprovalState?
    public let comment: String?
    public var outcome: Outcome
    /// Why it did not take effect, or what it decided.
    public var note: String?
    /// The short id of the conflict the entry lost or resolved.
    public var conflict: String?
    /// For a signed step or resolution: who signed it and whether the signature verifies here.
    public var signature: String?
    /// For a signed step or resolution: whether its signature verifies.
    public var signatureVerified: Bool?
    /// For a central-office step: the level, outlet or leader and day of an adoption or instruction, or a
    /// false-report rejection (the result the unit gets back).
    public var detail: StepDetail?

    private init(
        kind: Kind, change: (actor: String, dot: Dot, hlc: HybridTimestamp), version: Int? = nil, changedFields: [String]? = nil,
        step: (action: WorkflowAction, from: ApprovalState, to: ApprovalState, comment: String?)? = nil,
        outcome: Outcome = .applied, note: String? = nil
    ) {
        self.kind = kind
        actor = change.actor
        replica = change.dot.replica
        at = change.hlc.date
        hlc = change.hlc
        dot = change.dot
        self.version = version
        self.changedFields = changedFields
        action = step?.action
        from = step?.from
        to = step?.to
        comment = step?.comment
        self.outcome = outcome
        self.note = note
    }

    /// The entry for a content version, numbered `number` in causal order. The version that created the
    /// report names only the fields it filled in, not those it left empty.
    public init(_ version: ReportVersion, number: Int) {
        let fields = version.creates ? version.changedFields.filter { !Self.emptyValues.contains(version.fields[$0] ?? "") } : version.changedFields
        self.init(kind: .version, change: (version.actor, version.dot, version.hlc), version: number, changedFields: fields)
    }

    /// The JSON texts of a field left empty.
    static let emptyValues: Set<String> = ["", "\"\"", "[]", "{}", "null"]

    /// The entry for a transition, with the number of the content version it saw.
    public init(_ event: TransitionEvent, sawVersion: Int?) {
        self.init(
            kind: .transition, change: (event.actor, event.dot, event.hlc), version: sawVersion,
            step: (event.action, event.from, event.to, event.comment))
        detail = event.detail
    }

    /// The entry for a person's decision on a conflict.
    public init(_ resolution: ResolutionEvent) {
        self.init(
            kind: .resolution, change: (resolution.actor, resolution.dot, resolution.hlc),
            note: "resolved conflict \(Conflict.shortID(of: resolution.conflict)): keep \(resolution.keep.rawValue)")
        conflict = Conflict.shortID(of: resolution.conflict)
    }

    /// The entry for a change that was refused (`reason`) or waits for its causes.
    public init(unapplied change: Change, refusedBecause reason: String?) {
        var step: (WorkflowAction, ApprovalState, ApprovalState, String?)?
        var fields: [String]?
        switch change.payload {
        case .transition(let s): step = (s.action, s.from, s.to, s.comment)
        case .content(let write): fields = write.fields.keys.sorted()
        case .resolution, .unit, .member, .policy, .solicitation, .void, .signingKey, .keyRequest, .reminder, .redaction: break
        }
        self.init(
            kind: reason == nil ? .waiting : .refused, change: (change.actor, change.dot, change.hlc), changedFields: fields,
            step: step, outcome: reason == nil ? .waiting : .refused,
            note: reason ?? "waits for writes this replica has not received")
        if case .transition(let s) = change.payload { detail = s.detail }
    }
}
