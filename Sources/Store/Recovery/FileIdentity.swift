import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a file physically is: its device and inode. A copy or a restored backup has different ones.
enum FileIdentity {
    /// `DEVICE:INODE` in decimal, as Foundation's file attributes give them (files keep the text), or
    /// `nil` when nothing is at `path`. One `lstat` (a symbolic link is itself, not what it points to,
    /// as with Foundation's attributes): the central checks it on every request.
    static func of(_ path: String) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return "\(UInt64(status.st_dev)):\(UInt64(status.st_ino))"
    }
}
