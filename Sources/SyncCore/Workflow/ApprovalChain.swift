import Foundation

/// Who must approve a report before it leaves its unit: the unit head's review and the leader's sign-off
/// always, and the principal leader's approval (审批) too for the categories and severities the policy
/// lists (`principalApproval`; by default major emergencies: 000:337 分管领导再上报给主要负责人, 001:112
/// 重大信息由分管局长转主要负责人审批).
public enum ApprovalChain {
    /// Whether `content` needs the principal leader's approval under `policy`: its category is listed,
    /// or `category/severity` is.
    public static func needsPrincipal(_ content: ReportContent, policy: Policy) -> Bool {
        needsPrincipal(category: content.category, severity: content.emergency?.severity, policy: policy)
    }

    /// Whether a report of `category` (and an emergency's `severity`) needs the principal leader's approval.
    public static func needsPrincipal(category: ReportCategory, severity: EmergencySeverity?, policy: Policy) -> Bool {
        let keys = [category.rawValue] + (severity.map { ["\(category.rawValue)/\($0.rawValue)"] } ?? [])
        return keys.contains { policy.principalApproval.contains($0) }
    }

    /// The steps of `record` that stand (not the losing side of an approval conflict), in clock order.
    public static func standingSteps(of record: ReportRecord) -> [TransitionEvent] {
        let lost = Set(record.approvalConflicts.map(\.loser.dot))
        return record.transitions.filter { !lost.contains($0.dot) }.sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
    }

    /// Whether the unit's approvals are complete: the report is signed and, when the chain needs it, the
    /// principal leader approved it having seen its latest sign-off (an approval made offline before a
    /// new sign-off does not count, whatever its clock says).
    public static func isComplete(_ record: ReportRecord, policy: Policy) -> Bool {
        guard record.state == .signed else { return false }
        guard needsPrincipal(record.readableContent().content, policy: policy) else { return true }
        let steps = standingSteps(of: record)
        guard let lastSign = steps.last(where: { $0.action == .sign }) else { return false }
        return steps.contains { $0.action == .approve && $0.context.covers(lastSign.dot) }
    }

    /// Throws unless `record` needs the principal leader's approval: an approval it does not need is refused.
    public static func checkApprovable(_ record: ReportRecord, policy: Policy) throws {
        guard !needsPrincipal(try record.content(), policy: policy) else { return }
        throw ReportSyncError(
            .wrongState,
            "report \(record.id) does not need the principal leader's approval under the policy (principalApproval); it left the unit with its sign-off")
    }

    /// Throws unless the central may receive `record`: every approval of its chain is in.
    public static func checkReceivable(_ record: ReportRecord, policy: Policy) throws {
        guard record.state == .signed, !isComplete(record, policy: policy) else { return }
        throw ReportSyncError(
            .wrongState,
            "report \(record.id) waits for the principal leader's approval (审批, policy principalApproval) before it can be received; a principal-leader runs report-cli approve")
    }
}
