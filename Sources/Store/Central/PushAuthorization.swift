import Foundation
import SyncCore

/// The central's check of every change a field device pushes (DESIGN.md "Auth"): the change must be
/// for the device's units, made by a member the central knows, allowed by the same permission table a
/// local write obeys (`Permissions`, at a field device), and write a classification that is one.
/// (`CentralReplica.receivePush` refuses what would leave a report secret, judged after the merge.)
final class PushAuthorization<Ledger: CentralLedger> {
    private let scope: Set<String>
    private let ledger: Ledger

    /// A check of changes pushed by a device enrolled for `scope`, answered by the push's `ledger`.
    init(scope: Set<String>, ledger: Ledger) {
        self.scope = scope
        self.ledger = ledger
    }

    /// Throws why a whole push may not come from `device`; nothing of it is written then. A device of
    /// ours pushes only report writes and its unit's declines (never reference data, solicitations or
    /// voids, whoever they claim to be from), and only under its own replica ids: a push that breaks one
    /// of these was made by hand, and none of it is taken.
    func checkWhole(_ changes: [Change], from device: Enrollment, at: Date) throws {
        for change in changes {
            // Reference data, solicitations and voids are never a field device's to write, whoever claims them.
            do { try Permissions.check(Self.act(of: change), at: .field) } catch let error as ReportSyncError {
                throw ReportSyncError(.forbidden, "change \(change.dot): \(error.message). Nothing of this push was taken")
            }
        }
        try DeviceBinding(ledger: ledger).claim(Set(changes.map(\.dot.replica)), for: device, scope: scope, at: at)
    }

    /// Why `change` is outside the device's units, if it is: the unit it claims, or that of the report it
    /// writes as the central holds it (`held`), is not one the device syncs for, or the two differ. Such
    /// a change is answered `rejected` and nothing of it is written anywhere — no refusal, no void in
    /// another unit's report — while the rest of the push goes on (a person may draft for another unit
    /// on a device that cannot send it). The answer names no unit the device may not see.
    func outsideScope(_ change: Change, of device: Enrollment, held: ReportRecord?) -> ReportSyncError? {
        if let held, held.unit != change.unit || !scope.contains(held.unit) {
            return ReportSyncError(
                .forbidden, "change \(change.dot) writes report \(change.record), which is not of a unit device \(device.device) syncs for; nothing of it was taken")
        }
        guard scope.contains(change.unit) else {
            return ReportSyncError(
                .forbidden, "change \(change.dot) is for unit \(change.unit), which device \(device.device) does not sync for; nothing of it was taken")
        }
        return nil
    }

    /// Throws why `change`, of a push `checkWhole` let through, may not be merged: its actor, role and
    /// the permission table (answered `rejected`, and voided). `body` is the change's canonical JSON.
    func check(_ change: Change, body: String) throws {
        try ChangeShape.checkNoNUL(change, body: body)
        let act = Self.act(of: change)
        guard let actor = try ledger.member(change.actor) else {
            throw ReportSyncError(
                .forbidden,
                "change \(change.dot) was made by \(change.actor), who is not a member at the central office; add them with syncd member add")
        }
        switch change.payload {
        case .transition(let step): try Self.checkRole(claimed: step.role, by: actor, in: change)
        case .resolution(let step): try Self.checkRole(claimed: step.role, by: actor, in: change)
        default: break
        }
        try Permissions.check(act, by: actor, onUnit: change.unit, at: .field)
        switch change.payload {
        case .content:
            // Typed, escapes and all; whether the report ends secret is judged on the merged result.
            _ = try Secrecy.classification(written: change)
        case .solicitation(let asked):
            try checkDecline(asked, by: actor, in: change)
        case .keyRequest(let request):
            guard request.member == actor.id else {
                throw ReportSyncError(.forbidden, "change \(change.dot) asks for a key of \(request.member) in the name of \(actor.id); each person sets up their own key")
            }
        case .transition, .resolution, .unit, .member, .policy, .void, .signingKey, .reminder, .redaction:
            break
        }
    }

    /// Throws why a change under one of the central's earlier replica ids, sent back by a device after
    /// the central lost it with its disk, may not be taken back. Only what the central itself made and
    /// signed comes back, so that a device can give back what the central made and nothing else:
    /// - a refusal (a void) signed with the central's own key (its receipt clerk's), of a change the
    ///   central does not hold (a refusal never undoes a change the central took);
    /// - a step or decision signed by a member of the central office (or its clerk) whom the
    ///   permission table lets act so at the central.
    /// The merge then checks the signature against the registered key (`key`, for a refusal here).
    func checkReturned(_ change: Change, held: ReportRecord?, key: (String) throws -> SigningKey?) throws {
        let bureau = try ledger.bureau()
        let clerk = CentralReplica.receiptClerk(bureau: bureau)
        guard let signature = change.signature else {
            throw ReportSyncError(
                .forbidden,
                "change \(change.dot) is the central's own and unsigned; the central takes back only what it signed, so the central office must make it again")
        }
        // Checked here, not left to the merge: a change whose key is unknown would wait there, holding its dot.
        guard case .verified = StepVerification.signatureVerdict(on: change, key: try key(signature.key)) else {
            throw ReportSyncError(.forbidden, "change \(change.dot) does not carry a valid signature of a key registered here; it was not taken back")
        }
        if case .void(let marker) = change.payload {
            guard change.actor == clerk.id else {
                throw ReportSyncError(.forbidden, "change \(change.dot) is a refusal not signed with the central's own key; it was not taken back")
            }
            guard held?.vv.covers(marker.dot) != true else {
                throw ReportSyncError(.forbidden, "change \(change.dot) refuses a change the central holds; it was not taken back")
            }
            return
        }
        guard let actor = change.actor == clerk.id ? clerk : try ledger.member(change.actor), actor.unit == bureau else {
            throw ReportSyncError(.forbidden, "change \(change.dot) was made by \(change.actor), who is not of the central office; it was not taken back")
        }
        switch change.payload {
        case .transition(let step): try Self.checkRole(claimed: step.role, by: actor, in: change)
        case .resolution(let step): try Self.checkRole(claimed: step.role, by: actor, in: change)
        default: break
        }
        try Permissions.check(Self.act(of: change), by: actor, onUnit: change.unit, at: .central)
    }

    /// What a pushed change does, in the permission table's terms.
    static func act(of change: Change) -> Act {
        switch change.payload {
        case .content(let write): write.creates ? .draft : .editContent
        // Withdrawing a report's text goes with the raise of its classification: the same people's act.
        case .redaction: .editContent
        case .transition(let step): .step(step.action)
        case .resolution: .resolve(kind: nil, centralDecision: false)
        case .solicitation(let s) where s.declined != nil: .declineSolicitation
        // Chasing a unit is the issuer's act: never a field device's.
        case .solicitation, .reminder: .issueSolicitation
        case .unit, .member, .policy, .signingKey: .writeReference
        case .void: .void
        case .keyRequest: .requestKey
        }
    }

    /// Throws unless the role a step or decision claims is the one its actor holds.
    static func checkRole(claimed role: Role, by actor: Member, in change: Change) throws {
        guard role == actor.role else {
            throw ReportSyncError(.forbidden, "change \(change.dot) claims the role \(role.rawValue), but \(actor.id) is a \(actor.role.rawValue)")
        }
    }

    /// Throws unless a decline is in its member's name and changes nothing of the solicitation but the decline.
    private func checkDecline(_ asked: Solicitation, by actor: Member, in change: Change) throws {
        guard asked.declined?.by == actor.id else {
            throw ReportSyncError(.forbidden, "a field device may only decline its own unit's solicitation, in its member's name")
        }
        let held = try ledger.solicitation(asked.id, unit: asked.unit)
        var undeclined = asked
        undeclined.declined = held?.declined
        guard let held, undeclined == held else {
            throw ReportSyncError(
                .forbidden, "a decline may not change the solicitation itself (topic, deadline, contact); change \(change.dot) was not applied")
        }
    }
}
