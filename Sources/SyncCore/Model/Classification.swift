/// Secrecy of a report (DOMAIN.md "Classification"); secret reports never cross the network.
public enum Classification: String, CaseIterable, Codable, Sendable {
    case `public`
    /// 不宜公开: not for email; internal only.
    case `internal`
    /// 涉密: leaves a replica only as a hand-carried bundle.
    case secret
}

/// Disclosure attribute of a public-information item (DOMAIN.md, 000 "政府信息公开报送审核制度" §4).
public enum Disclosure: String, CaseIterable, Codable, Sendable {
    /// 主动公开
    case proactive
    /// 依申请公开
    case onRequest = "on-request"
    /// 免予公开: needs a reason.
    case exempt
}
