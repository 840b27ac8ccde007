import Foundation
import GRDB
import SyncCore

/// Re-checking the signed steps a replica holds: each step and resolution in a report's record must be
/// the one its logged change carries, and that change must be signed by its actor's registered key.
/// A file edited by hand (an actor or a version changed in SQLite) fails here.
extension Replica {
    /// The check of every signed step of one report (by id or prefix), or of every report.
    public func verifySteps(report idOrPrefix: String? = nil) throws -> [StepCheck] {
        try read { db in
            let ids = try idOrPrefix.map { [try Self.resolveID($0, db)] } ?? String.fetchAll(db, sql: "SELECT id FROM reports ORDER BY id")
            return try ids.flatMap { id in
                let json = try String.fetchOne(db, sql: "SELECT record FROM reports WHERE id = ?", arguments: [id]) ?? ""
                guard let record = try? JSONCoding.value(ReportRecord.self, from: json) else {
                    return [StepCheck(report: id, dot: Dot(replica: "?", counter: 0), step: "record", actor: "?", verified: false,
                                      summary: "the stored record cannot be read: the file was damaged or altered")]
                }
                return try Self.stepChecks(of: record, db)
            }
        }
    }

    /// The checks of `record`'s steps and resolutions, in clock order.
    static func stepChecks(of record: ReportRecord, _ db: Database) throws -> [StepCheck] {
        var held: [(dot: Dot, hlc: HybridTimestamp, step: String, actor: String, matches: (Change) -> Bool)] = []
        for event in record.transitions where event.action != .revise {
            held.append((event.dot, event.hlc, event.action.rawValue, event.actor, { change in
                guard case .transition(let step) = change.payload else { return false }
                return TransitionEvent(change, step) == event
            }))
        }
        for event in record.resolutions {
            held.append((event.dot, event.hlc, "resolution", event.actor, { change in
                guard case .resolution(let step) = change.payload else { return false }
                return ResolutionEvent(change, step) == event
            }))
        }
        return try held.sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }.map { entry in
            func check(_ verified: Bool, _ summary: String) -> StepCheck {
                StepCheck(report: record.id, dot: entry.dot, step: entry.step, actor: entry.actor, verified: verified, summary: summary)
            }
            guard
                let body = try String.fetchOne(
                    db, sql: "SELECT body FROM changes WHERE replica = ? AND counter = ?", arguments: [entry.dot.replica, entry.dot.counter])
            else { return check(false, "NOT IN THE CHANGE LOG: the record was altered in the file") }
            guard let change = try? JSONCoding.value(Change.self, from: body), entry.matches(change), change.record == record.id else {
                return check(false, "DIFFERS FROM ITS LOGGED CHANGE: the record was altered in the file")
            }
            let key = try change.signature.flatMap { signature in
                try String.fetchOne(db, sql: "SELECT body FROM signing_keys WHERE id = ?", arguments: [signature.key])
                    .map { try JSONCoding.value(SigningKey.self, from: $0) }
            }
            let verdict = StepVerification.verdict(on: change, key: key)
            return check(verdict.isAcceptable, verdict.summary)
        }
    }
}
