import SyncCore

/// Says on stderr when a body is over its category's length limit (000:673): while drafting, what the
/// submission will do; at a submission the policy lets through, that it went ahead anyway.
enum LengthWarning {
    /// When the warning is given.
    enum Moment { case saving, submitted }

    static func report(_ content: ReportContent, policy: Policy, at moment: Moment, in context: CommandContext) {
        guard let excess = ReportRules.lengthExcess(content, policy: policy) else { return }
        switch (moment, policy.lengthLimitEnforcement) {
        case (.saving, .refuse): context.printError("warning: \(excess); shorten it before you submit, or the submission is refused")
        case (.saving, .warn): context.printError("warning: \(excess); it may still be submitted (the limit holds in principle, 原则上)")
        case (.submitted, _): context.printError("warning: \(excess); submitted all the same, as the policy allows")
        }
    }
}
