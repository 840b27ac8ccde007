import SyncCore

/// Why a replica stopped writing under its replica id and took a new one.
public enum EpochReason: Sendable, Equatable {
    /// The file is not where it was (device and inode differ): a copy, or a backup put back.
    case fileMoved
    /// The file was made by `backup` and has now been put in use.
    case backupRestored
    /// The file's counter is behind the highest this replica id is known to have issued (the
    /// watermark kept beside it, or the central): it is an older copy of itself.
    case behindOwnHistory(issued: Int64, file: Int64)
    /// A change under this replica's own id came from elsewhere: an older copy of the file is in use.
    case ownChangeReceived(Dot)
    /// The central holds a different change under a dot this replica wrote: an older copy of the file
    /// wrote again (put back with its machine, so nothing on the device could tell).
    case dotTaken(Dot)
    /// A central copied into another store (`syncd migrate`): the file it came from may have gone on
    /// issuing dots under the old id.
    case copiedToAnotherStore

    /// One line for the person at the device.
    public var description: String {
        switch self {
        case .fileMoved: "the replica file was copied or put back from a backup"
        case .backupRestored: "the replica was restored from a backup"
        case .behindOwnHistory(let issued, let file):
            "the replica file is older than what this replica had written (it had made \(issued) changes, the file knows \(file)): it was restored from a backup or copied"
        case .ownChangeReceived(let dot): "change \(dot), made under this replica's own id, came back from the central: the file is an older copy"
        case .copiedToAnotherStore: "the central was copied into PostgreSQL (syncd migrate)"
        case .dotTaken(let dot):
            "the central holds a different change under this replica's dot \(dot): the file is an older copy of itself (put back from a backup with its machine)"
        }
    }
}
