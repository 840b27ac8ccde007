/// The unit of replication: one write to one record, tagged with its writer's dot, clock stamp and
/// what the writer had seen of that record.
///
/// Changes are immutable once made; a replica stores and forwards them byte for byte.
public struct Change: Codable, Sendable, Equatable {
    /// The encoding this program writes; a change with a higher one comes from a newer ReportSync.
    public static let encodingVersion = 1

    /// Encoding version.
    public var v: Int
    public var dot: Dot
    public var hlc: HybridTimestamp
    /// The id of the record written.
    public var record: String
    /// The unit that owns the record (decides who may receive and write it).
    public var unit: String
    public var actor: String
    /// What the writer had seen of this record when writing (its version vector, before this write).
    public var context: VersionVector
    /// Writes in other records this one needs first (a follow-up needs its first report).
    public var requires: [RecordDot]
    public var payload: ChangePayload

    public init(
        dot: Dot, hlc: HybridTimestamp, record: String, unit: String, actor: String, context: VersionVector,
        requires: [RecordDot] = [], payload: ChangePayload
    ) {
        v = Self.encodingVersion
        self.dot = dot
        self.hlc = hlc
        self.record = record
        self.unit = unit
        self.actor = actor
        self.context = context
        self.requires = requires
        self.payload = payload
    }
}

/// A write in another record that a change depends on.
public struct RecordDot: Codable, Sendable, Hashable {
    public var record: String
    public var dot: Dot

    public init(record: String, dot: Dot) {
        self.record = record
        self.dot = dot
    }
}

/// What a change writes.
public enum ChangePayload: Codable, Sendable, Equatable {
    /// Fields of a report's content (the first write of a report creates it).
    case content(ContentWrite)
    /// A step of the approval workflow.
    case transition(TransitionStep)
    /// Reference data: a unit's definition (last writer wins).
    case unit(OrgUnit)
    /// Reference data: a member's definition (last writer wins).
    case member(Member)
    /// Reference data: the bureau's policy (last writer wins).
    case policy(Policy)
    /// A person's decision on one of the report's conflicts.
    case resolution(ResolutionStep)
    /// A solicitation (约稿) to one unit, or that unit's decline (last writer wins).
    case solicitation(Solicitation)
    /// The central refused one of the report's changes: it counts as seen, without effect.
    case void(VoidMarker)
    /// Reference data: a person's public signing key as the central registered (or revoked) it.
    case signingKey(SigningKey)
    /// A device's request that the central register a person's new key, proved by an invite code.
    case keyRequest(KeyRequest)
    /// The central office chasing a unit for its answer to a solicitation (written once).
    case reminder(SolicitationReminder)
    /// A report's text withdrawn from every replica but its writer's, after a raise of its classification.
    case redaction(Redaction)

    enum CodingKeys: String, CodingKey {
        case type, content, transition, unit, member, policy, resolution, solicitation, void, signingKey, keyRequest, reminder, redaction
    }

    /// Whether this is reference data (units, members, policy) rather than a report write.
    public var isReference: Bool {
        switch self {
        case .content, .transition, .resolution, .void, .redaction: false
        case .unit, .member, .policy, .solicitation, .signingKey, .keyRequest, .reminder: true
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "content": self = .content(try container.decode(ContentWrite.self, forKey: .content))
        case "transition": self = .transition(try container.decode(TransitionStep.self, forKey: .transition))
        case "unit": self = .unit(try container.decode(OrgUnit.self, forKey: .unit))
        case "member": self = .member(try container.decode(Member.self, forKey: .member))
        case "policy": self = .policy(try container.decode(Policy.self, forKey: .policy))
        case "resolution": self = .resolution(try container.decode(ResolutionStep.self, forKey: .resolution))
        case "solicitation": self = .solicitation(try container.decode(Solicitation.self, forKey: .solicitation))
        case "void": self = .void(try container.decode(VoidMarker.self, forKey: .void))
        case "signingKey": self = .signingKey(try container.decode(SigningKey.self, forKey: .signingKey))
        case "keyRequest": self = .keyRequest(try container.decode(KeyRequest.self, forKey: .keyRequest))
        case "reminder": self = .reminder(try container.decode(SolicitationReminder.self, forKey: .reminder))
        case "redaction": self = .redaction(try container.decode(Redaction.self, forKey: .redaction))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown change type '\(other)'; a newer ReportSync wrote it")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .content(let write):
            try container.encode("content", forKey: .type)
            try container.encode(write, forKey: .content)
        case .transition(let step):
            try container.encode("transition", forKey: .type)
            try container.encode(step, forKey: .transition)
        case .unit(let unit):
            try container.encode("unit", forKey: .type)
            try container.encode(unit, forKey: .unit)
        case .member(let member):
            try container.encode("member", forKey: .type)
            try container.encode(member, forKey: .member)
        case .policy(let policy):
            try container.encode("policy", forKey: .type)
            try container.encode(policy, forKey: .policy)
        case .resolution(let step):
            try container.encode("resolution", forKey: .type)
            try container.encode(step, forKey: .resolution)
        case .solicitation(let solicitation):
            try container.encode("solicitation", forKey: .type)
            try container.encode(solicitation, forKey: .solicitation)
        case .void(let marker):
            try container.encode("void", forKey: .type)
            try container.encode(marker, forKey: .void)
        case .signingKey(let key):
            try container.encode("signingKey", forKey: .type)
            try container.encode(key, forKey: .signingKey)
        case .keyRequest(let request):
            try container.encode("keyRequest", forKey: .type)
            try container.encode(request, forKey: .keyRequest)
        case .reminder(let reminder):
            try container.encode("reminder", forKey: .type)
            try container.encode(reminder, forKey: .reminder)
        case .redaction(let redaction):
            try container.encode("redaction", forKey: .type)
            try container.encode(redaction, forKey: .redaction)
        }
    }
}

/// Content fields written by one change: field name → the field's value as JSON text.
public struct ContentWrite: Codable, Sendable, Equatable {
    /// True for the write that creates the report.
    public var creates: Bool
    public var fields: [String: String]

    public init(creates: Bool, fields: [String: String]) {
        self.creates = creates
        self.fields = fields
    }
}

/// One approval step as a change carries it.
public struct TransitionStep: Codable, Sendable, Equatable {
    public var action: WorkflowAction
    public var from: ApprovalState
    public var to: ApprovalState
    public var role: Role
    public var comment: String?
    /// The content write the actor saw: the latest content dot when acting.
    public var sawContent: Dot
    /// Adoption level and outlet, instruction leader, false report: what the central office records with a step.
    public var detail: StepDetail?
    /// The actor's signature over the whole change (`StepSignature`).
    public var signature: StepSignature?

    public init(
        action: WorkflowAction, from: ApprovalState, to: ApprovalState, role: Role, comment: String?, sawContent: Dot,
        detail: StepDetail? = nil, signature: StepSignature? = nil
    ) {
        self.action = action
        self.from = from
        self.to = to
        self.role = role
        self.comment = comment
        self.sawContent = sawContent
        self.detail = detail
        self.signature = signature
    }
}

extension Change {
    /// This change with what it says removed: content fields, a kept value, a comment, a decline's
    /// reason. What a central keeps of a change it refused (its dot, record, writer and kind).
    public var withoutText: Change {
        var bare = self
        switch payload {
        case .content(let write): bare.payload = .content(ContentWrite(creates: write.creates, fields: [:]))
        case .resolution(var step):
            step.value = nil
            bare.payload = .resolution(step)
        case .transition(var step):
            step.comment = nil
            bare.payload = .transition(step)
        case .solicitation(var asked):
            asked.declined?.reason = ""
            bare.payload = .solicitation(asked)
        case .reminder(var reminder):
            reminder.note = nil
            bare.payload = .reminder(reminder)
        case .unit, .member, .policy, .void, .signingKey, .keyRequest, .redaction: break
        }
        return bare
    }
}
