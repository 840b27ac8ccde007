import Foundation
import SyncCore

/// One try at a person's sealed key with a PIN, as every store counts it: the try is counted as wrong
/// before the PIN is even tried (so tries in parallel each count), refused while the person must wait
/// (`PINLockout`), and cleared by the store when the PIN was right.
public struct SealedKeyTry: Sendable {
    /// The key's id.
    public let id: String
    public let member: String
    public let sealed: SealedKey
    /// Wrong tries in a row so far, and until when the next must wait (ms since 1970).
    public let failures: Int
    public let retryAt: Int64

    /// The stored key, or why it cannot be tried (a sealing this program does not know).
    public init(id: String, member: String, salt: Data, cost: String, box: Data, failures: Int, retryAt: Int64) throws {
        guard let cost = SealedKey.Cost(text: cost) else {
            throw ReportSyncError(.storage, "\(member)'s key on this device is sealed in a form this ReportSync does not know; set up a new key")
        }
        self.id = id
        self.member = member
        sealed = SealedKey(salt: salt, cost: cost, box: box)
        self.failures = failures
        self.retryAt = retryAt
    }

    /// What the store writes before trying at `now` (this try counted as wrong), or the refusal of a try
    /// that must wait.
    public func counted(at now: Date) throws -> (failures: Int, retryAt: Int64) {
        let retry = Date(millisecondsSince1970: retryAt)
        if now < retry {
            throw ReportSyncError(
                .forbidden,
                "too many wrong PINs for \(member)'s key on this device; try again in \(Int(retry.timeIntervalSince(now).rounded(.up))) s")
        }
        let failures = failures + 1
        return (failures, now.addingTimeInterval(PINLockout.delay(afterFailures: failures)).millisecondsSince1970)
    }

    /// The key opened with `pin`, or the refusal of a wrong PIN (saying how long the next try waits).
    public func open(pin: String) throws -> StepSigner {
        guard let privateKey = try sealed.open(member: member, pin: pin) else {
            let failures = failures + 1
            let wait = PINLockout.delay(afterFailures: failures)
            let then = wait > 0 ? "; wait \(Int(wait)) s before the next try" : ""
            throw ReportSyncError(.wrongPIN, "wrong PIN for \(member)'s key (\(failures) in a row)\(then)")
        }
        return StepSigner(member: member, privateKey: privateKey)
    }

    /// The refusal when `member` has no key in force to try.
    public static func noKey(_ member: String) -> ReportSyncError {
        ReportSyncError(.forbidden, "\(member) has no signing key in force on this device; set one up with report-cli key setup")
    }
}
