import Foundation
import GRDB
import SyncCore

/// The central's one-time codes for key registration: made by `syncd member invite`, redeemed once,
/// within their validity, by the key whose request proves it knows the code. (Public for its default only.) The central keeps the
/// secret derived from each code (it keys the proof), never the code as typed.
public enum KeyInvitations {
    /// How many days a code stays valid by default.
    public static let defaultDays = 14

    /// How long a code asked to stay valid for `days` stays valid (1 to 90 days).
    public static func validity(days: Int) throws -> TimeInterval {
        guard (1...90).contains(days) else { throw ReportSyncError(.invalidInput, "a code may be valid for 1 to 90 days") }
        return TimeInterval(days) * 24 * 3600
    }

    /// Makes a code for `member`, valid for `validity`; returns the code, which is shown once.
    static func make(for member: String, validity: TimeInterval, at now: Date, _ db: Database) throws -> String {
        let code = InviteCode.make()
        try db.execute(
            sql: "INSERT INTO key_invites(secret, member, created_at, expires_at) VALUES (?, ?, ?, ?)",
            arguments: [
                InviteCode.secret(of: InviteCode.normalized(code)!), member, now.millisecondsSince1970,
                now.addingTimeInterval(validity).millisecondsSince1970,
            ])
        return code
    }

    /// Redeems the code whose secret is `secret` for `key` of `member` (a key set up on the central itself).
    static func redeem(secret: Data, member: String, key: SigningKey, _ s: ApplySession) throws {
        try redeem(secret: secret, member: member, key: key, now: s.now, engine: s.engine, SQLiteLedger(s.db))
    }

    /// Redeems `member`'s open code whose secret is `secret` for `key`, set up on the central itself (in
    /// any store: `ledger` marks it).
    public static func redeem(secret: Data, member: String, key: SigningKey, now: Date, engine: MergeEngine, _ ledger: some CentralLedger) throws {
        let invite = try ledger.openInvites(of: member).first { $0.secret == secret }
        try redeem(invite, member: member, key: key, now: now, engine: engine, ledger)
    }

    /// Redeems the open code of `request.member` that the pushed `request` proves it knows, and
    /// returns the key to register and the code's secret.
    static func redeem(
        _ request: KeyRequest, now: Date, engine: MergeEngine, _ ledger: some CentralLedger
    ) throws -> (key: SigningKey, secret: Data) {
        guard let key = request.signingKey else { throw ReportSyncError(.malformed, "the key asked for is not an Ed25519 public key") }
        let match = try ledger.openInvites(of: request.member).first { invite in
            InviteCode.isValid(proof: request.proof, secret: invite.secret, member: request.member, publicKey: request.publicKey)
        }
        try redeem(match, member: request.member, key: key, now: now, engine: engine, ledger)
        return (key, match!.secret)
    }

    private static func redeem(
        _ invite: KeyInvite?, member: String, key: SigningKey, now: Date, engine: MergeEngine, _ ledger: some CentralLedger
    ) throws {
        guard let invite, invite.member == member, invite.redeemedKey == nil else {
            throw ReportSyncError(
                .forbidden,
                "the key of \(member) was not registered: the code is wrong or already used; ask the central office for a new one (syncd member invite) and run report-cli key setup again")
        }
        guard now.millisecondsSince1970 < invite.expiresAt else {
            throw ReportSyncError(.forbidden, "the code for \(member)'s key has expired; ask the central office for a new one (syncd member invite)")
        }
        if try engine.signingKey(key.id) != nil {
            throw ReportSyncError(.alreadyExists, "key \(key.id.prefix(8)) is already registered; set up a new key instead")
        }
        try ledger.markInvite(invite.secret, redeemedBy: key.id)
    }
}
