/// What a member may do in the workflow (DOMAIN.md "Who").
public enum Role: String, CaseIterable, Codable, Sendable {
    /// 信息员: drafts and submits the unit's reports.
    case drafter
    /// 单位负责人: reviews (审核) before anything leaves the unit.
    case unitHead = "unit-head"
    /// 分管领导: signs off (签发).
    case leader
    /// 主要领导 (局长): approves (审批) what the policy's approval chain sends past the leader — by default
    /// major emergencies (000:337, 001:112).
    case principalLeader = "principal-leader"
    /// 办公室 editor: receives, adopts, returns, rejects, archives.
    case centralEditor = "central-editor"
    /// Manages members and policy; no workflow rights.
    case admin

    /// Whether this role acts only inside its own unit (as opposed to across units).
    public var isUnitBound: Bool { self == .drafter || self == .unitHead }
}
