import Foundation
import GRDB
import SyncCore

/// Moving reports through the approval workflow.
extension Replica {
    /// Takes `action` on a report as `actorID`, after checking the role, the unit, the state and the content rules.
    public func perform(_ action: WorkflowAction, on id: String, by actorID: String, comment: String? = nil) throws -> Report {
        if action == .revise {
            throw ReportSyncError(.invalidInput, "revise is recorded automatically when a reviewed report is edited; use report-cli edit")
        }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmptyText
        if action.needsComment, comment == nil {
            throw ReportSyncError(.invalidInput, "\(action.rawValue) needs a --comment that tells the unit what to change or why")
        }
        return try transaction { db, context in
            let report = try ReportRows.require(try Self.resolveID(id, db), db)
            let actor = try Self.member(actorID, db)
            if actor.role.isUnitBound, actor.unit != report.unit {
                throw ReportSyncError(
                    .forbidden, "\(actor.id) is a \(actor.role.rawValue) of \(actor.unit) and may not act on a report of \(report.unit)")
            }
            if action == .submit {
                let target = try report.content.followUpOf.flatMap { try ReportRows.fetch($0, db) }
                try ReportRules.checkSubmission(report.content, unit: report.unit, followUpTarget: target, policy: try Self.policy(db))
            }
            let updated = try Self.recordTransition(action, on: report, by: actor, comment: comment, context: &context, db)
            try ReportRows.save(updated, db)
            return updated
        }
    }

    /// Appends a transition event and returns the report in its new state (not yet saved).
    static func recordTransition(
        _ action: WorkflowAction, on report: Report, by actor: Member, comment: String?, context: inout WriteContext,
        _ db: Database
    ) throws -> Report {
        let target = try ApprovalWorkflow.target(of: action, from: report.state, by: actor.role)
        let (dot, hlc) = context.stamp()
        let event = TransitionEvent(
            id: UUIDv7.make(at: context.now), report: report.id, action: action, from: report.state, to: target,
            actor: actor.id, role: actor.role, dot: dot, hlc: hlc, comment: comment, sawContent: report.contentDot)
        let body = try JSONCoding.string(event)
        try db.execute(
            sql: "INSERT INTO transitions(id, report_id, body, replica, counter, hlc) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [event.id, report.id, body, dot.replica, dot.counter, hlc.rawValue])
        try ChangeLog.append(.transition, id: event.id, body: body, dot: dot, hlc: hlc, db)
        var updated = report
        updated.state = target
        updated.updatedAt = context.now
        if action == .return || action == .reject { updated.lastComment = comment }
        return updated
    }
}

extension String {
    /// `nil` for an empty string, the string otherwise.
    var nilIfEmptyText: String? { isEmpty ? nil : self }
}
