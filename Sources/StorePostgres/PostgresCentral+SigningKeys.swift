import Crypto
import Foundation
import PostgresNIO
import Store
import SyncCore

/// The central office's own signing keys at a central on PostgreSQL (`report-cli key setup` and every
/// signed step with `--db postgres://…`): sealed under the person's PIN in `private_keys`, registered with
/// a code from `syncd member invite`, and unlocked as on a file (`SealedKeyTry`: each try counted first).
extension PostgresCentral {
    /// Sets up a key for `memberID` sealed under `pin`, redeems `code` for it and registers it (as
    /// `Replica.setUpKey` on a central file); returns its id.
    public static func setUpKey(
        for memberID: String, pin: String, code: String?, cost: SealedKey.Cost = .standard, at address: PostgresAddress
    ) async throws -> String {
        try SealedKey.checkStrength(pin)
        let secret = try Replica.inviteSecret(code)
        let privateKey = Curve25519.Signing.PrivateKey()
        let sealed = try SealedKey.seal(privateKey, member: memberID, pin: pin, cost: cost)
        let key = StepSigner(member: memberID, privateKey: privateKey).publicKey
        return try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.transaction { db in
                let state = try await db.lockForWrite()
                let now = Date()
                let ledger = try await PostgresLedger.loading(for: [], unit: try state.require(.unitID), now: now, state, db)
                try await db.run(
                    "INSERT INTO private_keys (id, member, salt, cost, box, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    [key.id, memberID, ByteBuffer(bytes: sealed.salt), sealed.cost.text, ByteBuffer(bytes: sealed.box), now.millisecondsSince1970])
                try await PostgresApply.run(db, state, now: now, asking: [], ledger: ledger) { engine in
                    guard let member = try ledger.member(memberID) else { throw Replica.unknownMember(memberID) }
                    try KeyInvitations.redeem(secret: secret, member: member.id, key: key, now: now, engine: engine, ledger)
                    try engine.commitLocal([Replica.referenceChange(.signingKey(key), unit: member.unit, engine: engine)])
                }
                return key.id
            }
        }
    }

    /// `memberID`'s key in force at the central, unlocked with `pin`: the try counted as wrong first (in
    /// its own transaction, so tries in parallel each count), cleared when the PIN was right.
    public static func unlockKey(of memberID: String, pin: String, at address: PostgresAddress) async throws -> StepSigner {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            let key: SealedKeyTry? = try await db.transaction { db in
                guard
                    let row = try await db.randomAccessRows(
                        """
                        SELECT p.id, p.salt, p.cost, p.box, p.failures, p.retry_at FROM private_keys p
                        JOIN signing_keys k ON k.id = p.id AND k.revoked_at IS NULL
                        WHERE p.member = $1 ORDER BY p.created_at DESC LIMIT 1 FOR UPDATE OF p
                        """, [memberID]
                    ).first
                else { return nil }
                let key = try SealedKeyTry(
                    id: try row["id"].decode(String.self), member: memberID, salt: Data(try row["salt"].decode(ByteBuffer.self).readableBytesView),
                    cost: try row["cost"].decode(String.self), box: Data(try row["box"].decode(ByteBuffer.self).readableBytesView),
                    failures: try row["failures"].decode(Int.self), retryAt: try row["retry_at"].decode(Int64.self))
                let counted = try key.counted(at: Date())
                try await db.run("UPDATE private_keys SET failures = $1, retry_at = $2 WHERE id = $3", [counted.failures, counted.retryAt, key.id])
                return key
            }
            guard let key else {
                guard try await db.rows("SELECT EXISTS (SELECT 1 FROM members WHERE id = $1)", [memberID], as: Bool.self).first == true else {
                    throw Replica.unknownMember(memberID)
                }
                throw SealedKeyTry.noKey(memberID)
            }
            let signer = try key.open(pin: pin)
            try await db.run("UPDATE private_keys SET failures = 0, retry_at = 0 WHERE id = $1", [key.id])
            return signer
        }
    }
}
