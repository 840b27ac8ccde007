import GRDB
import SyncCore

/// Turns SQLite failures into errors that say what happened to the data and what to do.
enum StoreErrors {
    static func translate(_ error: any Error, path: String?) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let file = path ?? "the replica"
        switch error.resultCode {
        case .SQLITE_FULL:
            return ReportSyncError(
                .storage, "the disk holding \(file) is full; nothing was written. Free some space and run the command again")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return ReportSyncError(
                .storage, "\(file) is not a ReportSync replica or is damaged; restore it from a backup or point --db at the right file")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return ReportSyncError(.storage, "\(file) is busy with another writer; nothing was written. Run the command again")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return ReportSyncError(.storage, "cannot write \(file): check that the file and its folder are writable")
        case .SQLITE_IOERR:
            return ReportSyncError(.storage, "input/output error on \(file); nothing was written. Check the disk")
        default:
            return ReportSyncError(.storage, "storage error on \(file): \(error.message ?? "\(error.resultCode)")")
        }
    }
}
