import Crypto
import Foundation
import Store
import SyncCore

/// Fixed signing keys for the members of tests: the same key for a member on every replica of a test,
/// derived from the member's id, so that tests take signed steps without a PIN.
public enum TestSigners {
    /// The PIN the command-line tests seal their keys under.
    public static let pin = "pin-for-tests-246810"
    /// The cheapest key derivation a sealed key may use: tests that set keys up through the library
    /// take it, so that each step's unlock stays fast (`report-cli key setup` always takes the standard).
    public static let cheapCost = SealedKey.Cost(logN: 10, r: 8, p: 1)

    /// Sets up PIN-sealed keys for `members` on the replica file at `path` (cheaply): registered at once on
    /// a standalone replica; on a field replica asked for with a code from `invite` (the next sync
    /// registers them).
    public static func setUpKeys(_ members: [String], at path: String, invite: (String) throws -> String? = { _ in nil }) throws {
        let replica = try Replica.open(at: path)
        for member in members { try replica.setUpKey(for: member, pin: pin, code: try invite(member), cost: cheapCost) }
    }

    /// `member`'s fixed key.
    public static func signer(_ member: String) -> StepSigner {
        StepSigner(member: member, privateKey: privateKey(member))
    }

    /// `member`'s fixed private key (to pass it off as someone else's, or sign by hand).
    public static func privateKey(_ member: String) -> Curve25519.Signing.PrivateKey {
        try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(SHA256.hash(data: Data("test-key/\(member)".utf8))))
    }

    /// Registers the fixed keys of `members` on a replica that registers keys itself (a standalone
    /// replica, the central); field replicas receive them from their central.
    public static func register(_ members: [String], on replica: Replica) throws {
        let known = Set(try replica.keys().map(\.id))
        for member in members where !known.contains(signer(member).keyID) { try replica.registerKey(signer(member).publicKey) }
    }
}

extension Replica {
    /// Takes `action` as `actorID`, signed with their fixed test key (registered first where this replica
    /// registers keys itself).
    @discardableResult
    public func perform(
        _ action: WorkflowAction, on idOrPrefix: String, by actorID: String, comment: String? = nil, detail: StepDetail? = nil
    ) throws -> Report {
        if try role() != .field { try TestSigners.register([actorID], on: self) }
        return try perform(action, on: idOrPrefix, as: TestSigners.signer(actorID), comment: comment, detail: detail)
    }

    /// Settles a conflict as `actorID`, signed with their fixed test key.
    @discardableResult
    public func resolveConflict(
        _ handle: String, keep: ResolutionStep.Keep, value: String? = nil, comment: String? = nil, by actorID: String
    ) throws -> ConflictEntry {
        if try role() != .field { try TestSigners.register([actorID], on: self) }
        return try resolveConflict(handle, keep: keep, value: value, comment: comment, by: actorID, signer: TestSigners.signer(actorID))
    }
}
