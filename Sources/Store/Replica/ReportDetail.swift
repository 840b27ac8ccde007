import Foundation
import SyncCore

/// One report as `report-cli show` shows it, read from any store: the report, its merged record, its
/// conflicts, the checks of its signed steps, and the policy in force it is judged under.
public struct ReportDetail: Sendable {
    public let report: Report
    public let record: ReportRecord
    public let conflicts: [Conflict]
    public let checks: [StepCheck]
    public let policy: Policy

    public init(report: Report, record: ReportRecord, conflicts: [Conflict], checks: [StepCheck], policy: Policy) {
        self.report = report
        self.record = record
        self.conflicts = conflicts
        self.checks = checks
        self.policy = policy
    }
}

extension Replica {
    /// The report with this id (or unique prefix) and all `report-cli show` shows of it.
    public func detail(of idOrPrefix: String) throws -> ReportDetail {
        let report = try report(idOrPrefix)
        return ReportDetail(
            report: report, record: try record(report.id), conflicts: try conflicts(report: report.id), checks: try verifySteps(report: report.id),
            policy: try policy())
    }
}
