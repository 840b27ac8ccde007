/// Something a person (or the replica's operator) does that changes what replicas hold.
public enum Act: Sendable, Hashable {
    /// Create a report (its first content write).
    case draft
    /// Change a report's content.
    case editContent
    /// Take a step of the approval workflow.
    case step(WorkflowAction)
    /// Decide a conflict; `kind` is nil where only the side matters (the central's check of a pushed
    /// decision: the record's settlement applies the finer rule of `ConflictAuthority`).
    case resolve(kind: Conflict.Kind?, centralDecision: Bool)
    /// Answer a solicitation (约稿) for one's unit by declining it.
    case declineSolicitation
    /// Issue a solicitation to units.
    case issueSolicitation
    /// Write units, members or policy.
    case writeReference
    /// Void a refused change (the central's answer to a refusal).
    case void
    /// Ask the central to register one's own new signing key (with the code it issued).
    case requestKey
}

/// The one table of who may do what, where: local writes and the central's check of pushed changes
/// both ask it, so a change a replica may not make locally is also refused when a device pushes it.
///
/// `docs/workflow.md` and `docs/conflict-policy.md` show the same rules as tables.
public enum Permissions {
    /// Which roles may make `act` (nil: the replica's operator makes it, with no member named).
    public static func roles(for act: Act) -> Set<Role>? {
        switch act {
        case .draft: [.drafter, .unitHead]
        case .editContent: [.drafter, .unitHead, .leader]
        case .step(let action): Set(ApprovalWorkflow.rules.filter { $0.action == action }.flatMap(\.roles))
        case .resolve(let kind?, let central):
            switch kind {
            case .fieldValue: [.drafter, .unitHead, .leader]
            case .approvalTransition, .staleApproval: central ? [.centralEditor] : [.unitHead, .leader]
            }
        case .resolve(nil, let central): central ? [.centralEditor] : [.drafter, .unitHead, .leader]
        case .declineSolicitation: [.drafter, .unitHead, .leader]
        case .issueSolicitation: [.centralEditor]
        case .writeReference, .void: nil
        case .requestKey: Set(Role.allCases)
        }
    }

    /// Where `act` may be made by a member in `role`: the central office's acts only on the central
    /// replica (or a standalone one, which plays every part); a unit's acts anywhere its members work.
    public static func places(for act: Act, by role: Role? = nil) -> Set<ReplicaRole> {
        let everywhere: Set<ReplicaRole> = [.standalone, .field, .central]
        let central: Set<ReplicaRole> = [.standalone, .central]
        switch act {
        case .draft, .editContent, .declineSolicitation, .requestKey: return everywhere
        case .step: return role == .centralEditor || role == .admin ? central : everywhere
        case .resolve(_, let centralDecision): return centralDecision || role == .centralEditor ? central : everywhere
        case .issueSolicitation, .void: return [.central]
        case .writeReference: return central
        }
    }

    /// Whether a role may act only inside its own unit: drafters and unit heads; leaders and the
    /// central office act across units. Creating a report is always for one's own unit.
    public static func isUnitBound(_ act: Act, _ role: Role) -> Bool {
        act == .draft || role.isUnitBound
    }

    /// Throws why `actor` may not make `act` on a record of `unit` on a replica that is `place`.
    public static func check(_ act: Act, by actor: Member, onUnit unit: String, at place: ReplicaRole) throws {
        try check(act, by: actor.role, at: place)
        if let roles = roles(for: act), !roles.contains(actor.role) {
            let allowed = roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw ReportSyncError(
                .forbidden, "\(actor.id) is a \(actor.role.rawValue); a \(actor.role.rawValue) may not \(describe(act)); that needs a \(allowed)")
        }
        if isUnitBound(act, actor.role), actor.unit != unit {
            throw ReportSyncError(
                .forbidden, "\(actor.id) is a \(actor.role.rawValue) of \(actor.unit) and may not \(describe(act)) of \(unit)")
        }
    }

    /// Throws why `act` may not be made (by a member in `role`) on a replica that is `place`.
    public static func check(_ act: Act, by role: Role? = nil, at place: ReplicaRole) throws {
        guard !places(for: act, by: role).contains(place) else { return }
        switch act {
        case .writeReference:
            throw ReportSyncError(
                .forbidden,
                "units, members and policy change only at the central office (syncd unit add, syncd member add); they reach this replica on its next sync")
        case .issueSolicitation:
            throw ReportSyncError(.forbidden, "solicitations are issued on the central replica (syncd init), not on a unit's replica")
        case .void:
            throw ReportSyncError(.forbidden, "only the central voids a change it refused")
        case .draft, .editContent, .step, .resolve, .declineSolicitation, .requestKey:
            throw ReportSyncError(
                .forbidden,
                "a field device cannot receive, adopt, return for the central office, reject or archive, nor decide conflicts that involve those steps: they are the central office's, made on the central replica")
        }
    }

    private static func describe(_ act: Act) -> String {
        switch act {
        case .draft: "draft reports"
        case .editContent: "edit a report"
        case .step(let action): "\(action.rawValue) a report"
        case .resolve: "decide this conflict"
        case .declineSolicitation: "answer solicitations for a unit"
        case .issueSolicitation: "issue solicitations"
        case .writeReference: "change units, members or policy"
        case .void: "void a change"
        case .requestKey: "register a signing key"
        }
    }
}
