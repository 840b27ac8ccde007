/// The approval state as a deterministic fold of a report's transition events (DESIGN.md
/// "Approval state"): causal order first; concurrent events by precedence (central office, leader,
/// unit head, drafter), then clock stamp, replica id and counter. An event that no longer fits the state
/// it meets is a conflict, not applied; a review or sign-off made while the content changed
/// concurrently does not stand.
public enum ApprovalFold {
    /// The outcome of folding one report's events.
    public struct Result: Sendable, Equatable {
        public var state: ApprovalState
        public var conflicts: [Conflict]
        /// The comment of the last return or rejection that took effect.
        public var lastComment: String?
        /// The last step that took effect (or that did not stand, when `staleBecauseOf` is set).
        public var lastStep: TransitionEvent?
        /// The concurrent edit that kept `lastStep`, an approval, from standing.
        public var staleBecauseOf: ReportVersion?

        /// Why the report is in `state`, in a sentence.
        public var because: String {
            guard let step = lastStep else { return "no workflow step has taken effect since it was drafted" }
            if let edit = staleBecauseOf {
                return "\(step.action.rawValue) by \(step.actor) (\(step.dot)) did not stand: \(edit.actor) changed the content concurrently (\(edit.dot)), so it awaits review again"
            }
            return "\(step.action.rawValue) by \(step.actor) (\(step.role.rawValue), \(step.dot)) took it from \(step.from.rawValue) to \(step.to.rawValue)"
        }
    }

    /// Folds `transitions` over the report's content `versions`.
    public static func fold(report: String, transitions: [TransitionEvent], versions: [ReportVersion]) -> Result {
        var result = Result(state: .draft, conflicts: [], lastComment: nil)
        let creation = versions.first(where: \.creates)
        for event in causalOrder(transitions) {
            if event.to == result.state, event.from != result.state { continue }  // already in effect
            let fits =
                event.from == result.state
                && (try? ApprovalWorkflow.target(of: event.action, from: event.from, by: event.role)) == event.to
            guard fits else {
                let winner = result.lastStep.map(side) ?? creation.map(side) ?? side(event)
                let after = result.lastStep.map { " after \($0.action.rawValue) by \($0.actor)" } ?? ""
                result.conflicts.append(
                    Conflict(
                        kind: .approvalTransition, report: report, field: nil, winner: winner, loser: side(event),
                        rule: "causal-order-then-precedence",
                        reason: "\(event.action.rawValue) by \(event.actor) (\(event.role.rawValue)) was made from \(event.from.rawValue), but the merged report was \(result.state.rawValue)\(after); it is kept here, not applied"
                    ))
                continue
            }
            // (An approval meets content locked since the sign-off it follows: no edit can be concurrent with it.)
            if event.action == .review || event.action == .sign,
                let edit = versions.filter({ isConcurrent(event, $0) }).max(by: { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) })
            {
                result.conflicts.append(
                    Conflict(
                        kind: .staleApproval, report: report, field: nil, winner: side(edit), loser: side(event),
                        rule: "approval-bound-to-content",
                        reason: "\(event.action.rawValue) by \(event.actor) approved content without the concurrent change of \(edit.changedFields.joined(separator: ", ")) by \(edit.actor); it does not stand and the report is awaiting review again"
                    ))
                result.state = .awaitingReview
                result.lastStep = event
                result.staleBecauseOf = edit
                continue
            }
            result.state = event.to
            result.lastStep = event
            result.staleBecauseOf = nil
            if event.action == .return || event.action == .reject { result.lastComment = event.comment }
        }
        return result
    }

    /// The events in causal order; among events whose causes are all placed, the one of highest precedence first.
    static func causalOrder(_ events: [TransitionEvent]) -> [TransitionEvent] {
        var remaining = events
        var ordered: [TransitionEvent] = []
        ordered.reserveCapacity(events.count)
        while !remaining.isEmpty {
            var best: Int?
            for (i, event) in remaining.enumerated() {
                let hasUnplacedCause = remaining.contains { $0.dot != event.dot && event.context.covers($0.dot) }
                if hasUnplacedCause { continue }
                if let b = best, !precedes(event, remaining[b]) { continue }
                best = i
            }
            // Causes form no cycles (a write cannot have seen a later one), so there is always a ready event.
            ordered.append(remaining.remove(at: best ?? 0))
        }
        return ordered
    }

    /// Whether concurrent `a` is placed before `b`.
    static func precedes(_ a: TransitionEvent, _ b: TransitionEvent) -> Bool {
        let (ra, rb) = (rank(a.role), rank(b.role))
        if ra != rb { return ra > rb }
        return (a.hlc, a.dot.replica, a.dot.counter) < (b.hlc, b.dot.replica, b.dot.counter)
    }

    /// Precedence of a role between concurrent events: central office > principal leader > leader > unit
    /// head > drafter.
    public static func rank(_ role: Role) -> Int {
        switch role {
        case .centralEditor: 5
        case .principalLeader: 4
        case .leader: 3
        case .unitHead: 2
        case .drafter: 1
        case .admin: 0
        }
    }

    static func isConcurrent(_ event: TransitionEvent, _ version: ReportVersion) -> Bool {
        !event.context.covers(version.dot) && !version.context.covers(event.dot)
    }

    static func side(_ event: TransitionEvent) -> Conflict.Side {
        Conflict.Side(dot: event.dot, hlc: event.hlc, actor: event.actor, action: event.action, role: event.role)
    }

    static func side(_ version: ReportVersion) -> Conflict.Side {
        Conflict.Side(dot: version.dot, hlc: version.hlc, actor: version.actor, value: version.changedFields.joined(separator: ","))
    }
}
