/// The content rules of a local write, held to report writes a central receives (DOMAIN.md "The
/// report"): what a device could not write on its own replica, it cannot push either.
///
/// - A content write must leave content that `ReportRules.checkWrite` accepts (title, disclosure,
///   exempt reasons, follow-up links), and may be made only while the report, as its writer had seen it,
///   was still open for edits (content is locked after sign-off).
/// - A content write is refused, too, when the report as the central holds it is signed off (or further):
///   an edit that claims to be concurrent with a sign-off the central already took cannot undo it.
/// - A submission must find content that `ReportRules.checkSubmission` accepts (emergency facts, captions).
/// - An approval must be one the report needs (`ApprovalChain.checkApprovable`).
/// - A `revise` (unsigned) must accompany its actor's own edit (`StepVerification.accompaniesItsEdit`).
/// - A write must be stamped later than every write of the report it says it had seen (as every honest
///   clock stamps it), so that nobody backdates a step before a revocation on what came after it.
/// - A write may wait only on reports of its own unit (a follow-up's first report).
///
/// (A decision's kept value is typed by `ChangeShape`, from the field its conflict id names.)
///
/// A write refused here is answered `rejected` with the rule, and voided, like any other refusal.
public struct PushedContentRules: ChangeAdmission {
    public init() {}

    public func admit(_ change: Change, into record: ReportRecord?, policy: Policy, lookup: (String) throws -> ReportRecord?) throws {
        // What a write waited for must be of its own unit: a follow-up's first report, never another unit's.
        for required in change.requires where try lookup(required.record)?.unit != change.unit {
            throw ReportSyncError(.forbidden, "change \(change.dot) requires report \(required.record), which is not of its unit")
        }
        func target(_ content: ReportContent) throws -> Report? {
            try content.followUpOf.flatMap { try lookup($0) }.map { try Report(record: $0) }
        }
        if let record, let seen = Self.latestStamp(of: record, seenBy: change), change.hlc <= seen {
            throw ReportSyncError(
                .invalidInput, "change \(change.dot) is stamped before a write of report \(record.id) it says it had seen; its writer's clock went back")
        }
        switch change.payload {
        case .content(let write):
            var fields = write.fields
            var previous: ReportContent?
            if let record {
                let seen = ApprovalFold.fold(
                    report: record.id, transitions: record.transitions.filter { change.context.covers($0.dot) },
                    versions: record.versions.filter { change.context.covers($0.dot) }
                ).state
                guard seen.allowsContentEdit else {
                    throw ReportSyncError(
                        .wrongState,
                        "change \(change.dot) edits report \(record.id) after it was \(seen.rawValue) (as its writer had seen it); content is locked after sign-off until the report is returned")
                }
                guard record.state.allowsContentEdit else {
                    throw ReportSyncError(
                        .wrongState,
                        "change \(change.dot) edits report \(record.id), which the central already holds \(record.state.rawValue); a sign-off that reached the central first stands, and content is locked until the report is returned")
                }
                let current = record.currentValues
                if let first = write.fields["followUpOf"], first != current["followUpOf"] ?? "null" {
                    throw ReportSyncError(.ruleViolated, "change \(change.dot): a report's place in a follow-up chain cannot change")
                }
                fields = current.merging(write.fields) { _, written in written }
                previous = ReportContent.readable(fields: current).content
            }
            let classification = try Secrecy.classification(written: change) ?? record?.guardedClassification ?? .public
            try SealedValues.check(fields, classification: classification, report: change.record)
            // A sealed copy of a write made while the report was secret (its lowering seals it): no text
            // to judge, and the report stays off the network until a write gives every sealed field anew.
            if write.fields.values.contains(Withheld.sealed) { return }
            // What the write itself says was checked field by field (`ChangeShape`); what it leaves as it
            // was is read as far as it can be (data an older central let in must not block every edit).
            let content = record == nil ? try ReportContent.decode(fields: fields) : ReportContent.readable(fields: fields).content
            try ReportRules.checkWrite(content, replacing: previous, unit: change.unit, followUpTarget: try target(content), policy: policy)
        case .transition(let step) where step.action == .submit:
            // A submission made while the report was secret, its text sealed since: its writer judged it.
            guard let record, !record.currentValues.values.contains(Withheld.sealed) else { return }
            let content = try record.content()
            try ReportRules.checkSubmission(content, unit: record.unit, followUpTarget: try target(content), policy: policy)
        case .transition(let step) where step.action == .approve:
            guard let record, !record.currentValues.values.contains(Withheld.sealed) else { return }
            try ApprovalChain.checkApprovable(record, policy: policy)
        case .transition(let step) where step.action == .revise:
            guard let record, StepVerification.accompaniesItsEdit(change, in: record) else {
                throw ReportSyncError(
                    .forbidden, "change \(change.dot) is a revise that accompanies no edit of its actor; a step nobody signed is not taken")
            }
        case .redaction(let redaction):
            guard redaction.seals != nil else { return }
            guard let record else {
                throw ReportSyncError(.invalidInput, "change \(change.dot) seals writes of report \(change.record), which this replica does not hold")
            }
            try record.checkSealing(RedactionEvent(change, redaction))
        case .transition, .resolution, .void, .unit, .member, .policy, .solicitation, .signingKey, .keyRequest, .reminder:
            return
        }
    }

    /// The latest clock stamp among the writes of `record` that `change` says it had seen.
    static func latestStamp(of record: ReportRecord, seenBy change: Change) -> HybridTimestamp? {
        let context = change.context
        let stamps = record.versions.filter { context.covers($0.dot) }.map(\.hlc)
            + record.transitions.filter { context.covers($0.dot) }.map(\.hlc)
            + record.resolutions.filter { context.covers($0.dot) }.map(\.hlc)
        return stamps.max()
    }
}
