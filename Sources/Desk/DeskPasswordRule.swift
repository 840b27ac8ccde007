import SyncCore

/// What a desk password must be: long enough to resist guessing, short enough for bcrypt (which reads 72 bytes).
public enum DeskPasswordRule {
    /// bcrypt's cost: 2^12 rounds, about a quarter of a second per try on this class of machine.
    public static let bcryptCost: UInt8 = 12

    public static func check(_ password: String) throws {
        guard password.count >= 12 else {
            throw ReportSyncError(.invalidInput, "a desk password has at least 12 characters; nothing was changed")
        }
        guard password.utf8.count <= 72 else {
            throw ReportSyncError(.invalidInput, "a desk password has at most 72 bytes (bcrypt reads no further); nothing was changed")
        }
    }
}
