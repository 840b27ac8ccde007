import Foundation

/// Checks a change from elsewhere before it may touch a replica: encoding, dot, vectors, clock, step.
/// A refused change gets a reason the sender can show; the rest of its batch goes on.
public enum ChangeValidation {
    /// Throws the reason `change` may not be applied, judged at `now` under `policy`.
    ///
    /// - Parameter checkClock: false for changes from the central, which checked their clocks on arrival
    ///   there: a field laptop whose own clock is behind must not refuse the bureau's changes.
    public static func check(_ change: Change, now: Date, policy: Policy, checkClock: Bool = true) throws {
        if change.v > Change.encodingVersion {
            throw ReportSyncError(
                .invalidInput,
                "change \(change.dot) uses encoding version \(change.v); this ReportSync reads up to \(Change.encodingVersion). Upgrade it")
        }
        if change.v < 1 { throw ReportSyncError(.invalidInput, "change \(change.dot) has no valid encoding version") }
        if change.dot.replica.isEmpty || change.dot.counter <= 0 {
            throw ReportSyncError(.invalidInput, "malformed dot '\(change.dot)': it needs a replica id and a positive counter")
        }
        if change.record.isEmpty || change.unit.isEmpty || change.actor.isEmpty {
            throw ReportSyncError(.invalidInput, "change \(change.dot) must name its record, unit and actor")
        }
        try change.context.validate()
        if change.context.covers(change.dot) {
            throw ReportSyncError(
                .invalidInput,
                "change \(change.dot) goes backwards: its writer claims to have seen counter \(change.context.counters[change.dot.replica] ?? 0) of its own replica already")
        }
        let maxSkew = TimeInterval(policy.maxClockSkewSeconds)
        if checkClock, change.hlc.wallMilliseconds > now.millisecondsSince1970 + Int64(maxSkew * 1000) {
            let ahead = Int(Double(change.hlc.wallMilliseconds - now.millisecondsSince1970) / 1000)
            throw ReportSyncError(
                .invalidInput,
                "change \(change.dot) is stamped \(ahead) s in the future, beyond the \(Int(maxSkew)) s the policy tolerates; fix the clock of replica \(change.dot.replica)")
        }
        switch change.payload {
        case .content(let write):
            if write.creates {
                guard change.context.isEmpty, write.fields["category"] != nil, write.fields["title"] != nil else {
                    throw ReportSyncError(.invalidInput, "change \(change.dot) creates a report but lacks its category or title, or claims earlier writes")
                }
            } else if change.context.isEmpty {
                throw ReportSyncError(.invalidInput, "change \(change.dot) edits report \(change.record) without saying what its writer had seen")
            }
            if let unknown = write.fields.keys.first(where: { !ReportContent.fieldNames.contains($0) }) {
                throw ReportSyncError(.invalidInput, "change \(change.dot) writes unknown field '\(unknown)'; a newer ReportSync may have written it")
            }
        case .unit, .member:
            break
        case .signingKey(let key):
            if change.record != key.recordID || key.verifyingKey() == nil {
                throw ReportSyncError(.invalidInput, "change \(change.dot) registers a key that does not match its record or is not an Ed25519 key")
            }
        case .keyRequest(let request):
            if change.record != request.recordID || request.signingKey == nil || change.actor != request.member {
                throw ReportSyncError(.invalidInput, "change \(change.dot) asks for a key that does not match its record, its actor, or its id")
            }
        case .reminder(let r):
            if change.record != r.recordID || change.unit != r.unit || change.actor != r.by {
                throw ReportSyncError(.invalidInput, "change \(change.dot) carries a reminder that does not match its record, unit or actor")
            }
        case .solicitation(let s):
            if change.record != s.recordID || change.unit != s.unit || s.topic.isEmpty {
                throw ReportSyncError(.invalidInput, "change \(change.dot) carries a solicitation that does not match its record or unit, or has no topic")
            }
        case .policy(let policy):
            try policy.validate()
        case .redaction(let redaction):
            if change.context.isEmpty || redaction.raisedTo == .public {
                throw ReportSyncError(
                    .invalidInput, "change \(change.dot) withdraws the text of report \(change.record) without covering any write, or for a raise to public")
            }
        case .void(let marker):
            if marker.dot == change.dot || marker.reason.isEmpty {
                throw ReportSyncError(.invalidInput, "change \(change.dot) voids itself or gives no reason")
            }
        case .resolution(let step):
            if change.context.isEmpty || step.conflict.isEmpty {
                throw ReportSyncError(.invalidInput, "change \(change.dot) resolves a conflict without naming it or saying what its author had seen")
            }
            if step.keep == .value, step.value == nil {
                throw ReportSyncError(.invalidInput, "change \(change.dot) keeps a new value but does not carry it")
            }
        case .transition(let step):
            if change.context.isEmpty {
                throw ReportSyncError(.invalidInput, "change \(change.dot) moves report \(change.record) without saying what its actor had seen")
            }
            if step.action == .adopt || step.action == .instruct, step.detail?.level == nil {
                throw ReportSyncError(.invalidInput, "change \(change.dot): \(step.action.rawValue) must name its level")
            }
            if step.detail?.registration != nil, step.action != .receive {
                throw ReportSyncError(.invalidInput, "change \(change.dot): only a receipt carries a registration number, not \(step.action.rawValue)")
            }
            if step.detail?.revisedTitle != nil || step.detail?.revisedBody != nil, step.action != .copyedit {
                throw ReportSyncError(.invalidInput, "change \(change.dot): only a copyedit carries edited text, not \(step.action.rawValue)")
            }
            guard (try? ApprovalWorkflow.target(of: step.action, from: step.from, by: step.role)) == step.to else {
                throw ReportSyncError(
                    .invalidInput,
                    "change \(change.dot): a \(step.role.rawValue) cannot \(step.action.rawValue) from \(step.from.rawValue) to \(step.to.rawValue)")
            }
        }
    }
}
