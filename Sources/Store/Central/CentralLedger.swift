import Foundation
import SyncCore

/// What the central's decisions on a push read and write besides the records the merge engine holds:
/// its own identity and key, members, the units a device syncs for, refusals, the binding of replica
/// ids to devices, key codes and registration numbers. Asked synchronously while a push is merged
/// (`PushMerge`), so that every store runs the same decisions: the SQLite store answers inside its
/// transaction (`SQLiteLedger`); the PostgreSQL store from what it loaded before the push, writing what
/// changed after it (StorePostgres).
public protocol CentralLedger: AnyObject {
    /// The central office's own unit.
    func bureau() throws -> String
    /// The replica ids the central wrote under before its current one (a restored central's).
    func previousReplicaIDs() throws -> [String]
    /// The central's current replica id.
    func replicaID() throws -> String
    /// The central's own private signing key (raw, base64), for its receipts and refusals.
    func serverSigningKey() throws -> String?
    /// The units a device of `unit` syncs for: itself and every unit below it.
    func unitScope(of unit: String) throws -> Set<String>
    func member(_ id: String) throws -> Member?
    /// The solicitation `id` as the central holds it for `unit`.
    func solicitation(_ id: String, unit: String) throws -> Solicitation?
    /// Why the central refused the change with this dot before, if it did.
    func refusalReason(of dot: Dot) throws -> String?
    /// The device `replica` is bound to, if any (`DeviceBinding`).
    func boundDevice(of replica: String) throws -> String?
    /// Whether the central holds a change under `replica` for a unit outside `scope`.
    func hasWritten(_ replica: String, outside scope: Set<String>) throws -> Bool
    /// How many replica ids are bound to `device`.
    func boundReplicaCount(of device: String) throws -> Int
    func bind(_ replica: String, to device: String, at: Date) throws
    /// The codes of `member` not yet redeemed.
    func openInvites(of member: String) throws -> [KeyInvite]
    /// Marks the code with `secret` redeemed by `keyID`, or open again (`nil`).
    func markInvite(_ secret: Data, redeemedBy keyID: String?) throws
    /// The last registration number given in `year` (0 for none).
    func lastRegistration(in year: Int) throws -> Int
    /// Keeps `year`'s last registration number at least at `serial`.
    func keepRegistration(_ serial: Int, in year: Int) throws
}

/// A one-time code for registering a key, as the central keeps it (`KeyInvitations`).
public struct KeyInvite: Sendable {
    /// The secret derived from the code, which keys the proof a device sends.
    public let secret: Data
    public let member: String
    public let expiresAt: Int64
    public let redeemedKey: String?

    public init(secret: Data, member: String, expiresAt: Int64, redeemedKey: String?) {
        self.secret = secret
        self.member = member
        self.expiresAt = expiresAt
        self.redeemedKey = redeemedKey
    }
}
