/// Which conflicts of a record are settled, and by what: a function of the record's writes, so every
/// replica holding them says the same (docs/conflict-policy.md, rows 4 and 13).
enum ConflictSettlement {
    /// Sets each conflict's status and resolution from the record's resolutions, versions and transitions.
    ///
    /// A resolution counts when its author had seen both sides and holds a role that may decide the
    /// conflict. Otherwise a field conflict is settled by a later write of the field, and a stale approval
    /// by a later review or sign-off, made by someone who had seen both sides. Competing workflow steps
    /// (`approval-transition`) need a person's decision. The earliest settling change is named.
    static func settle(
        _ conflicts: inout [Conflict], resolutions: [ResolutionEvent], versions: [ReportVersion], transitions: [TransitionEvent]
    ) {
        for i in conflicts.indices {
            let conflict = conflicts[i]
            let sawBoth = { (context: VersionVector) in context.covers(conflict.winner.dot) && context.covers(conflict.loser.dot) }
            let decision = resolutions.filter {
                $0.conflict == conflict.id && sawBoth($0.context) && ConflictAuthority.mayResolve(conflict, role: $0.role)
            }.min { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
            if let decision {
                let how: Conflict.Resolution.How =
                    switch decision.keep {
                    case .winner: .keptWinner
                    case .loser: .keptLoser
                    case .value: .newValue
                    }
                let side = Conflict.Side(
                    dot: decision.dot, hlc: decision.hlc, actor: decision.actor, value: decision.value, role: decision.role)
                conflicts[i].resolution = Conflict.Resolution(how: how, by: side)
            } else {
                conflicts[i].resolution = supersedingChange(of: conflict, sawBoth, versions, transitions)
                    .map { Conflict.Resolution(how: .superseded, by: $0) }
            }
            conflicts[i].status = conflicts[i].resolution == nil ? .open : .resolved
        }
    }

    private static func supersedingChange(
        of conflict: Conflict, _ sawBoth: (VersionVector) -> Bool, _ versions: [ReportVersion], _ transitions: [TransitionEvent]
    ) -> Conflict.Side? {
        switch conflict.kind {
        case .fieldValue:
            guard let field = conflict.field else { return nil }
            return versions.filter { $0.fields[field] != nil && sawBoth($0.context) }
                .min { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
                .map { Conflict.Side(dot: $0.dot, hlc: $0.hlc, actor: $0.actor, value: $0.fields[field]) }
        case .approvalTransition:
            return nil
        case .staleApproval:
            return transitions.filter { ($0.action == .review || $0.action == .sign) && sawBoth($0.context) }
                .min { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
                .map { Conflict.Side(dot: $0.dot, hlc: $0.hlc, actor: $0.actor, action: $0.action, role: $0.role) }
        }
    }
}
