import Crypto
import Foundation
import GRDB
import SyncCore

/// Signing keys on a replica: setting one up for a person, unlocking it with their PIN to take a
/// step, and the registered keys every replica holds (docs/signing.md).
extension Replica {
    /// Sets up a new signing key for `memberID` on this device, sealed under `pin`, and returns it.
    ///
    /// On a field replica the key is asked for with `code` (from `syncd member invite`) and can sign
    /// once the central registered it (the next sync); on the central the code is redeemed at once; a
    /// standalone replica registers it itself. `cost` is the key derivation's (tests take a cheap one).
    @discardableResult
    public func setUpKey(for memberID: String, pin: String, code: String?, cost: SealedKey.Cost = .standard) throws -> KeyInfo {
        try SealedKey.checkStrength(pin)
        let privateKey = Curve25519.Signing.PrivateKey()
        let sealed = try SealedKey.seal(privateKey, member: memberID, pin: pin, cost: cost)
        let signer = StepSigner(member: memberID, privateKey: privateKey)
        try session { s in
            let member = try Self.member(memberID, s.db)
            let key = signer.publicKey
            try s.db.execute(
                sql: "INSERT INTO private_keys(id, member, salt, cost, box, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [key.id, member.id, sealed.salt, sealed.cost.text, sealed.box, s.now.millisecondsSince1970])
            switch s.role {
            case .standalone:
                try s.commitLocal([Self.referenceChange(.signingKey(key), unit: member.unit, s)])
            case .central:
                let secret = try Self.inviteSecret(code)
                try KeyInvitations.redeem(secret: secret, member: member.id, key: key, s)
                try s.commitLocal([Self.referenceChange(.signingKey(key), unit: member.unit, s)])
            case .field:
                let secret = try Self.inviteSecret(code)
                let request = KeyRequest(
                    key: key.id, member: member.id, publicKey: key.publicKey,
                    proof: InviteCode.proof(secret: secret, member: member.id, publicKey: key.publicKey))
                // Asked for under this device's unit: a leader of the bureau signs a squad's reports on its laptop.
                let stamp = s.stamp()
                try s.commitLocal([
                    Change(
                        dot: stamp.dot, hlc: stamp.hlc, record: request.recordID, unit: try Meta.require(.unitID, s.db), actor: member.id,
                        context: VersionVector(), payload: .keyRequest(request))
                ])
            }
        }
        return try keys(of: memberID).first { $0.id == signer.keyID }!
    }

    /// Registers `key` directly: what a standalone replica or the central's operator may do (tests set
    /// keys up this way); a field replica asks its central instead (`setUpKey`).
    public func registerKey(_ key: SigningKey) throws {
        try session { s in
            try Self.checkReferenceIsLocal(s.db)
            let member = try Self.member(key.member, s.db)
            try s.commitLocal([Self.referenceChange(.signingKey(key), unit: member.unit, s)])
        }
    }

    /// Unlocks `memberID`'s signing key on this device with `pin`. Every try is counted as wrong before
    /// the PIN is even tried (in one transaction, so tries in parallel each count), and cleared when it
    /// was right; after a few wrong ones in a row the next try must wait (`PINLockout`), and the error
    /// says how long.
    public func unlockKey(of memberID: String, pin: String) throws -> StepSigner {
        let at = now()
        let key: SealedKeyTry? = try write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT p.id, p.salt, p.cost, p.box, p.failures, p.retry_at FROM private_keys p
                        JOIN signing_keys k ON k.id = p.id AND k.revoked_at IS NULL
                        WHERE p.member = ? ORDER BY p.created_at DESC LIMIT 1
                        """,
                    arguments: [memberID])
            else { return nil }
            let key = try SealedKeyTry(
                id: row["id"], member: memberID, salt: row["salt"], cost: row["cost"], box: row["box"], failures: row["failures"],
                retryAt: row["retry_at"])
            let counted = try key.counted(at: at)
            try db.execute(
                sql: "UPDATE private_keys SET failures = ?, retry_at = ? WHERE id = ?", arguments: [counted.failures, counted.retryAt, key.id])
            return key
        }
        guard let key else {
            try requireSigningKey(of: memberID)
            throw SealedKeyTry.noKey(memberID)
        }
        let signer = try key.open(pin: pin)
        try write { db in try db.execute(sql: "UPDATE private_keys SET failures = 0, retry_at = 0 WHERE id = ?", arguments: [key.id]) }
        return signer
    }

    /// Whether `memberID` has a key on this device that can sign now.
    public func hasUsableKey(_ memberID: String) throws -> Bool {
        try keys(of: memberID).contains { $0.status == .active && $0.onThisDevice }
    }

    /// The keys this replica knows of, registered or set up here (all members, or one).
    public func keys(of memberID: String? = nil) throws -> [KeyInfo] {
        try read { db in
            let filter = memberID == nil ? "" : "WHERE member = ?"
            let arguments: StatementArguments = memberID.map { [$0, $0] } ?? []
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT id, member, revoked_at, 1 AS registered, EXISTS (SELECT 1 FROM private_keys p WHERE p.id = k.id) AS here,
                        NULL AS refusal
                    FROM signing_keys k \(filter)
                    UNION ALL
                    SELECT id, member, NULL, 0, 1, (SELECT reason FROM push_rejections r WHERE r.record = 'key-request/' || p.id LIMIT 1)
                    FROM private_keys p
                    WHERE NOT EXISTS (SELECT 1 FROM signing_keys k WHERE k.id = p.id) \(memberID == nil ? "" : "AND member = ?")
                    ORDER BY member, id
                    """,
                arguments: arguments
            ).map { row in
                let revoked: Int64? = row["revoked_at"]
                let refusal: String? = row["refusal"]
                let status: KeyInfo.Status =
                    row["registered"] as Bool ? (revoked == nil ? .active : .revoked) : refusal == nil ? .awaitingRegistration : .refused
                return KeyInfo(
                    id: row["id"], member: row["member"], status: status, onThisDevice: row["here"],
                    revokedAt: revoked.map { HybridTimestamp(rawValue: $0).date }, refusal: refusal)
            }
        }
    }

    /// Throws why `memberID` cannot sign on this device, if they cannot: no key here, or one the
    /// central has not registered yet or has revoked.
    public func requireSigningKey(of memberID: String) throws {
        _ = try member(memberID)
        let keys = try keys(of: memberID).filter(\.onThisDevice)
        if keys.contains(where: { $0.status == .active }) { return }
        if keys.contains(where: { $0.status == .awaitingRegistration }) {
            throw ReportSyncError(
                .forbidden,
                "\(memberID)'s key on this device is not registered yet: run report-cli sync so the central registers it, then take the step again")
        }
        if keys.contains(where: { $0.status == .revoked }) {
            throw ReportSyncError(
                .forbidden,
                "\(memberID)'s key on this device was revoked at the central; ask for a new code (syncd member invite) and run report-cli key setup again")
        }
        if let refused = keys.last(where: { $0.status == .refused }) {
            throw ReportSyncError(
                .forbidden,
                "the central refused to register \(memberID)'s key on this device (\(refused.refusal ?? "")); ask the central office for a new code (syncd member invite) and run report-cli key setup again")
        }
        throw ReportSyncError(
            .forbidden,
            "\(memberID) has no signing key on this device: ask the central office for a code (syncd member invite), then run report-cli key setup --as \(memberID) --code CODE")
    }

    /// The secret of a one-time code as typed (`syncd member invite`), or why it cannot be one.
    public static func inviteSecret(_ code: String?) throws -> Data {
        guard let code else {
            throw ReportSyncError(.invalidInput, "give the one-time code from the central office: --code CODE (syncd member invite makes one)")
        }
        guard let normalized = InviteCode.normalized(code) else {
            throw ReportSyncError(.invalidInput, "\(code) is not a code from syncd member invite (16 letters and digits, like K7QM-3XPA-9D2F-RT8W)")
        }
        return InviteCode.secret(of: normalized)
    }
}
