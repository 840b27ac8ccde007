import Foundation

/// A person's decision on a conflict, turned into changes that sync like any other write.
extension LocalWrites {
    /// The changes that settle conflict `conflictID` of `record` as `actor` decided: for a field, a write
    /// of the kept value when it is not already shown; for an approval conflict kept on the loser's side,
    /// the losing step taken again now; then the resolution itself, which has seen all of them.
    public static func resolve(
        _ conflictID: String, of record: ReportRecord, keep: ResolutionStep.Keep, value: String?, comment: String?,
        by actor: Member, at place: ReplicaRole, policy: Policy, followUpTarget: ReportRecord?, stamps: () -> Stamp
    ) throws -> [Change] {
        guard let conflict = record.conflict(conflictID) else {
            throw ReportSyncError(.notFound, "report \(record.id) has no conflict \(conflictID); see report-cli conflicts list")
        }
        let name = conflict.shortID
        if let resolution = conflict.resolution {
            throw ReportSyncError(
                .wrongState, "conflict \(name) is already resolved (\(resolution.how.rawValue) by \(resolution.by.actor)); nothing to do")
        }
        try checkMayResolve(conflict, of: record, by: actor, at: place)
        if keep == .value, value == nil { throw ReportSyncError(.invalidInput, "--keep value needs --value TEXT") }
        if keep != .value, value != nil { throw ReportSyncError(.invalidInput, "--value goes only with --keep value") }
        var changes: [Change] = []
        var kept: String?
        switch conflict.kind {
        case .fieldValue:
            let field = conflict.field ?? ""
            var fields = record.fields.compactMapValues { $0.first?.value }
            let shown = fields[field]
            fields[field] =
                switch keep {
                case .winner: conflict.winner.value
                case .loser: conflict.loser.value
                case .value: try fieldJSON(value ?? "", for: conflict)
                }
            let content: ReportContent
            do { content = try ReportContent.decode(fields: fields) } catch {
                throw ReportSyncError(.invalidInput, "\(value ?? "the kept value") is not a valid \(field): \(error)")
            }
            kept = try content.encodedFields()[field]
            // A classification is written even when the kept value is the one shown: the concurrent values
            // stand until a write covers them all, and secrecy is judged by the strictest of them.
            if kept != shown || (field == "classification" && (record.fields[field]?.count ?? 0) > 1) {
                try checkMayEdit(record, by: actor, at: place)
                changes = try write(
                    [field: kept ?? "null"], into: record, replacing: record.readableContent().content, giving: content, by: actor, policy: policy,
                    followUpTarget: followUpTarget, stamps: stamps)
            }
        case .approvalTransition, .staleApproval:
            if keep == .value {
                throw ReportSyncError(.invalidInput, "conflict \(name) is about a workflow step, not a value: keep the winner or the loser")
            }
            if keep == .loser {
                guard let action = conflict.loser.action else {
                    throw ReportSyncError(.invalidInput, "the losing side of conflict \(name) is an edit, not a step; edit the report instead")
                }
                changes.append(
                    try transition(
                        action, on: record, by: actor, at: place, comment: comment, policy: policy,
                        followUpTarget: followUpTarget, stamp: stamps()))
            }
        }
        var seen = record.vv
        for change in changes { seen.add(change.dot) }
        let stamp = stamps()
        changes.append(
            Change(
                dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: actor.id, context: seen,
                payload: .resolution(ResolutionStep(conflict: conflict.id, keep: keep, role: actor.role, value: kept))))
        return changes
    }

    /// Throws why `actor` may not decide `conflict`.
    public static func checkMayResolve(_ conflict: Conflict, of record: ReportRecord, by actor: Member, at place: ReplicaRole) throws {
        let act = Act.resolve(kind: conflict.kind, centralDecision: ConflictAuthority.isCentralDecision(conflict))
        try Permissions.check(act, by: actor.role, at: place)
        let roles = ConflictAuthority.roles(for: conflict)
        let inUnit = !Permissions.isUnitBound(act, actor.role) || actor.unit == record.unit
        guard roles.contains(actor.role), inUnit else {
            let whose = ConflictAuthority.isCentralDecision(conflict) ? "the central office" : "unit \(record.unit)"
            let allowed = roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw ReportSyncError(
                .forbidden,
                "\(actor.id) (\(actor.role.rawValue) of \(actor.unit)) may not resolve conflict \(conflict.shortID): it is for \(whose) to decide, as a \(allowed)")
        }
    }

    /// A typed value as the JSON text of `conflict`'s field: text fields take it as it is, others as JSON.
    static func fieldJSON(_ text: String, for conflict: Conflict) throws -> String {
        let isText = [conflict.winner.value, conflict.loser.value].contains { $0?.hasPrefix("\"") == true }
        guard isText else { return text }
        return String(decoding: try JSONCoding.encoder().encode(text), as: UTF8.self)
    }
}
