import Crypto
import Foundation
import GRDB
import SyncCore

/// Signing keys at the central: the codes people register their keys with, revocation, and the
/// central's own key for the receipts it makes unattended (docs/signing.md).
extension CentralReplica {
    /// A one-time code with which `member` registers a key set up on a device (`report-cli key setup`).
    public func invite(member: String, days: Int = KeyInvitations.defaultDays) throws -> (code: String, expires: Date) {
        let validity = try KeyInvitations.validity(days: days)
        return try replica.write { db in
            _ = try Replica.member(member, db)
            let at = replica.now()
            return (try KeyInvitations.make(for: member, validity: validity, at: at, db), at.addingTimeInterval(validity))
        }
    }

    /// Revokes every key of `member` in force (or only `keyID`): steps they sign from now on are refused
    /// everywhere; steps signed before still verify. Returns the keys revoked.
    @discardableResult
    public func revokeKeys(of member: String, keyID: String? = nil) throws -> [SigningKey] {
        try Self.checkKeyPrefix(keyID)
        return try replica.session { s in
            let unit = try Replica.member(member, s.db).unit
            let inForce = try String.fetchAll(s.db, sql: "SELECT body FROM signing_keys WHERE member = ? AND revoked_at IS NULL", arguments: [member])
                .map { try JSONCoding.value(SigningKey.self, from: $0) }
            let revoked = try Self.revoke(inForce, of: member, keyID: keyID, unit: unit, on: s.engine)
            // A code not yet used would let whoever holds it register a new key for the person revoked.
            try s.db.execute(sql: "DELETE FROM key_invites WHERE member = ? AND redeemed_key IS NULL", arguments: [member])
            return revoked
        }
    }

    /// Throws unless `keyID` is the start of a key id (lowercase hex), or absent.
    public static func checkKeyPrefix(_ keyID: String?) throws {
        if let keyID, keyID.isEmpty || !keyID.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            throw ReportSyncError(.invalidInput, "--key takes the start of a key id in lowercase hex (see report-cli key list)")
        }
    }

    /// Revokes on `engine` the keys of `inForce` (a member's keys not revoked) whose id starts with
    /// `keyID` (all of them without one), each stamped with the clock reading it takes effect from, and
    /// returns them: the same for every store.
    public static func revoke(_ inForce: [SigningKey], of member: String, keyID: String?, unit: String, on engine: MergeEngine) throws -> [SigningKey] {
        let chosen = inForce.filter { keyID.map($0.id.hasPrefix) ?? true }.sorted { $0.id < $1.id }
        if keyID != nil, chosen.count > 1 {
            throw ReportSyncError(.invalidInput, "more than one key of \(member) starts with \(keyID!); give more of its id")
        }
        guard !chosen.isEmpty else {
            throw ReportSyncError(.notFound, "\(member) has no key in force\(keyID.map { " starting with \($0)" } ?? ""); see report-cli key list")
        }
        return try chosen.map { held in
            var key = held
            // The revocation is stamped with the very clock reading it takes effect from.
            let change = Replica.referenceChange(.signingKey(key), unit: unit, engine: engine)
            key.revokedAt = change.hlc
            var revocation = change
            revocation.payload = .signingKey(key)
            try engine.commitLocal([revocation])
            return key
        }
    }

    /// Gives the central its own signing key, registered for the receipt clerk, if it has none yet.
    func ensureServerKey() throws {
        guard try replica.read({ db in try Meta.get(.serverSigningKey, db) }) == nil else { return }
        try replica.session { s in
            guard try Meta.get(.serverSigningKey, s.db) == nil else { return }
            let bureau = try Meta.require(.unitID, s.db)
            let made = Self.newServerKey(bureau: bureau)
            try Meta.set(.serverSigningKey, made.stored, s.db)
            try s.commitLocal([Replica.referenceChange(.signingKey(made.key), unit: bureau, s)])
        }
    }

    /// A new signing key of the central's own: its private half as the central keeps it
    /// (`Meta.Key.serverSigningKey`), and its public half, registered for the receipt clerk.
    public static func newServerKey(bureau: String) -> (stored: String, key: SigningKey) {
        let privateKey = Curve25519.Signing.PrivateKey()
        return (privateKey.rawRepresentation.base64EncodedString(), StepSigner(member: receiptClerk(bureau: bureau).id, privateKey: privateKey).publicKey)
    }

    /// The central's own signer, for its automatic receipts and its refusals.
    static func serverSigner(_ ledger: some CentralLedger) throws -> StepSigner {
        let bureau = try ledger.bureau()
        guard let raw = try ledger.serverSigningKey().flatMap({ Data(base64Encoded: $0) }),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw ReportSyncError(.storage, "the central has no signing key of its own; open it with this syncd once to make one") }
        return StepSigner(member: receiptClerk(bureau: bureau).id, privateKey: key)
    }

    /// Registers the key a pushed `request` asks for, when it proves an open code of its member: the
    /// request is kept, and the central's registration follows it to every replica.
    static func register(_ change: Change, _ request: KeyRequest, engine: MergeEngine, _ ledger: some CentralLedger) throws -> ApplyOutcome {
        guard let member = try ledger.member(request.member) else {
            throw ReportSyncError(.notFound, "unknown member '\(request.member)': see report-cli member list, or add one with report-cli member add")
        }
        let (key, secret) = try KeyInvitations.redeem(request, now: engine.now, engine: engine, ledger)
        // The code is used only if the key is registered: reopened when the request does not apply.
        do {
            let outcome = try engine.offer(change)
            guard outcome == .applied else {
                try ledger.markInvite(secret, redeemedBy: nil)
                return outcome
            }
            try engine.commitLocal([Replica.referenceChange(.signingKey(key), unit: member.unit, engine: engine)])
            return outcome
        } catch {
            try ledger.markInvite(secret, redeemedBy: nil)
            throw error
        }
    }
}
