/// The central's word that it refused one change of a report: every replica then treats that change
/// as seen but without effect, so the writer's later changes, which saw it, can still apply everywhere,
/// and the writer's own copy drops the refused effect. The refused change itself stays in its writer's
/// log as evidence.
public struct VoidMarker: Codable, Sendable, Equatable {
    /// The refused change.
    public var dot: Dot
    /// Why the central refused it.
    public var reason: String
    /// The central's signature (its own key, as on receipts), so that a device holding the refusal can
    /// give it back to a central that lost it; refusals from before signed refusals carry none.
    public var signature: StepSignature?

    /// The reason a void carries when its report is kept off the network: the feed may send it to the
    /// unit's devices all the same (a raised report's, `MergeEffects.arrivesWithheld`), and a refusal's
    /// own reason may quote the report's text (an attachment's name, say). The central keeps the full
    /// reason, and its bundle to the unit gives it (`UnitBundle.refusals`).
    public static let reasonKeptOffTheNetwork =
        "refused by the central office while the report is kept off the network; the reason comes with the central's next bundle to your unit (report-cli bundle import)"

    /// Whether this void carries the stand-in reason (`reasonKeptOffTheNetwork`), not the central's own.
    public var withholdsReason: Bool { reason == Self.reasonKeptOffTheNetwork }

    public init(dot: Dot, reason: String, signature: StepSignature? = nil) {
        self.dot = dot
        self.reason = reason
        self.signature = signature
    }
}

extension ReportVersion {
    /// The change that carried this version (without cross-record causes, which a record does not need).
    var change: Change {
        Change(
            dot: dot, hlc: hlc, record: report, unit: unit, actor: actor, context: context,
            payload: .content(ContentWrite(creates: creates, fields: fields)))
    }
}

extension TransitionEvent {
    /// The change that carried this step.
    func change(unit: String) -> Change {
        Change(
            dot: dot, hlc: hlc, record: report, unit: unit, actor: actor, context: context,
            payload: .transition(
                TransitionStep(
                    action: action, from: from, to: to, role: role, comment: comment, sawContent: sawContent, detail: detail,
                    signature: signature)))
    }
}

extension ResolutionEvent {
    /// The change that carried this decision.
    func change(unit: String) -> Change {
        Change(
            dot: dot, hlc: hlc, record: report, unit: unit, actor: actor, context: context,
            payload: .resolution(ResolutionStep(conflict: conflict, keep: keep, role: role, value: value, signature: signature)))
    }
}
