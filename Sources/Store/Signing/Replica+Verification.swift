import Foundation
import GRDB
import SyncCore

/// Re-checking the signed steps a replica holds: each step, resolution and content version in a
/// report's record must be the one its logged change carries; each step and resolution must be signed by
/// its actor's registered key (a `revise` must accompany its actor's own edit); and the stored state must
/// be the one the steps give. A file edited by hand (an actor, a version or a state changed in SQLite)
/// fails here.
extension Replica {
    /// The check of every signed step of one report (by id or prefix), or of every report.
    public func verifySteps(report idOrPrefix: String? = nil) throws -> [StepCheck] {
        try read { db in
            let ids = try idOrPrefix.map { [try Self.resolveID($0, db)] } ?? String.fetchAll(db, sql: "SELECT id FROM reports ORDER BY id")
            return try ids.flatMap { id in
                let row = try Row.fetchOne(db, sql: "SELECT record, state FROM reports WHERE id = ?", arguments: [id])
                guard let json: String = row?["record"], let record = try? JSONCoding.value(ReportRecord.self, from: json) else {
                    return [StepCheck(report: id, dot: nil, step: .record, actor: "?", verified: false,
                                      summary: "the stored record cannot be read: the file was damaged or altered")]
                }
                return try Self.stepChecks(of: record, listedAs: row?["state"], db)
            }
        }
    }

    /// The checks of `record`'s steps, resolutions and versions, in clock order, and of its state (also
    /// as the reports table lists it, `listedAs`).
    static func stepChecks(of record: ReportRecord, listedAs listed: String? = nil, _ db: Database) throws -> [StepCheck] {
        try stepChecks(
            of: record, listedAs: listed,
            loggedBody: { dot in
                try String.fetchOne(db, sql: "SELECT body FROM changes WHERE replica = ? AND counter = ?", arguments: [dot.replica, dot.counter])
            },
            keyBody: { id in try String.fetchOne(db, sql: "SELECT body FROM signing_keys WHERE id = ?", arguments: [id]) })
    }

    /// The checks of `record`'s steps in any store: `loggedBody` gives the logged change of a dot (nil
    /// when the log lacks it), `keyBody` the stored signing key of an id.
    public static func stepChecks(
        of record: ReportRecord, listedAs listed: String?, loggedBody: (Dot) throws -> String?, keyBody: (String) throws -> String?
    ) throws -> [StepCheck] {
        var held: [(dot: Dot, hlc: HybridTimestamp, step: StepCheck.Subject, actor: String, matches: (Change) -> Bool)] = []
        // A content write a redaction covers is held withheld in the record (by its markers, or sealed),
        // and logged whole where its text was kept.
        func forms(_ change: Change) -> [Change] {
            guard record.redactions.contains(where: { $0.withholds(change.dot) }) else { return [change] }
            return [change, Withheld.change(change), Withheld.change(change, sealed: true)]
        }
        for version in record.versions {
            held.append((version.dot, version.hlc, .version, version.actor, { change in
                for form in forms(change) {
                    if case .content(let write) = form.payload, ReportVersion(form, write) == version { return true }
                }
                return false
            }))
        }
        for event in record.transitions {
            held.append((event.dot, event.hlc, .step(event.action), event.actor, { change in
                guard case .transition(let step) = change.payload else { return false }
                return TransitionEvent(change, step) == event
            }))
        }
        for event in record.resolutions {
            held.append((event.dot, event.hlc, .resolution, event.actor, { change in
                guard case .resolution(let step) = change.payload else { return false }
                return ResolutionEvent(change, step) == event
            }))
        }
        var checks = try held.sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }.map { entry in
            func check(_ verified: Bool, _ summary: String) -> StepCheck {
                StepCheck(report: record.id, dot: entry.dot, step: entry.step, actor: entry.actor, verified: verified, summary: summary)
            }
            guard let body = try loggedBody(entry.dot) else { return check(false, "NOT IN THE CHANGE LOG: the record was altered in the file") }
            guard let change = try? JSONCoding.value(Change.self, from: body), entry.matches(change), change.record == record.id else {
                return check(false, "DIFFERS FROM ITS LOGGED CHANGE: the record was altered in the file")
            }
            let key = try change.signature.flatMap { signature in try keyBody(signature.key).map { try JSONCoding.value(SigningKey.self, from: $0) } }
            if case .content = change.payload { return check(true, "as logged") }
            if StepVerification.accompaniesItsEdit(change, in: record) { return check(true, "recorded with \(change.actor)'s edit") }
            let verdict = StepVerification.verdict(on: change, key: key)
            return check(verdict.isAcceptable, verdict.summary)
        }
        let folded = ApprovalFold.fold(report: record.id, transitions: record.transitions, versions: record.versions).state
        if folded != record.state || (listed != nil && listed != folded.rawValue) {
            checks.append(
                StepCheck(
                    report: record.id, dot: record.latestContent.dot, step: .state, actor: "-", verified: false,
                    summary: "STORED STATE \(listed ?? record.state.rawValue) IS NOT WHAT ITS STEPS GIVE (\(folded.rawValue)): the record was altered in the file"))
        }
        return checks
    }
}
