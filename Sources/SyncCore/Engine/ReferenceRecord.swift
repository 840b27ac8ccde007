/// Reference data (units, members, policy) replicate as whole values: the write with the later
/// clock stamp wins, ties broken by dot, so every replica keeps the same one.
public enum ReferenceRecord {
    /// The record id a reference change writes: `unit/ID`, `member/ID`, `policy/DAY` (one record per day a
    /// policy version takes effect; `policy` for the version kept from before policies had history) …
    public static func id(of payload: ChangePayload) -> String? {
        switch payload {
        case .unit(let unit): "unit/\(unit.id)"
        case .member(let member): "member/\(member.id)"
        case .policy(let policy): policy.effectiveFrom.map { "policy/\($0)" } ?? "policy"
        case .solicitation(let solicitation): solicitation.recordID
        case .signingKey(let key): key.recordID
        case .keyRequest(let request): request.recordID
        case .reminder(let reminder): reminder.recordID
        case .content, .transition, .resolution, .void, .redaction: nil
        }
    }

    /// Whether `incoming` replaces the value written by the write stamped `current`.
    public static func replaces(_ incoming: Change, _ current: ReferenceVersion?) -> Bool {
        guard let current else { return true }
        return (incoming.hlc, incoming.dot) > (current.hlc, current.dot)
    }
}
