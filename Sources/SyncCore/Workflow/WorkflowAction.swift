/// A step a person takes in the approval workflow; each is recorded as a transition event.
public enum WorkflowAction: String, CaseIterable, Codable, Sendable {
    /// 提交: the drafter hands the report to the unit head.
    case submit
    /// 审核: the unit head approves the content.
    case review
    /// 签发: the supervising leader signs it off; it may now leave the unit, unless the policy's approval
    /// chain also asks the principal leader's approval.
    case sign
    /// 审批: the principal leader (主要领导) approves a signed report the approval chain sends to them.
    case approve
    /// The drafter or unit head takes it back before the central office has it.
    case withdraw
    /// 回执: the central office acknowledges receipt.
    case receive
    /// 采用: the central office adopts it at a level (may happen several times).
    case adopt
    /// 退回: sent back for revision with a comment.
    case `return`
    /// 不采用: the central office declines it.
    case reject
    /// 批示: the central office records a leader's written instruction on an adopted report.
    case instruct
    /// 归档
    case archive
    /// 编辑加工: a central editor, the responsible editor (责任编辑), records the central's edited version of a
    /// received text beside the unit's signed one (000:197, 000:213).
    case copyedit
    /// A reviewed report was edited, so its review no longer stands (recorded automatically).
    case revise

    /// Actions that must carry a comment saying why.
    public var needsComment: Bool { self == .return || self == .reject }
}

/// One allowed move: from which states, to which state, by which roles.
public struct TransitionRule: Sendable {
    public let action: WorkflowAction
    public let from: Set<ApprovalState>
    public let to: ApprovalState
    public let roles: Set<Role>
}
