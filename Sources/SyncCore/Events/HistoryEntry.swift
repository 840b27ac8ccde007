import Foundation

/// One line of a report's history: a content version or a transition, with who, when and where.
public struct HistoryEntry: Codable, Sendable, Equatable {
    /// Whether the entry is a content version or a workflow transition.
    public enum Kind: String, Codable, Sendable {
        case version
        case transition
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

    /// The entry for a content version, numbered `number` in causal order.
    public init(_ version: ReportVersion, number: Int) {
        kind = .version
        actor = version.actor
        replica = version.dot.replica
        at = version.hlc.date
        hlc = version.hlc
        dot = version.dot
        self.version = number
        changedFields = version.changedFields
        action = nil
        from = nil
        to = nil
        comment = nil
    }

    /// The entry for a transition, with the number of the content version it saw.
    public init(_ event: TransitionEvent, sawVersion: Int?) {
        kind = .transition
        actor = event.actor
        replica = event.dot.replica
        at = event.hlc.date
        hlc = event.hlc
        dot = event.dot
        version = sawVersion
        changedFields = nil
        action = event.action
        from = event.from
        to = event.to
        comment = event.comment
    }
}
