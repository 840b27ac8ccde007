import Foundation
import SyncCore

/// What the office's judgements (`OfficeJudgement`: deadlines, scorecards, people's scores) ask of a
/// store, each a plain read: a replica file answers at once (`Replica.office`), a central on PostgreSQL
/// from what it loaded, loading what a run missed and running it again (StorePostgres).
public protocol OfficeSource {
    /// The policy in force now, and at `date`.
    func currentPolicy() throws -> Policy
    func policy(at date: Date) throws -> Policy
    /// The units judged here: every unit but the central office's own on the central; on a field
    /// replica, its unit and those below.
    func judgedUnits() throws -> [OrgUnit]
    /// The bureau's name (its central office's unit's), as a bulletin is headed.
    func bureauName() throws -> String
    /// Every unit and every member, by id.
    func units() throws -> [OrgUnit]
    func members() throws -> [Member]
    /// Every solicitation, by deadline.
    func solicitations() throws -> [Solicitation]
    /// The facts of the reports `candidates` names, of `units` (all when nil), judged under `policy`.
    func reportFacts(_ candidates: OfficeCandidates, units: Set<String>?, policy: Policy) throws -> [ReportFacts]
    /// The facts of every report (of `unit` only when given), judged under `policy`.
    func reportFacts(unit: String?, policy: Policy) throws -> [ReportFacts]
    /// Every report of `units` finished under `policy` (`OfficeRows.signed`).
    func signedReports(units: Set<String>, policy: Policy) throws -> [SignedReport]
    /// The solicitations some report of the asked unit answers, as `id/unit`, signed off or not.
    func answeredSolicitations() throws -> Set<String>
}

extension OfficeSource {
    /// The policy a period is judged by: the version in force on its last day.
    public func policy(for period: Period) throws -> Policy {
        try policy(at: period.end(in: WorkingCalendar(policy: try currentPolicy()).timeZone).addingTimeInterval(-1))
    }
}
