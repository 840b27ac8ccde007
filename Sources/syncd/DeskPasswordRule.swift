import SyncCore

/// What a desk password must be: long enough to resist guessing, short enough for bcrypt (which reads 72 bytes).
enum DeskPasswordRule {
    static func check(_ password: String) throws {
        guard password.count >= 12 else {
            throw ReportSyncError(.invalidInput, "a desk password has at least 12 characters; nothing was changed")
        }
        guard password.utf8.count <= 72 else {
            throw ReportSyncError(.invalidInput, "a desk password has at most 72 bytes (bcrypt reads no further); nothing was changed")
        }
    }
}
