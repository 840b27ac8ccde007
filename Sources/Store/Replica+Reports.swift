import Foundation
import GRDB
import SyncCore

/// Drafting, editing and reading reports.
extension Replica {
    /// Saves a new report drafted by `actorID`; returns it with its new id.
    public func draft(_ content: ReportContent, by actorID: String) throws -> Report {
        try transaction { db, context in
            let actor = try Self.member(actorID, db)
            guard actor.role == .drafter || actor.role == .unitHead else {
                throw ReportSyncError(
                    .forbidden, "\(actor.id) is a \(actor.role.rawValue); only a drafter or unit-head drafts reports")
            }
            var content = content
            if content.contact == nil { content.contact = actor.phone }
            let target = try Self.followUpTarget(&content, db)
            try ReportRules.checkWrite(content, unit: actor.unit, followUpTarget: target, policy: try Self.policy(db))
            let (dot, hlc) = context.stamp()
            let report = Report(
                id: UUIDv7.make(at: context.now), unit: actor.unit, content: content, state: .draft, drafter: actor.id,
                version: 1, contentDot: dot, createdAt: context.now, updatedAt: context.now)
            try ReportRows.save(report, db)
            let fields = content.changedFields(since: ReportContent(category: content.category, title: "", body: ""))
            try Self.recordVersion(of: report, changedFields: ["category"] + fields, actor: actor.id, dot: dot, hlc: hlc, db)
            return report
        }
    }

    /// Applies `patch` to a report that is still editable, as a new version by `actorID`.
    ///
    /// Editing a reviewed report sends it back to awaiting review: the review saw other content.
    public func edit(_ id: String, with patch: ReportPatch, by actorID: String) throws -> Report {
        if patch.isEmpty { throw ReportSyncError(.invalidInput, "nothing to change: give at least one field to edit") }
        return try transaction { db, context in
            var report = try ReportRows.require(id, db)
            let actor = try Self.member(actorID, db)
            try Self.checkMayEdit(report, actor: actor)
            if let newFirst = patch.followUpOf, newFirst != report.content.followUpOf {
                throw ReportSyncError(
                    .ruleViolated, "a report's place in a follow-up chain cannot change; draft a new follow-up instead")
            }
            let old = report.content
            patch.apply(to: &report.content)
            let changed = report.content.changedFields(since: old)
            if changed.isEmpty { throw ReportSyncError(.invalidInput, "the edit changes nothing; the report already says that") }
            let target = try report.content.followUpOf.flatMap { try ReportRows.fetch($0, db) }
            try ReportRules.checkWrite(report.content, unit: report.unit, followUpTarget: target, policy: try Self.policy(db))
            let (dot, hlc) = context.stamp()
            report.version += 1
            report.contentDot = dot
            report.updatedAt = context.now
            try Self.recordVersion(of: report, changedFields: changed, actor: actor.id, dot: dot, hlc: hlc, db)
            if report.state == .reviewed {
                report = try Self.recordTransition(
                    .revise, on: report, by: actor, comment: "content changed after review", context: &context, db)
            }
            try ReportRows.save(report, db)
            return report
        }
    }

    /// The report with this id (or unique id prefix).
    public func report(_ idOrPrefix: String) throws -> Report {
        try read { db in try ReportRows.require(try Self.resolveID(idOrPrefix, db), db) }
    }

    /// The full id of the one report whose id starts with `prefix`.
    public func resolveReportID(_ prefix: String) throws -> String {
        try read { db in try Self.resolveID(prefix, db) }
    }

    /// The reports that match `filter`, most recently changed first.
    public func reports(matching filter: ReportFilter = ReportFilter()) throws -> [Report] {
        try read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let state = filter.state {
                clauses.append("state = ?")
                arguments += [state.rawValue]
            }
            if let category = filter.category {
                clauses.append("category = ?")
                arguments += [category.rawValue]
            }
            if let unit = filter.unit {
                clauses.append("unit = ?")
                arguments += [unit]
            }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM reports \(whereSQL) ORDER BY updated_at DESC, id DESC", arguments: arguments
            ).map(ReportRows.decode)
        }
    }

    static func resolveID(_ prefix: String, _ db: Database) throws -> String {
        let text = prefix.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { throw ReportSyncError(.invalidInput, "give a report id") }
        let matches = try String.fetchAll(
            db, sql: "SELECT id FROM reports WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
            arguments: [text, text + "\u{10FFFF}"])
        if matches.count == 1 || matches.first == text { return matches[0] }
        if matches.isEmpty { throw ReportSyncError(.notFound, "no report \(prefix) in this replica; see report-cli list") }
        throw ReportSyncError(.invalidInput, "more than one report starts with \(prefix); give more of the id")
    }

    static func checkMayEdit(_ report: Report, actor: Member) throws {
        let mayEdit =
            actor.role == .leader || ((actor.role == .drafter || actor.role == .unitHead) && actor.unit == report.unit)
        guard mayEdit else {
            throw ReportSyncError(
                .forbidden, "\(actor.id) (\(actor.role.rawValue) of \(actor.unit)) may not edit a report of unit \(report.unit)")
        }
        guard report.state.allowsContentEdit else {
            throw ReportSyncError(
                .wrongState,
                "report \(report.id) is \(report.state.rawValue); its content is locked after sign-off. To change it, it must be returned first (report-cli return ID --comment ...)"
            )
        }
    }

    /// Points a follow-up at the first report of its chain and numbers it; returns that first report.
    static func followUpTarget(_ content: inout ReportContent, _ db: Database) throws -> Report? {
        guard let named = content.followUpOf else { return nil }
        let namedID: String
        do { namedID = try resolveID(named, db) } catch let error as ReportSyncError where error.code == .notFound {
            throw ReportSyncError(
                .notFound, "the report to follow up, \(named), is not in this replica; check the id with report-cli list")
        }
        var target = try ReportRows.require(namedID, db)
        if let first = target.content.followUpOf { target = try ReportRows.require(first, db) }
        content.followUpOf = target.id
        let last = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM reports WHERE follow_up_of = ?", arguments: [target.id]) ?? 0
        content.followUpSequence = last + 1
        return target
    }

    static func recordVersion(
        of report: Report, changedFields: [String], actor: String, dot: Dot, hlc: HybridTimestamp, _ db: Database
    ) throws {
        let version = ReportVersion(
            report: report.id, unit: report.unit, version: report.version, content: report.content,
            changedFields: changedFields, actor: actor, dot: dot, hlc: hlc)
        let body = try JSONCoding.string(version)
        try db.execute(
            sql: "INSERT INTO report_versions(report_id, version, body, replica, counter, hlc) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [report.id, report.version, body, dot.replica, dot.counter, hlc.rawValue])
        try ChangeLog.append(.reportVersion, id: report.id, body: body, dot: dot, hlc: hlc, db)
    }
}
