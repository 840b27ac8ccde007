import GRDB
import SyncCore

/// The central's check of every change a field device pushes (DESIGN.md "Auth"): the change must be
/// for the device's units, made by a member who may make it, and never carry a secret report.
public enum PushAuthorization {
    /// Throws why `change` may not come from a device enrolled for `scope`.
    static func check(_ change: Change, scope: Set<String>, members: MemberCache, _ db: Database) throws {
        if change.payload.isReference, !isDecline(change) {
            throw ReportSyncError(
                .forbidden, "units, members, policy and solicitations change only at the central office; change \(change.dot) was not applied")
        }
        guard scope.contains(change.unit) else {
            throw ReportSyncError(
                .forbidden, "change \(change.dot) is for unit \(change.unit), which this device does not sync for")
        }
        guard let actor = try members.member(change.actor, db) else {
            throw ReportSyncError(
                .forbidden, "change \(change.dot) was made by \(change.actor), who is not a member at the central office; add them with syncd member add")
        }
        if actor.role.isUnitBound, actor.unit != change.unit {
            throw ReportSyncError(
                .forbidden, "\(actor.id) is a \(actor.role.rawValue) of \(actor.unit) and may not write reports of \(change.unit)")
        }
        switch change.payload {
        case .content(let write):
            guard [.drafter, .unitHead, .leader].contains(actor.role) else {
                throw ReportSyncError(.forbidden, "a \(actor.role.rawValue) does not write report content")
            }
            if write.fields["classification"] == "\"secret\"" {
                throw ReportSyncError(
                    .forbidden, "secret reports never cross the network; carry report \(change.record) as a bundle file")
            }
        case .transition(let step):
            try checkRole(claimed: step.role, by: actor, in: change)
            if actor.role == .centralEditor || actor.role == .admin {
                throw ReportSyncError(
                    .forbidden, "a field replica cannot receive, adopt, return (for the central office), reject or archive; those happen at the central office")
            }
        case .resolution(let step):
            try checkRole(claimed: step.role, by: actor, in: change)
            if actor.role == .centralEditor || actor.role == .admin {
                throw ReportSyncError(.forbidden, "conflicts that involve the central office's decisions are resolved at the central office")
            }
        case .solicitation(let s):
            guard s.declined?.by == actor.id, actor.unit == s.unit || !actor.role.isUnitBound, actor.role != .centralEditor else {
                throw ReportSyncError(.forbidden, "a field device may only decline its own unit's solicitation, in its member's name")
            }
            let held = try String.fetchOne(db, sql: "SELECT body FROM solicitations WHERE id = ? AND unit = ?", arguments: [s.id, s.unit])
                .map { try JSONCoding.value(Solicitation.self, from: $0) }
            var asked = s
            asked.declined = held?.declined
            guard let held, asked == held else {
                throw ReportSyncError(.forbidden, "a decline may not change the solicitation itself (topic, deadline, contact); change \(change.dot) was not applied")
            }
        case .void:
            throw ReportSyncError(.forbidden, "only the central voids a change it refused; change \(change.dot) was not applied")
        case .unit, .member, .policy:
            break
        }
    }

    /// Throws unless the role a step or decision claims is the one its actor holds.
    static func checkRole(claimed role: Role, by actor: Member, in change: Change) throws {
        guard role == actor.role else {
            throw ReportSyncError(.forbidden, "change \(change.dot) claims the role \(role.rawValue), but \(actor.id) is a \(actor.role.rawValue)")
        }
    }

    /// Whether a field change is a unit declining a solicitation (the one reference write a unit makes).
    static func isDecline(_ change: Change) -> Bool {
        if case .solicitation(let s) = change.payload { return s.declined != nil }
        return false
    }
}

extension Replica {
    /// Takes in changes pushed by a device enrolled for `unit`: each is authorised, then merged.
    public func receivePush(_ changes: [Change], fromUnit unit: String) throws -> [ApplyOutcome] {
        let scope = try unitScope(of: unit)
        let members = MemberCache()
        return try receivePush(changes) { change, db in
            try PushAuthorization.check(change, scope: scope, members: members, db)
        }
    }
}

/// Members looked up once per push: a batch of a thousand changes usually has a handful of actors.
final class MemberCache {
    private var known: [String: Member?] = [:]

    func member(_ id: String, _ db: Database) throws -> Member? {
        if let cached = known[id] { return cached }
        let member = try Member.fetchOne(db, key: id)
        known[id] = member
        return member
    }
}
