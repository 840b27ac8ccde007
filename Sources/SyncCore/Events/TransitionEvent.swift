import Foundation

/// One approval step as it is recorded and replicated: who moved which report from where to where,
/// and which content version they saw (an approval is bound to the content it saw).
public struct TransitionEvent: Codable, Sendable, Equatable {
    public let id: String
    public let report: String
    public let action: WorkflowAction
    public let from: ApprovalState
    public let to: ApprovalState
    public let actor: String
    public let role: Role
    public let dot: Dot
    public let hlc: HybridTimestamp
    public let comment: String?
    /// The content write the actor saw when acting.
    public let sawContent: Dot

    public init(
        id: String, report: String, action: WorkflowAction, from: ApprovalState, to: ApprovalState, actor: String,
        role: Role, dot: Dot, hlc: HybridTimestamp, comment: String?, sawContent: Dot
    ) {
        self.id = id
        self.report = report
        self.action = action
        self.from = from
        self.to = to
        self.actor = actor
        self.role = role
        self.dot = dot
        self.hlc = hlc
        self.comment = comment
        self.sawContent = sawContent
    }
}
