/// A replica's own rules for report writes received from elsewhere, beyond the merge's checks. The
/// engine asks it just before it applies such a write, once the write's causes are all held — also for
/// a write that waited for them — so that no rule can be passed by sending a change early.
///
/// The central admits pushed writes by the rules a local write obeys (`PushedContentRules`); field
/// replicas take what their central sends and admit everything.
public protocol ChangeAdmission: Sendable {
    /// Throws why `change` may not apply to `record` (`nil` for the write that creates it), judged under
    /// `policy`; `lookup` reads another record as the batch sees it (a follow-up's first report).
    func admit(_ change: Change, into record: ReportRecord?, policy: Policy, lookup: (String) throws -> ReportRecord?) throws
}
