/// Turns what a person does into changes, checking the domain rules first. Shared by every replica
/// (SQLite or in memory) so that a write means the same everywhere.
public enum LocalWrites {
    /// The stamp of one new write: this replica's next dot and clock reading.
    public typealias Stamp = (dot: Dot, hlc: HybridTimestamp)

    /// The change that creates report `id`, drafted by `actor`.
    ///
    /// - Parameter followUpTarget: the first report of the chain when `content.followUpOf` is set.
    public static func draft(
        id: String, content: ReportContent, by actor: Member, at place: ReplicaRole, followUpTarget: ReportRecord?, policy: Policy,
        stamp: Stamp
    ) throws -> Change {
        try Permissions.check(.draft, by: actor, onUnit: actor.unit, at: place)
        var content = content
        if content.contact == nil { content.contact = actor.phone }
        let target = try followUpTarget.map { try Report(record: $0) }
        try ReportRules.checkWrite(content, replacing: nil, unit: actor.unit, followUpTarget: target, policy: policy)
        let requires = followUpTarget.map { [RecordDot(record: $0.id, dot: $0.versions.first(where: \.creates)!.dot)] } ?? []
        return Change(
            dot: stamp.dot, hlc: stamp.hlc, record: id, unit: actor.unit, actor: actor.id, context: VersionVector(),
            requires: requires, payload: .content(ContentWrite(creates: true, fields: try content.encodedFields())))
    }

    /// The changes that apply `patch` to a report: the content write, and a `revise` step when the
    /// report was reviewed (the review saw other content). The fields `restoring` are written again
    /// with their present values (a report made public again gives back the text a redaction withheld).
    public static func edit(
        _ record: ReportRecord, with patch: ReportPatch, by actor: Member, at place: ReplicaRole, policy: Policy,
        followUpTarget: ReportRecord?, restoring: Set<String> = [], stamps: () -> Stamp
    ) throws -> [Change] {
        if patch.isEmpty { throw ReportSyncError(.invalidInput, "nothing to change: give at least one field to edit") }
        try checkMayEdit(record, by: actor, at: place)
        // Read as far as it can be: an edit is how a field that holds no value of its type is repaired.
        let (old, unreadable) = record.readableContent()
        if let newFirst = patch.followUpOf, newFirst != old.followUpOf {
            throw ReportSyncError(.ruleViolated, "a report's place in a follow-up chain cannot change; draft a new follow-up instead")
        }
        var content = old
        patch.apply(to: &content)
        var changed = try content.fields(changedSince: old)
        // An unreadable field is rewritten, and so is a classification with concurrent values standing:
        // secrecy is judged by the strictest of them (`ReportRecord.guardedClassification`), so writing
        // the shown one again is how the report is settled.
        let unsettled: Set<String> = (record.fields["classification"]?.count ?? 0) > 1 ? ["classification"] : []
        let rewritten = try patch.fieldsSet().intersection(unsettled.union(unreadable)).union(restoring)
        for (name, json) in try content.encodedFields() where rewritten.contains(name) { changed[name] = json }
        if changed.isEmpty { throw ReportSyncError(.invalidInput, "the edit changes nothing; the report already says that") }
        try SealedValues.check(record.currentValues.merging(changed) { $1 }, classification: content.classification, report: record.id)
        return try write(changed, into: record, replacing: old, giving: content, by: actor, policy: policy, followUpTarget: followUpTarget, stamps: stamps)
    }

    /// The changes that write `fields` (JSON texts) into an editable report, whose content becomes
    /// `content` (from `old`): the write, and a `revise` step when the report was reviewed.
    static func write(
        _ fields: [String: String], into record: ReportRecord, replacing old: ReportContent, giving content: ReportContent, by actor: Member, policy: Policy,
        followUpTarget: ReportRecord?, stamps: () -> Stamp
    ) throws -> [Change] {
        try ReportRules.checkWrite(
            content, replacing: old, unit: record.unit, followUpTarget: try followUpTarget.map { try Report(record: $0) }, policy: policy)
        let stamp = stamps()
        let write = Change(
            dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: actor.id, context: record.vv,
            payload: .content(ContentWrite(creates: false, fields: fields)))
        guard record.state == .reviewed else { return [write] }
        var seen = record.vv
        seen.add(write.dot)
        let reviseStamp = stamps()
        let revise = Change(
            dot: reviseStamp.dot, hlc: reviseStamp.hlc, record: record.id, unit: record.unit, actor: actor.id, context: seen,
            payload: .transition(
                TransitionStep(
                    action: .revise, from: .reviewed, to: .awaitingReview, role: actor.role,
                    comment: "content changed after review", sawContent: write.dot)))
        return [write, revise]
    }

    /// Throws why `actor` may not change the content of `record` now.
    static func checkMayEdit(_ record: ReportRecord, by actor: Member, at place: ReplicaRole) throws {
        try Permissions.check(.editContent, by: actor, onUnit: record.unit, at: place)
        guard record.state.allowsContentEdit else {
            throw ReportSyncError(
                .wrongState,
                "report \(record.id) is \(record.state.rawValue); its content is locked after sign-off. To change it, it must be returned first (report-cli return ID --comment ...)"
            )
        }
    }

    /// The change that takes `action` on a report, after checking role, unit, state and (for submit) the content rules.
    public static func transition(
        _ action: WorkflowAction, on record: ReportRecord, by actor: Member, at place: ReplicaRole, comment: String?,
        policy: Policy, followUpTarget: ReportRecord?, detail: StepDetail? = nil, stamp: Stamp
    ) throws -> Change {
        if action == .adopt || action == .instruct, detail?.level == nil {
            throw ReportSyncError(.invalidInput, "\(action.rawValue) needs --level (\(AdoptionLevel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if action == .instruct, detail?.leader?.allSatisfy(\.isWhitespace) ?? true {
            throw ReportSyncError(.invalidInput, "instruct needs --leader: the leader who wrote the instruction (批示)")
        }
        if action == .copyedit {
            guard detail?.revisedTitle != nil || detail?.revisedBody != nil else {
                throw ReportSyncError(.invalidInput, "copyedit needs --title or --body: the central's edited version")
            }
            if let title = detail?.revisedTitle { try ReportRules.checkTitle(title) }
            if let body = detail?.revisedBody, !body.hasVisibleText {
                throw ReportSyncError(.invalidInput, "the edited body has no visible text")
            }
        }
        if action == .revise {
            throw ReportSyncError(.invalidInput, "revise is recorded automatically when a reviewed report is edited; use report-cli edit")
        }
        let comment = comment.flatMap { text in text.allSatisfy(\.isWhitespace) ? nil : text }
        if action.needsComment, comment == nil {
            throw ReportSyncError(.invalidInput, "\(action.rawValue) needs a --comment that tells the unit what to change or why")
        }
        try Permissions.check(.step(action), by: actor, onUnit: record.unit, at: place)
        let target = try ApprovalWorkflow.target(of: action, from: record.state, by: actor.role)
        if action == .receive { try ApprovalChain.checkReceivable(record, policy: policy) }
        if action == .approve { try ApprovalChain.checkApprovable(record, policy: policy) }
        if action == .submit {
            try ReportRules.checkSubmission(
                try record.content(), unit: record.unit, followUpTarget: try followUpTarget.map { try Report(record: $0) },
                policy: policy)
        }
        return Change(
            dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: actor.id, context: record.vv,
            payload: .transition(
                TransitionStep(
                    action: action, from: record.state, to: target, role: actor.role, comment: comment,
                    sawContent: record.latestContent.dot, detail: detail)))
    }
}
