import Foundation
import Store
import SyncCore

/// Where a command gets the PIN that unlocks a person's signing key: `--pin-file`, then
/// `$REPORT_PIN_FILE` (for scripts), else asked at the terminal — never on the command line or in the
/// environment itself, where shell history and the next person's session would keep it. At the terminal a wrong PIN may be typed again, up to three times; every wrong PIN
/// counts towards the device's growing wait (`report-cli key`, docs/signing.md).
struct PINEntry {
    let pinFile: String?
    let context: CommandContext

    /// How many times a PIN is asked at the terminal in one command.
    static let terminalTries = 3

    /// `member`'s key on `replica`, unlocked.
    func unlock(_ member: String, on replica: Replica) async throws -> StepSigner {
        try replica.requireSigningKey(of: member)
        return try await unlock(member) { try replica.unlockKey(of: member, pin: $0) }
    }

    /// `member`'s key unlocked by `open` with the PIN given, or typed at the terminal (again after a wrong one).
    func unlock(_ member: String, open: (String) async throws -> StepSigner) async throws -> StepSigner {
        if let pin = try given() { return try await open(pin) }
        for attempt in 1...Self.terminalTries {
            guard let pin = context.askSecret("PIN for \(member)'s signing key: ") else { throw Self.noPIN(member) }
            // After a wrong PIN the next try is asked for; one that must wait first is refused with how long.
            do { return try await open(pin) } catch let error as ReportSyncError where attempt < Self.terminalTries && error.code == .wrongPIN {
                context.printError("error: \(error.message)")
            }
        }
        throw Self.noPIN(member)
    }

    /// A new PIN for a key being set up: given as for `unlock`, or typed twice at the terminal.
    func newPIN(for member: String) throws -> String {
        if let pin = try given() { return pin }
        guard let first = context.askSecret("choose a PIN (at least \(SealedKey.minimumPINLength) characters) for \(member)'s key: ") else {
            throw Self.noPIN(member)
        }
        try SealedKey.checkStrength(first)
        guard context.askSecret("type it again: ") == first else { throw ReportSyncError(.invalidInput, "the two PINs differ; nothing was set up") }
        return first
    }

    /// The PIN given by file or environment, if any.
    private func given() throws -> String? {
        if let path = pinFile ?? context.environment["REPORT_PIN_FILE"] {
            let file = context.absolute(path)
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ReportSyncError(.notFound, "cannot read the PIN file \(file); give a readable --pin-file")
            }
            return SecretFile.firstLine(of: text)
        }
        return nil
    }

    private static func noPIN(_ member: String) -> ReportSyncError {
        ReportSyncError(
            .invalidInput,
            "this is signed with \(member)'s key: type the PIN at a terminal, or give it in a file (--pin-file FILE or REPORT_PIN_FILE), never on the command line")
    }
}
