/// One approval step as a replica holds it: who moved which report from where to where, what they
/// had seen, and which content version they approved (an approval is bound to the content it saw).
public struct TransitionEvent: Codable, Sendable, Equatable {
    /// The event id: its dot in text form, unique across replicas.
    public var id: String { dot.description }
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
    /// What the actor had seen of the report (its version vector before this event).
    public let context: VersionVector
    /// What the central office recorded with the step (adoption level, instruction, false report).
    public let detail: StepDetail?
    /// The actor's signature over the change (checked before the event was taken in).
    public let signature: StepSignature?

    /// The event a transition change carries.
    public init(_ change: Change, _ step: TransitionStep) {
        report = change.record
        action = step.action
        from = step.from
        to = step.to
        actor = change.actor
        role = step.role
        dot = change.dot
        hlc = change.hlc
        comment = step.comment
        sawContent = step.sawContent
        context = change.context
        detail = step.detail
        signature = step.signature
    }
}
