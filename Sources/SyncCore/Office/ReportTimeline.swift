import Foundation

/// The moments of a report that the office's rules read, under any policy: when it was signed off,
/// approved and first received, and the span from its earliest moment to its latest. A store keeps them
/// beside the report so that deadlines and scores read only the reports that can bear on a period.
public struct ReportTimeline: Sendable, Equatable {
    /// Its leader's first sign-off (签发) that stood.
    public let signOff: Date?
    /// The principal leader's first approval (审批) that stood and came before the central first had it.
    public let approval: Date?
    /// When the central office first had it.
    public let firstReceipt: Date?
    /// The earliest and latest of its creation, event time, phone call, and every step's time and date.
    public let earliest: Date
    public let latest: Date

    /// A timeline as a store kept it.
    public init(signOff: Date?, approval: Date?, firstReceipt: Date?, earliest: Date, latest: Date) {
        self.signOff = signOff
        self.approval = approval
        self.firstReceipt = firstReceipt
        self.earliest = earliest
        self.latest = latest
    }

    /// The timeline of a merged record whose content gives `eventTime` and `phoneReportedAt`.
    public init(record: ReportRecord, eventTime: Date?, phoneReportedAt: Date?) {
        let steps = ApprovalChain.standingSteps(of: record)
        let created = record.versions.first(where: \.creates)?.hlc.date ?? Date(timeIntervalSince1970: 0)
        let receipt = steps.firstIndex { $0.action == .receive }
        signOff = steps.first(where: { $0.action == .sign })?.hlc.date
        approval = steps[..<(receipt ?? steps.endIndex)].first(where: { $0.action == .approve })?.hlc.date
        firstReceipt = receipt.map { steps[$0].hlc.date }
        // Every step counts, standing or not: the span may be wider than needed, never narrower.
        let moments = [created] + [eventTime, phoneReportedAt].compactMap { $0 }
            + record.transitions.flatMap { [$0.hlc.date] + ($0.detail?.date.map { [$0] } ?? []) }
        earliest = moments.min() ?? created
        latest = moments.max() ?? created
    }

    /// When the unit finished with it (`ReportFacts.signedAt`): its first approval that came before the
    /// central had it, else its first sign-off — unless the chain needs the principal leader's approval
    /// (`needsPrincipal`) and the central has not received it.
    public func finishedAt(needsPrincipal: Bool) -> Date? {
        approval ?? (needsPrincipal && firstReceipt == nil ? nil : signOff)
    }
}
