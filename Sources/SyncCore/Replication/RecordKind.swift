/// What kind of record a change writes, decided by what it writes (its payload), never by the shape of
/// its record id. The central's feed sends reference kinds to every unit and reports to their own.
public enum RecordKind: String, Sendable, Codable, CaseIterable {
    case report
    case unit
    case member
    case policy
    case solicitation
    /// A person's registered public signing key.
    case signingKey = "signing-key"
    /// A device's request to register a key (kept with the member's unit).
    case keyRequest = "key-request"
    /// The central office chasing a unit's answer to a solicitation (kept with that unit).
    case reminder

    /// Whether every replica receives records of this kind (units, members, policy and signing keys).
    public var isSharedReference: Bool { self == .unit || self == .member || self == .policy || self == .signingKey }
}

extension ChangePayload {
    /// The kind of record this payload writes.
    public var kind: RecordKind {
        switch self {
        case .content, .transition, .resolution, .void, .redaction: .report
        case .unit: .unit
        case .member: .member
        case .policy: .policy
        case .solicitation: .solicitation
        case .signingKey: .signingKey
        case .keyRequest: .keyRequest
        case .reminder: .reminder
        }
    }
}
