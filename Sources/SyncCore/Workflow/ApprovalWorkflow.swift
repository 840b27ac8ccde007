/// The approval state machine (DOMAIN.md "The approval workflow"): which role may take which
/// action from which state. `docs/workflow.md` shows the same table.
public enum ApprovalWorkflow {
    /// Every allowed move. An action may have several rules when different roles act from different states.
    public static let rules: [TransitionRule] = [
        .init(action: .submit, from: [.draft, .returned], to: .awaitingReview, roles: [.drafter, .unitHead]),
        .init(action: .review, from: [.awaitingReview], to: .reviewed, roles: [.unitHead]),
        .init(action: .sign, from: [.reviewed], to: .signed, roles: [.leader]),
        .init(action: .approve, from: [.signed], to: .signed, roles: [.principalLeader]),
        .init(action: .revise, from: [.reviewed], to: .awaitingReview, roles: [.drafter, .unitHead, .leader]),
        .init(
            action: .withdraw, from: [.draft, .awaitingReview, .reviewed, .signed, .returned], to: .withdrawn,
            roles: [.drafter, .unitHead]),
        .init(action: .return, from: [.awaitingReview, .reviewed, .signed], to: .returned, roles: [.unitHead, .leader]),
        .init(action: .return, from: [.signed], to: .returned, roles: [.principalLeader]),
        .init(action: .return, from: [.signed, .received], to: .returned, roles: [.centralEditor]),
        .init(action: .receive, from: [.signed], to: .received, roles: [.centralEditor]),
        .init(action: .adopt, from: [.received, .adopted], to: .adopted, roles: [.centralEditor]),
        .init(action: .reject, from: [.received], to: .rejected, roles: [.centralEditor]),
        .init(action: .instruct, from: [.adopted], to: .adopted, roles: [.centralEditor]),
        .init(action: .archive, from: [.adopted, .rejected, .withdrawn], to: .archived, roles: [.centralEditor]),
        .init(action: .copyedit, from: [.received], to: .received, roles: [.centralEditor]),
        .init(action: .copyedit, from: [.adopted], to: .adopted, roles: [.centralEditor]),
    ]

    /// The state `action` leads to when taken by `role` from `state`, or an error that says who may do what.
    public static func target(of action: WorkflowAction, from state: ApprovalState, by role: Role) throws -> ApprovalState {
        let candidates = rules.filter { $0.action == action }
        if let rule = candidates.first(where: { $0.from.contains(state) && $0.roles.contains(role) }) {
            return rule.to
        }
        let roleRules = candidates.filter { $0.roles.contains(role) }
        if roleRules.isEmpty {
            let allowed = Set(candidates.flatMap(\.roles)).map(\.rawValue).sorted().joined(separator: " or ")
            throw ReportSyncError(
                .forbidden, "a \(role.rawValue) may not \(action.rawValue) a report; that needs a \(allowed)")
        }
        let fromStates = Set(roleRules.flatMap(\.from)).map(\.rawValue).sorted().joined(separator: ", ")
        throw ReportSyncError(
            .wrongState,
            "cannot \(action.rawValue) a report that is \(state.rawValue); a \(role.rawValue) may \(action.rawValue) only from: \(fromStates)"
        )
    }
}
