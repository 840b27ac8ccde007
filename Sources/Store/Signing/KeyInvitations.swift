import Foundation
import GRDB
import SyncCore

/// The central's one-time codes for key registration: made by `syncd member invite`, redeemed once,
/// within their validity, by the key whose request proves it knows the code. (Public for its default only.) The central keeps the
/// secret derived from each code (it keys the proof), never the code as typed.
public enum KeyInvitations {
    /// How many days a code stays valid by default.
    public static let defaultDays = 14

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
        let row = try Row.fetchOne(s.db, sql: "SELECT * FROM key_invites WHERE secret = ?", arguments: [secret])
        try redeem(row, member: member, key: key, s)
    }

    /// Redeems the open code of `request.member` that the pushed `request` proves it knows, and
    /// returns the key to register.
    static func redeem(_ request: KeyRequest, _ s: ApplySession) throws -> SigningKey {
        guard let key = request.signingKey else { throw ReportSyncError(.malformed, "the key asked for is not an Ed25519 public key") }
        let open = try Row.fetchAll(
            s.db, sql: "SELECT * FROM key_invites WHERE member = ? AND redeemed_key IS NULL", arguments: [request.member])
        let match = open.first { row in
            InviteCode.isValid(proof: request.proof, secret: row["secret"], member: request.member, publicKey: request.publicKey)
        }
        try redeem(match, member: request.member, key: key, s)
        return key
    }

    private static func redeem(_ row: Row?, member: String, key: SigningKey, _ s: ApplySession) throws {
        guard let row, row["member"] as String == member, row["redeemed_key"] as String? == nil else {
            throw ReportSyncError(
                .forbidden,
                "the key of \(member) was not registered: the code is wrong or already used; ask the central office for a new one (syncd member invite) and run report-cli key setup again")
        }
        guard s.now.millisecondsSince1970 < row["expires_at"] as Int64 else {
            throw ReportSyncError(.forbidden, "the code for \(member)'s key has expired; ask the central office for a new one (syncd member invite)")
        }
        if try s.engine.signingKey(key.id) != nil {
            throw ReportSyncError(.alreadyExists, "key \(key.id.prefix(8)) is already registered; set up a new key instead")
        }
        try s.db.execute(sql: "UPDATE key_invites SET redeemed_key = ? WHERE secret = ?", arguments: [key.id, row["secret"] as Data])
    }
}
